"""Counts a database keeps by triggers (``cases.CaseOpenCount``, ``hall.TicketDayCount``):
what every such table needs after ``migrate`` and ``flush``.

SQLite remakes a table (new table, copy, drop, rename) to change or drop one of its
columns, and the old table's triggers go with it; a flush empties the centers the counts
name. So after each ``migrate`` and ``flush`` (``post_migrate``) the rows of centers no
longer there are dropped, and lost triggers are created again and the counts recounted.
"""

from __future__ import annotations

from collections.abc import Sequence


def keep_after_migrate(
    db,
    *,
    table: str,
    triggers: Sequence[str],
    drop: Sequence[str],
    create: Sequence[str],
    recount: str,
) -> None:
    """Rows of centers gone dropped from ``table``; when any of ``triggers`` is missing,
    all of them dropped (``drop``) and created (``create``) again and ``table`` refilled
    by ``recount``."""
    if table not in db.introspection.table_names():
        return  # migrated back before the counts
    with db.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE center_id NOT IN (SELECT id FROM org_center)")
        if db.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal",
                [list(triggers)],
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
