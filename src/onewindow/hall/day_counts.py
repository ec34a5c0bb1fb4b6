"""Tickets per center, day and state (``TicketDayCount``, R-SUP-4): kept by database
triggers on ``hall_ticket``, recounted from the tickets by ``onewindow
rebuild-rollups``. The dashboard's today's hall reads today's rows (a few per center)
instead of today's tickets.

The triggers read these columns of the ticket row and no other: ``id``,
``center_id``, ``day``, ``state``; the update trigger fires only when one of the last
three changes. A ticket's step moves it from one key to another in one statement (the
decrement and the increment summed per key, written in key order, nothing written when
the key stays), so two steps at once lock rows in the same order."""

from __future__ import annotations

import datetime as dt

from django.db import connection, connections, transaction
from django.db.models import Q, Sum

from onewindow.core import trigger_counts
from onewindow.hall import states
from onewindow.hall.count_models import STRIPES

TABLE = "hall_ticketdaycount"
KEY = ("center_id", "day", "state", "stripe")
WATCHED = ("center_id", "day", "state")
FUNCTION = "hall_ticket_day_count"
TRIGGERS = ("hall_ticket_day_count_ins", "hall_ticket_day_count_upd", "hall_ticket_day_count_del")


def _select(x: str, n: str) -> str:
    return (
        f"SELECT {x}.center_id AS center_id, {x}.day AS day, {x}.state AS state, "
        f"{x}.id % {STRIPES} AS stripe, {n} AS n"
    )


def _upsert(select: str) -> str:
    cols = ", ".join(KEY)
    return (
        f"INSERT INTO {TABLE} ({cols}, n) SELECT {cols}, SUM(n) FROM ({select}) AS k "
        f"WHERE true GROUP BY {cols} HAVING SUM(n) <> 0 ORDER BY {cols} "
        f"ON CONFLICT ({cols}) DO UPDATE SET n = {TABLE}.n + excluded.n"
    )


def _moves(old: bool, new: bool) -> str:
    parts = []
    if old:
        # A delete takes off only while there are counts (see ``cases.open_counts``).
        kept = "" if new else f" WHERE EXISTS (SELECT 1 FROM {TABLE})"
        parts.append(_select("OLD", "-1") + kept)
    if new:
        parts.append(_select("NEW", "1"))
    return _upsert(" UNION ALL ".join(parts))


def create_sql(vendor: str) -> list[str]:
    """The statements creating the triggers (and PostgreSQL's function)."""
    return trigger_counts.create_sql(
        vendor,
        table="hall_ticket",
        function=FUNCTION,
        triggers=TRIGGERS,
        watched=WATCHED,
        moves=lambda old, new: _moves(old, new),
        deferred=True,
    )


def settle(using: str = "default") -> None:
    """The counts of this transaction's own ticket changes written now (PostgreSQL
    writes them at the commit): call before reading the counts inside a transaction
    that may have changed tickets."""
    trigger_counts.settle(connections[using], TRIGGERS)


def drop_sql(vendor: str) -> list[str]:
    return trigger_counts.drop_sql(
        vendor, table="hall_ticket", function=FUNCTION, triggers=TRIGGERS
    )


def _recount_sql() -> str:
    return _upsert(f"{_select('t', '1')} FROM hall_ticket AS t")


def reinstall(schema_editor) -> None:
    """The triggers dropped and created again as this module writes them (no recount)."""
    vendor = schema_editor.connection.vendor
    for statement in drop_sql(vendor) + create_sql(vendor):
        schema_editor.execute(statement, params=None)


def install(schema_editor) -> None:
    """The migration's forward step: the triggers, then the counts of the tickets there."""
    for statement in create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    schema_editor.execute(_recount_sql(), params=None)


def uninstall(schema_editor) -> None:
    for statement in drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_orphans(**kwargs) -> None:
    """After ``migrate`` and ``flush`` (``post_migrate``): the rows of centers no longer
    there dropped, and the triggers put back (the counts recounted) if a migration lost
    them (SQLite remakes ``hall_ticket`` to change one of its columns)."""
    db = connections[kwargs.get("using") or "default"]
    trigger_counts.keep_after_migrate(
        db,
        table=TABLE,
        counted="hall_ticket",
        triggers=TRIGGERS,
        drop=drop_sql(db.vendor),
        create=create_sql(db.vendor),
        recount=_recount_sql(),
    )


@transaction.atomic
def rebuild(months: list[dt.date] | None = None) -> int:
    """Recount every day's tickets (``months`` is ignored: the rows are cheap to recount)."""
    settle()  # this transaction's own changes counted before the recount, not after it
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_recount_sql())
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def aggregates() -> dict[str, Sum]:
    """Waiting and served (done) tickets as sums over a day's count rows."""
    return {
        "waiting": Sum("n", filter=Q(state=states.WAITING)),
        "served": Sum("n", filter=Q(state=states.DONE)),
    }
