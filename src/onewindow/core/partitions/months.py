"""The monthly partitions of a partitioned table: their names and bounds, and
``ensure`` (this month and the next ones; rows the default partition holds for a month
that gets its own partition are moved there, counted out and in again by the triggers).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

AHEAD = 3  # months created ahead of the current one


def is_partitioned(connection, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def first_of(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y%m}"


def default_name(table: str) -> str:
    return f"{table}_pdefault"


def column_is_date(connection, table: str, column: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attname = %s",
            [table, column],
        )
        return cursor.fetchone()[0] == "date"


def bound(month: date, is_date: bool) -> str:
    """A month's first moment as a literal: a date, or the local midnight with its
    offset (the month the work calendar and the rollups count in)."""
    if is_date:
        return f"'{month:%Y-%m-%d}'"
    moment = datetime(month.year, month.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return f"'{moment.isoformat(sep=' ')}'"


def create_sql(table: str, month: date, is_date: bool, storage: str) -> str:
    return (
        f"CREATE TABLE {name(table, month)} PARTITION OF {table} FOR VALUES FROM "
        f"({bound(month, is_date)}) TO ({bound(add_months(month, 1), is_date)}){storage}"
    )


def existing(connection, table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


def storage_of(connection, table: str) -> str:
    """The storage parameters (fillfactor …) of the table's partitions, as a WITH clause."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reloptions FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass AND c.reloptions IS NOT NULL LIMIT 1",
            [table],
        )
        row = cursor.fetchone()
    return f" WITH ({', '.join(row[0])})" if row and row[0] else ""


def flush_pending(cursor) -> None:
    """Run the deferred foreign key checks queued so far in this transaction: a table
    with pending checks cannot be altered."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def wanted(today: date, ahead: int) -> list[date]:
    start = first_of(today)
    return [add_months(start, k) for k in range(ahead + 1)]


def ensure(connection, table: str, column: str, *, ahead: int = AHEAD) -> list[str]:
    if connection.vendor != "postgresql" or not is_partitioned(connection, table):
        return []
    done: list[str] = []
    have = existing(connection, table)
    is_date = column_is_date(connection, table, column)
    storage = storage_of(connection, table)
    for month in wanted(timezone.localdate(), ahead):
        if name(table, month) in have:
            continue
        with transaction.atomic(using=connection.alias):
            moved = _create(connection, table, column, month, is_date, storage)
        done.append(
            f"{table}: 建立分区 {name(table, month)}"
            + (f"（自默认分区移入 {moved} 行）" if moved else "")
        )
    if default_name(table) not in have:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {default_name(table)} PARTITION OF {table} DEFAULT")
        done.append(f"{table}: 建立默认分区 {default_name(table)}")
    return done


def _create(connection, table, column, month, is_date, storage) -> int:
    """The month's partition; rows of that month in the default partition are taken out
    (the delete triggers count them out) and put back through the parent (counted in)."""
    low, high = bound(month, is_date), bound(add_months(month, 1), is_date)
    default = default_name(table)
    with connection.cursor() as cursor:
        flush_pending(cursor)
        moved = 0
        if default in existing(connection, table):
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(
                f"SELECT count(*) FROM {default} WHERE {column} >= {low} AND {column} < {high}"
            )
            moved = cursor.fetchone()[0]
        if moved:
            cursor.execute(f"CREATE TEMP TABLE partition_move (LIKE {table}) ON COMMIT DROP")
            cursor.execute(
                f"WITH gone AS (DELETE FROM {default} WHERE {column} >= {low} "
                f"AND {column} < {high} RETURNING *) INSERT INTO partition_move SELECT * FROM gone"
            )
        cursor.execute(create_sql(table, month, is_date, storage))
        if moved:
            cursor.execute(f"INSERT INTO {table} SELECT * FROM partition_move")
    return moved
