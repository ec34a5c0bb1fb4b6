"""A plain table made a table partitioned by month (RANGE on one column), in one
transaction under an exclusive lock, keeping what the app relies on:

- the columns, defaults, NOT NULL and CHECK constraints (``LIKE … INCLUDING``);
- the id's sequence, continued where it was (a sequence owned by the column);
- the primary key, now (id, column): PostgreSQL asks every unique index of a
  partitioned table to include the partition key;
- unique constraints that include the column, as they were; the others, and the
  foreign keys other tables had to it, through the side table (``sidetable.py``);
- every other index, as a partitioned index of the same name and definition;
- the table's own foreign keys, and its triggers (the counts of R-SUP-4 among them:
  row triggers on a partitioned table fire for the row in whichever partition);
- the storage parameters (fillfactor) on every partition.

Partitions: one a month from the oldest row's month to ``ahead`` months after this
one, and a default partition for anything outside them.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from onewindow.core.partitions import catalog, months, sidetable


def _span(cursor, info: catalog.Table, column: str, ahead: int) -> list[date]:
    is_date = info.columns[column] == "date"
    local = column if is_date else f"({column} AT TIME ZONE current_setting('TimeZone'))::date"
    cursor.execute(f"SELECT min({local}) FROM {info.name}")
    oldest = cursor.fetchone()[0]
    today = timezone.localdate()
    start = months.first_of(min(oldest, today) if oldest else today)
    end = months.add_months(months.first_of(today), ahead)
    span, month = [], start
    while month <= end:
        span.append(month)
        month = months.add_months(month, 1)
    return span


def describe(connection, table: str, column: str, *, ahead: int) -> list[str]:
    if connection.vendor != "postgresql":
        return []
    if months.is_partitioned(connection, table):
        return [f"{table}: 已按 {column} 分区（{len(months.existing(connection, table))} 个分区）"]
    with connection.cursor() as cursor:
        info = catalog.read(cursor, table)
        span = _span(cursor, info, column, ahead)
    pk = info.primary()
    lines = [
        f"{table}: 约 {info.rows:,} 行，按 {column} 的月份分区：{span[0]:%Y-%m} 至 "
        f"{span[-1]:%Y-%m} 共 {len(span)} 个月分区及默认分区 {months.default_name(table)}",
        f"    主键 {pk.constraint} (id) → (id, {column})",
    ]
    lines += [f"    唯一约束 {i.name} 含 {column}：原样保留" for i in info.uniques_with(column)]
    lines += sidetable.describe(info, column)
    lines.append(
        f"    保留：{len(info.plain_indexes())} 个索引、{len(info.checks)} 个检查约束、"
        f"{len(info.foreign_keys)} 个外键、{len(info.triggers)} 个触发器"
        + (f"（{', '.join(n for n, _ in info.triggers)}）" if info.triggers else "")
        + (f"，每个分区 {', '.join(info.storage)}" if info.storage else "")
    )
    return lines


def convert(connection, table: str, column: str, *, ahead: int) -> list[str]:
    if connection.vendor != "postgresql" or months.is_partitioned(connection, table):
        return []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        months.flush_pending(cursor)
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        info = catalog.read(cursor, table)
        span = _span(cursor, info, column, ahead)
        sequence = catalog.sequence_of(cursor, table)
        _build(cursor, info, column, span)
        done = [f"{table}: 已按 {column} 分区，{len(span)} 个月分区及默认分区"]
        if sidetable.needed(info, column):
            done += sidetable.create(cursor, info, column)
        _continue_sequence(cursor, table, sequence)
        cursor.execute(f"ANALYZE {table}")
    return done


def _build(cursor, info: catalog.Table, column: str, span: list[date]) -> None:
    table, new = info.name, f"{info.name}__partitioned"
    is_date = info.columns[column] == "date"
    storage = f" WITH ({', '.join(info.storage)})" if info.storage else ""
    cursor.execute(
        f"CREATE TABLE {new} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({column})"
    )
    for month in span:
        cursor.execute(
            months.create_sql(new, month, is_date, storage).replace(
                f"TABLE {months.name(new, month)} ", f"TABLE {months.name(table, month)} "
            )
        )
    cursor.execute(f"CREATE TABLE {months.default_name(table)} PARTITION OF {new} DEFAULT{storage}")
    cursor.execute(f"INSERT INTO {new} SELECT * FROM {table}")
    for child, constraint, _ in info.referenced_by:
        cursor.execute(f"ALTER TABLE {child} DROP CONSTRAINT {constraint}")
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {table}")
    pk = info.primary()
    cursor.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT {pk.constraint} PRIMARY KEY "
        f"({', '.join(pk.columns)}, {column})"
    )
    for index in info.uniques_with(column):
        if index.constraint:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {index.constraint} {index.constraint_def}"
            )
        else:
            cursor.execute(index.definition)
    for index in info.uniques_without(column):
        # Looked up by these columns still (a case by its number): a plain index, unless
        # one already starts with them (the ``_like`` index of a unique text column).
        if any(i.columns[: len(index.columns)] == index.columns for i in info.plain_indexes()):
            continue
        cursor.execute(
            f"CREATE INDEX {index.name[:55]}_find ON {table} ({', '.join(index.columns)})"
        )
    for index in info.plain_indexes():
        cursor.execute(index.definition)
    for constraint, definition in info.foreign_keys:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {definition}")
    for _, definition in info.triggers:
        cursor.execute(definition)


def _continue_sequence(cursor, table: str, sequence: tuple[int, bool] | None) -> None:
    seq = f"{table}_id_seq"
    cursor.execute(f"CREATE SEQUENCE {seq} AS bigint OWNED BY {table}.id")
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{seq}')")
    if sequence is not None:
        cursor.execute("SELECT setval(%s, %s, %s)", [seq, sequence[0], sequence[1]])
