"""The ``onewindow`` command: Django's manage.py with the settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "onewindow"
    # `onewindow load-demo` and `onewindow load_demo` are the same command.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
