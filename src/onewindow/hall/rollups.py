"""The tickets' monthly rollup (``TicketMonth``), in the month of the ticket's day:
issued, under the center and the category the ticket was taken in; served to the end
(done), with the sums and counts of their waits and service times in seconds, under the
center, the category, the window that served and the clerk. Kept by ``ticket_issue``
and ``ticket_finish`` in their transaction; rebuilt by ``rebuild``; what one ticket
adds is ``ticket_counts`` (the hall statistics count the days of a month begun or not
ended with it, so both sides count alike)."""

from __future__ import annotations

import datetime as dt
import random

from onewindow.core import rollups
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


def _bump(ticket: Ticket, keys: list[tuple[str, int]], stripe: int, **deltas: int) -> None:
    """Add to one stripe of each subject's row of the ticket's month (the rows in the
    order of ``keys``, center first, so two writers lock shared rows in one order)."""
    if not ticket.center_id:
        return
    month = rollups.month_of(ticket.day)
    rows = [
        {**rollups.identity(s, k, month, ticket.center_id, None), "stripe": stripe} for s, k in keys
    ]
    rollups.upsert(TicketMonth, rows, deltas)


def ticket_issued(ticket: Ticket, stripe: int | None = None) -> None:
    """Called before the ticket is saved (it needs only its center, category and day),
    so the issue takes this lock first and the day's number last."""
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
