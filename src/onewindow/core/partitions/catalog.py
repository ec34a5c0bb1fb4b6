"""What PostgreSQL's catalog says about a table before it is partitioned: its indexes
(with their columns and partial predicates), constraints, triggers, the foreign keys
of other tables pointing at it, its storage parameters and its id sequence."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Index:
    name: str
    definition: str
    unique: bool
    primary: bool
    constraint: str | None  # the constraint the index backs (a primary key, a UNIQUE)
    constraint_def: str | None
    columns: tuple[str, ...]
    predicate: str | None


@dataclass
class Table:
    name: str
    columns: dict[str, str]  # name → type
    indexes: list[Index] = field(default_factory=list)
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # name, definition
    checks: list[str] = field(default_factory=list)
    referenced_by: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, def
    triggers: list[tuple[str, str]] = field(default_factory=list)  # name, definition
    storage: list[str] = field(default_factory=list)
    rows: int = 0

    def uniques_without(self, column: str) -> list[Index]:
        return [i for i in self.indexes if i.unique and not i.primary and column not in i.columns]

    def uniques_with(self, column: str) -> list[Index]:
        return [i for i in self.indexes if i.unique and not i.primary and column in i.columns]

    def plain_indexes(self) -> list[Index]:
        return [i for i in self.indexes if not i.unique]

    def primary(self) -> Index:
        return next(i for i in self.indexes if i.primary)


def read(cursor, table: str) -> Table:
    cursor.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        [table],
    )
    info = Table(table, dict(cursor.fetchall()))
    cursor.execute(
        """
        SELECT ic.relname, pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary,
               c.conname, pg_get_constraintdef(c.oid),
               ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                     ORDER BY k.o),
               pg_get_expr(i.indpred, i.indrelid)
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
        WHERE i.indrelid = %s::regclass ORDER BY ic.relname
        """,
        [table],
    )
    info.indexes = [
        Index(name, definition, unique, primary, con, con_def, tuple(cols), pred)
        for name, definition, unique, primary, con, con_def, cols, pred in cursor.fetchall()
    ]
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'c') ORDER BY conname",
        [table],
    )
    for name, kind, definition in cursor.fetchall():
        if kind == "f":
            info.foreign_keys.append((name, definition))
        else:
            info.checks.append(name)
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = %s::regclass AND conrelid <> confrelid "
        "ORDER BY 1, 2",
        [table],
    )
    info.referenced_by = list(cursor.fetchall())
    cursor.execute(
        "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
        [table],
    )
    info.triggers = list(cursor.fetchall())
    cursor.execute(
        "SELECT reloptions, reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table]
    )
    options, rows = cursor.fetchone()
    info.storage = list(options or [])
    info.rows = max(rows, 0)
    return info


def sequence_of(cursor, table: str) -> tuple[int, bool] | None:
    """(last value, whether it was taken) of the id's sequence."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    name = cursor.fetchone()[0]
    if not name:
        return None
    cursor.execute(f"SELECT last_value, is_called FROM {name}")
    return cursor.fetchone()
