"""The tickets' monthly rollup (``TicketMonth``), in the month of the ticket's day:
issued, under the center and the category the ticket was taken in; served to the end
(done), with the sums and counts of their waits and service times in seconds, under the
center, the category, the window that served and the clerk. Kept by ``ticket_issue``
and ``ticket_finish`` in their transaction; rebuilt by ``rebuild``; what one ticket
adds is ``ticket_counts`` (the hall statistics count the days of a month begun or not
ended with it, so both sides count alike).

On PostgreSQL a step does not write the rollup's rows itself: it appends what it adds to
``hall_ticketmonth_delta`` (no key, so no lock on a row another step holds), and a
constraint trigger deferred to the commit folds each appended row into its stripe of
``TicketMonth`` and deletes it, in the same transaction. So the rows every terminal and
window of a hall add to are locked only while a transaction commits, not from the
step's first statement to its end; after any commit the delta table is empty and the
rollup exact. A read of the rollup in the writer's own transaction calls ``settle``
first (the rebuild does). Elsewhere (SQLite, one writer at a time) the step adds to the
rows at once, as before."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection

from onewindow.core import rollups, trigger_counts
from onewindow.hall import states
from onewindow.hall.models import Ticket, TicketMonth

# The category a ticket was taken in (its number's letter), kept across transfers.
CATEGORY = "category"


def served_counts(wait: int | None, service: int | None) -> dict[str, int]:
    return {
        "served": 1,
        "wait_sum": wait or 0,
        "wait_count": wait is not None,
        "service_sum": service or 0,
        "service_count": service is not None,
    }


def ticket_counts(
    *, center: int, category: int, state: str, window, clerk, wait, service
) -> list[tuple[list[tuple[str, int]], dict[str, int]]]:
    """What one ticket adds to its month: (subject keys, counters) pairs."""
    out = [(rollups.subjects(center=center, category=category), {"issued": 1})]
    if state == states.DONE:
        keys = rollups.subjects(center=center, category=category, window=window, clerk=clerk)
        out.append((keys, served_counts(wait, service)))
    return out


DELTA = "hall_ticketmonth_delta"
FOLD = "hall_ticketmonth_fold"
FOLD_TRIGGER = "hall_ticketmonth_fold_ins"
IDENTITY = ("subject", "subject_key", "month", "center_id", "department_id", "dept_key", "stripe")
COUNTERS = ("issued", "served", "wait_sum", "wait_count", "service_sum", "service_count")


def delta_sql() -> list[str]:
    """PostgreSQL: the delta table, its fold function and the deferred trigger."""
    table = TicketMonth._meta.db_table
    key = ", ".join(TicketMonth.ROLLUP_KEY)
    cols = ", ".join((*IDENTITY, *COUNTERS))
    news = ", ".join(f"NEW.{c}" for c in (*IDENTITY, *COUNTERS))
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    return [
        f"CREATE TABLE IF NOT EXISTS {DELTA} ("
        "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subject varchar(12) NOT NULL, "
        "subject_key integer NOT NULL, month date NOT NULL, center_id bigint NOT NULL, "
        "department_id bigint NULL, dept_key integer NOT NULL, stripe smallint NOT NULL, "
        + ", ".join(f"{c} bigint NOT NULL DEFAULT 0" for c in COUNTERS)
        + ")",
        f"CREATE OR REPLACE FUNCTION {FOLD}() RETURNS trigger LANGUAGE plpgsql AS $f$\nBEGIN\n"
        f"  INSERT INTO {table} ({cols}) VALUES ({news}) ON CONFLICT ({key}) DO UPDATE SET {adds};\n"
        f"  DELETE FROM {DELTA} WHERE id = NEW.id;\n  RETURN NULL;\nEND;\n$f$",
        f"DROP TRIGGER IF EXISTS {FOLD_TRIGGER} ON {DELTA}",
        f"CREATE CONSTRAINT TRIGGER {FOLD_TRIGGER} AFTER INSERT ON {DELTA} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FOLD}()",
    ]


def install_delta(schema_editor) -> None:
    """The migration's step (PostgreSQL only)."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in delta_sql():
            schema_editor.execute(sql, params=None)


def uninstall_delta(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {DELTA}", params=None)
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FOLD}()", params=None)


def settle() -> None:
    """This transaction's appended rows folded into the rollup now (PostgreSQL folds
    them at the commit): call before reading the rollup inside a transaction that may
    have issued or finished tickets."""
    trigger_counts.settle(connection, [FOLD_TRIGGER])


def _bump(ticket: Ticket, keys: list[tuple[str, int]], stripe: int, **deltas: int) -> None:
    """Add to one stripe of each subject's row of the ticket's month (the rows in the
    order of ``keys``, center first, so two writers lock shared rows in one order): on
    PostgreSQL appended to the delta table, folded at the commit."""
    if not ticket.center_id:
        return
    month = rollups.month_of(ticket.day)
    rows = [
        {**rollups.identity(s, k, month, ticket.center_id, None), "stripe": stripe} for s, k in keys
    ]
    if connection.vendor != "postgresql":
        rollups.upsert(TicketMonth, rows, deltas)
        return
    deltas = {k: int(v) for k, v in deltas.items() if v}
    if not deltas or not rows:
        return
    cols = [*IDENTITY, *deltas]
    one = "(" + ", ".join(["%s"] * len(cols)) + ")"
    params: list = []
    for row in rows:
        params += [row[c] for c in IDENTITY] + list(deltas.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DELTA} ({', '.join(cols)}) VALUES " + ", ".join([one] * len(rows)),
            params,
        )


def ticket_issued(ticket: Ticket, stripe: int | None = None) -> None:
    """Called before the ticket is saved (it needs only its center, category and day),
    so the issue takes the day's number last; at the commit (PostgreSQL) the rollup is
    folded before the ticket's day count is written, as a finish's, so two commits lock
    the shared rows in one order."""
    _bump(
        ticket,
        rollups.subjects(center=ticket.center_id, category=ticket.category_id),
        random.randrange(TicketMonth.STRIPES) if stripe is None else stripe,
        issued=1,
    )


def ticket_finished(ticket: Ticket) -> None:
    _bump(
        ticket,
        rollups.subjects(
            center=ticket.center_id,
            category=ticket.category_id,
            window=ticket.served_window_id,
            clerk=ticket.clerk_id,
        ),
        ticket.pk % TicketMonth.STRIPES,
        **served_counts(ticket.wait_seconds, ticket.service_seconds),
    )


def rebuild(months: list[dt.date] | None) -> int:
    settle()  # this transaction's own steps folded before the recount, not after it
    rollups.clear(TicketMonth, months)
    tally = rollups.Tally(TicketMonth)
    tickets = Ticket.objects.all()
    if months is not None:
        lo, hi = min(months), (max(months) + dt.timedelta(days=32)).replace(day=1)
        tickets = tickets.filter(day__gte=lo, day__lt=hi)
    wanted = None if months is None else set(months)
    rows = tickets.order_by().values_list("day", *COUNTED)
    for day, *values in rows.iterator(chunk_size=20000):
        month = rollups.month_of(day)
        if wanted is not None and month not in wanted:
            continue
        for keys, deltas in ticket_counts(**dict(zip(COUNTED_AS, values, strict=True))):
            tally.add(month, values[0], None, keys, **deltas)
    return tally.save()


# The ticket's columns ``ticket_counts`` reads, and its arguments' names.
COUNTED = (
    "center_id",
    "category_id",
    "state",
    "served_window_id",
    "clerk_id",
    "wait_seconds",
    "service_seconds",
)
COUNTED_AS = ("center", "category", "state", "window", "clerk", "wait", "service")
