"""``onewindow load-demo``: the spelling used in the Makefile and the README; the
command itself is ``load_demo``."""

from onewindow.demo.management.commands.load_demo import Command  # noqa: F401
