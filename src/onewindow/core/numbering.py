"""Daily numbers (a ticket's 1, 2, 3 …; a case's, a complaint's, a bundle application's
running number within a day): one counter row per series, key and day, locked to number.

Every numbered record takes its number here, inside the transaction that creates it: two
windows, two terminals or two clerks never get the same number, on SQLite and on
PostgreSQL (the row is created with ``ignore_conflicts`` and then locked).
"""

from __future__ import annotations

import sqlite3
from datetime import date

from django.db import connections, router

from onewindow.core.locking import for_update
from onewindow.core.models import DailyCounter


def next_in_day(*, series: str, key: int | str, day: date) -> int:
    """The next number of ``series`` for ``key`` (a center, a category …) on ``day``,
    starting at 1. Call inside a transaction.

    One statement where the database has an upsert with RETURNING (PostgreSQL; SQLite
    3.35 and later): the row is created at 1 or counted up under its row lock, which is
    held to the end of the transaction as before."""
    key = str(key)
    connection = connections[router.db_for_write(DailyCounter)]
    if _has_upsert(connection):
        table = connection.ops.quote_name(DailyCounter._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {table} ("series", "key", "day", "last") VALUES (%s, %s, %s, 1) '
                'ON CONFLICT ("series", "key", "day") DO UPDATE SET "last" = '
                f'{table}."last" + 1 RETURNING "last"',
                [series, key, day],
            )
            return cursor.fetchone()[0]
    DailyCounter.objects.bulk_create(
        [DailyCounter(series=series, key=key, day=day)], ignore_conflicts=True
    )
    counter = for_update(DailyCounter.objects).get(series=series, key=key, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _has_upsert(connection) -> bool:
    if connection.vendor == "postgresql":
        return True
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version_info >= (3, 35)
    return False
