"""Counts a database keeps by triggers (``cases.CaseOpenCount``, ``hall.TicketDayCount``):
what every such table needs after ``migrate`` and ``flush``.

SQLite remakes a table (new table, copy, drop, rename) to change or drop one of its
columns, and the old table's triggers go with it; a flush empties the centers the counts
name. So after each ``migrate`` and ``flush`` (``post_migrate``) the rows of centers no
longer there are dropped, and lost triggers are created again and the counts recounted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def keep_after_migrate(
    db,
    *,
    table: str,
    counted: str,
    triggers: Sequence[str],
    drop: Sequence[str],
    create: Sequence[str],
    recount: str,
) -> None:
    """Rows of centers gone dropped from ``table``; when any of ``triggers`` (on
    ``counted``, the table counted) is missing,
    all of them dropped (``drop``) and created (``create``) again and ``table`` refilled
    by ``recount``."""
    if table not in db.introspection.table_names():
        return  # migrated back before the counts
    with db.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE center_id NOT IN (SELECT id FROM org_center)")
        if db.vendor == "postgresql":
            cursor.execute(
                # On the table itself: a partitioned table's partitions carry clones of
                # its row triggers under the same names.
                "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal "
                "AND tgrelid = %s::regclass",
                [list(triggers), counted],
            )
        else:
            names = ", ".join(f"'{t}'" for t in triggers)
            cursor.execute(
                f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
            )
        if cursor.fetchone()[0] == len(triggers):
            return
        for statement in [*drop, *create]:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(recount)


def create_sql(
    vendor: str,
    *,
    table: str,
    function: str,
    triggers: Sequence[str],
    watched: Sequence[str],
    moves: Callable[[bool, bool], str],
    counted_by: str | None = None,
    deferred: bool = False,
) -> list[str]:
    """The statements creating the insert, update and delete triggers of ``table`` (and
    PostgreSQL's function): ``moves(old, new)`` is the statement taking the old row's
    count off and putting the new row's on; an update fires only when one of ``watched``
    changes.

    ``counted_by`` (PostgreSQL): the name of a setting under which an update does not
    fire (``on`` for the current transaction: the statement moves the counts of the rows
    it updates itself, set-based).

    ``deferred`` (PostgreSQL): constraint triggers fired at the commit (``DEFERRABLE
    INITIALLY DEFERRED``), with the rows as they were at each change, so a count row
    every writer adds to is locked only for the commit itself, not from the change to
    the end of the transaction; a reader in the writer's own transaction fires them
    first (``settle``)."""
    columns = ", ".join(watched)
    insert, update, delete = triggers
    if vendor == "postgresql":
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watched)
        if counted_by is not None:
            assert all(part.isidentifier() for part in counted_by.split("."))
            changed = f"({changed}) AND current_setting('{counted_by}', true) IS DISTINCT FROM 'on'"
        body = (
            "BEGIN\n"
            f"  IF TG_OP = 'INSERT' THEN {moves(False, True)};\n"
            f"  ELSIF TG_OP = 'DELETE' THEN {moves(True, False)};\n"
            f"  ELSE {moves(True, True)};\n"
            "  END IF;\n  RETURN NULL;\nEND;"
        )
        kind, when = (
            ("CONSTRAINT TRIGGER", " DEFERRABLE INITIALLY DEFERRED")
            if deferred
            else ("TRIGGER", "")
        )
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
            f"{body}\n$f$",
            f"CREATE {kind} {insert} AFTER INSERT ON {table}{when} FOR EACH ROW "
            f"EXECUTE FUNCTION {function}()",
            f"CREATE {kind} {update} AFTER UPDATE OF {columns} ON {table}{when} FOR EACH ROW "
            f"WHEN ({changed}) EXECUTE FUNCTION {function}()",
            f"CREATE {kind} {delete} AFTER DELETE ON {table}{when} FOR EACH ROW "
            f"EXECUTE FUNCTION {function}()",
        ]
    # SQLite: the same statement in each trigger's body; ``IS NOT`` is its "distinct".
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
    return [
        f"CREATE TRIGGER {insert} AFTER INSERT ON {table} BEGIN {moves(False, True)}; END",
        f"CREATE TRIGGER {update} AFTER UPDATE OF {columns} ON {table} "
        f"WHEN {changed} BEGIN {moves(True, True)}; END",
        f"CREATE TRIGGER {delete} AFTER DELETE ON {table} BEGIN {moves(True, False)}; END",
    ]


def settle(db, triggers: Sequence[str]) -> None:
    """Inside a transaction on PostgreSQL: the deferred ``triggers`` fire now for the
    changes made so far (and at once for later ones), so a read in the same transaction
    sees the counts of its own writes. Nothing to do elsewhere or outside a transaction."""
    if db.vendor != "postgresql" or not db.in_atomic_block:
        return
    with db.cursor() as cursor:
        # Only the deferrable ones there (a test may have dropped them; naming one that
        # is not there would fail the transaction).
        cursor.execute(
            "SELECT DISTINCT tgname FROM pg_trigger WHERE tgname = ANY(%s) AND tgdeferrable",
            [list(triggers)],
        )
        there = sorted(name for (name,) in cursor.fetchall())
        if there:
            cursor.execute(f"SET CONSTRAINTS {', '.join(there)} IMMEDIATE")


def drop_sql(vendor: str, *, table: str, function: str, triggers: Sequence[str]) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {t} ON {table}" for t in triggers] + [
            f"DROP FUNCTION IF EXISTS {function}()"
        ]
    return [f"DROP TRIGGER IF EXISTS {t}" for t in triggers]
