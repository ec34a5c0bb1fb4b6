"""The ``onewindow`` command: Django's manage.py with the settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "onewindow"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
