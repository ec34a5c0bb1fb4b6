"""The side table ``<table>_ids`` of a partitioned table: the unique rules that do not
name the month's column, and the target of the foreign keys pointing at the table.

PostgreSQL builds a unique index on a partitioned table only when it includes the
partition key, and a foreign key can only point at such a key. So the rows' ids and
the columns of those unique rules (a case's number and token; a ticket's window and
state; a review's ticket, case and stage) are copied into one narrow, unpartitioned
table under the same unique indexes (same names, same partial predicates), kept by a
trigger in the statement that writes the row: a second case under a number, a second
review of a visit, fails as it did, with the same constraint's name. The foreign keys
that pointed at the table point at the side table's id, still deferred to commit.

Rows the unique rules do not cover are left out when nothing points at the table
(a partial rule keeps only what it constrains); else every id is kept.
"""

from __future__ import annotations

import re

from onewindow.core.partitions.catalog import Index, Table


def name(table: str) -> str:
    return f"{table}_ids"


def needed(info: Table, column: str) -> bool:
    return bool(info.uniques_without(column) or info.referenced_by)


def _columns(info: Table, uniques: list[Index]) -> list[str]:
    wanted: list[str] = []
    for index in uniques:
        text = index.predicate or ""
        for col in info.columns:
            used = col in index.columns or re.search(rf"\b{re.escape(col)}\b", text)
            if used and col != "id" and col not in wanted:
                wanted.append(col)
    return wanted


def _keep(info: Table, uniques: list[Index]) -> str | None:
    """The rows kept (a WHERE on the side table's columns), or None for every row."""
    if info.referenced_by or any(i.predicate is None for i in uniques):
        return None
    return " OR ".join(f"COALESCE(({i.predicate}), false)" for i in uniques)


def _on_side(definition: str, table: str, side: str) -> str:
    return re.sub(rf" ON (public\.)?{re.escape(table)} ", f" ON {side} ", definition, count=1)


def describe(info: Table, column: str) -> list[str]:
    uniques = info.uniques_without(column)
    side = name(info.name)
    lines = [
        f"    唯一约束 {i.name} ({', '.join(i.columns)}) 不含 {column}：移至旁表 {side}，"
        "同名，仍全表唯一（触发器同语句维护）"
        for i in uniques
    ]
    lines += [
        f"    外键 {t}.{n} 指向 {info.name}(id)：改指 {side}(id)，仍延迟到提交时检查"
        for t, n, _ in info.referenced_by
    ]
    if uniques or info.referenced_by:
        keep = _keep(info, uniques)
        lines.append(
            f"    旁表 {side} (id, {', '.join(_columns(info, uniques)) or '—'})："
            + ("每行一条" if keep is None else f"只存 {keep} 的行")
        )
    return lines


def create(cursor, info: Table, column: str) -> list[str]:
    """The side table filled from the (already partitioned) table, its unique indexes,
    its trigger, and the foreign keys pointing at it. Returns what was done."""
    table, side = info.name, name(info.name)
    uniques = info.uniques_without(column)
    cols = _columns(info, uniques)
    keep = _keep(info, uniques)
    typed = ", ".join(["id bigint PRIMARY KEY", *(f"{c} {info.columns[c]}" for c in cols)])
    listed = ", ".join(["id", *cols])
    cursor.execute(f"CREATE TABLE {side} ({typed})")
    cursor.execute(
        f"INSERT INTO {side} ({listed}) SELECT {listed} FROM {table}"
        + (f" WHERE {keep}" if keep else "")
    )
    for index in uniques:
        if index.constraint:
            cursor.execute(
                f"ALTER TABLE {side} ADD CONSTRAINT {index.constraint} {index.constraint_def}"
            )
        else:
            cursor.execute(_on_side(index.definition, table, side))
    new_values = ", ".join(["NEW.id", *(f"NEW.{c}" for c in cols)])
    upsert = f"INSERT INTO {side} ({listed}) VALUES ({new_values}) ON CONFLICT (id) DO " + (
        "UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in cols) if cols else "NOTHING"
    )
    prune = f"DELETE FROM {side} WHERE id = NEW.id AND NOT ({keep});" if keep else ""
    cursor.execute(
        f"CREATE FUNCTION {side}_keep() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
        "BEGIN\n"
        f"  IF TG_OP = 'DELETE' THEN DELETE FROM {side} WHERE id = OLD.id; RETURN NULL; END IF;\n"
        f"  IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN DELETE FROM {side} WHERE id = OLD.id;"
        " END IF;\n"
        f"  {upsert};\n  {prune}\n  RETURN NULL;\nEND;\n$f$"
    )
    cursor.execute(
        f"CREATE TRIGGER {side}_keep AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {side}_keep()"
    )
    watched = ["id", *cols]
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watched)
    cursor.execute(
        f"CREATE TRIGGER {side}_keep_update AFTER UPDATE OF {', '.join(watched)} ON {table} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {side}_keep()"
    )
    done = [f"{table}: 旁表 {side}（{len(uniques)} 个唯一约束）"]
    for child, constraint, definition in info.referenced_by:
        pointed = re.sub(
            rf"REFERENCES (public\.)?{re.escape(table)}\(", f"REFERENCES {side}(", definition
        )
        cursor.execute(f"ALTER TABLE {child} ADD CONSTRAINT {constraint} {pointed}")
        done.append(f"{table}: 外键 {child}.{constraint} 改指 {side}(id)")
    return done
