"""Monthly partitions of the largest tables (opt-in, PostgreSQL only; docs/scale.md).

Each app registers the tables it owns that may be partitioned, with the column that
places a row in its month (``register``, from ``AppConfig.ready``: the cases by their
received time, the tickets by their day, the reviews by their creation time). Nothing
is partitioned until an operator runs ``onewindow partition --apply``; a default
install keeps plain tables. ``onewindow partition --ensure`` (the daily job
``partitions``) then creates the coming months' partitions ahead of the rows.

What the conversion keeps and how is in ``convert.py``: the primary key becomes
(id, the month's column); a unique constraint without that column, and the foreign
keys pointing at the table, are kept through a narrow unpartitioned side table
``<table>_ids`` that a trigger keeps (``sidetable.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from onewindow.core.partitions import convert, months


@dataclass(frozen=True)
class Partitioned:
    table: str
    column: str


_REGISTERED: dict[str, Partitioned] = {}
_AFTER: list[Callable[[], object]] = []


def register(table: str, column: str) -> None:
    """Register a table that may be partitioned by month of ``column``."""
    _REGISTERED[table] = Partitioned(table, column)


def after_change(hook: Callable[[], object]) -> None:
    """Call ``hook()`` after ``apply`` and ``ensure`` (an app's marks that depend on the
    partitions: the cases' ``horizon``)."""
    if hook not in _AFTER:
        _AFTER.append(hook)


def _changed() -> None:
    for hook in _AFTER:
        hook()


def registered() -> list[Partitioned]:
    return list(_REGISTERED.values())


def supported(connection) -> bool:
    return connection.vendor == "postgresql"


def plan(connection, *, ahead: int = months.AHEAD) -> list[str]:
    """What ``apply`` would do, one line a step, changing nothing."""
    lines: list[str] = []
    for item in registered():
        lines += convert.describe(connection, item.table, item.column, ahead=ahead)
    return lines


def apply(connection, *, ahead: int = months.AHEAD) -> list[str]:
    """Convert every registered table not yet partitioned, each in its own transaction."""
    done: list[str] = []
    for item in registered():
        done += convert.convert(connection, item.table, item.column, ahead=ahead)
    _changed()
    return done


def ensure(connection, *, ahead: int = months.AHEAD) -> list[str]:
    """The partitions of this month and the ``ahead`` next ones, where missing."""
    done: list[str] = []
    for item in registered():
        done += months.ensure(connection, item.table, item.column, ahead=ahead)
    _changed()
    return done


def is_partitioned(connection, table: str) -> bool:
    return supported(connection) and months.is_partitioned(connection, table)
