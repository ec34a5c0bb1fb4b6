"""R-HALL-2 under a rush: the tickets' monthly rollup is kept in stripes, so terminals
and windows adding to their center's month do not queue behind one row; issuing and
calling at once in real threads still counts every ticket once (the stripes sum to an
exact recount) and never hands one ticket to two windows. The "three ahead" message
finds its ticket with one read of the queue's head, in the call order."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from onewindow.core.errors import Conflict
from onewindow.hall import rollups, services, states
from onewindow.hall.models import Ticket, TicketMonth, Window
from onewindow.hall.selectors import queue as queue_selectors
from onewindow.hall.selectors.rules import policy_for
from tests.hall.conftest import add_clerk
from tests.hall.test_concurrency import run_threads
from tests.hall.test_queue_heads import _midday, _world

COUNTERS = ("issued", "served", "wait_sum", "wait_count", "service_sum", "service_count")


def _totals() -> dict:
    """The rollup's counters per subject and month, the stripes summed."""
    rows = (
        TicketMonth.objects.order_by()
        .values("subject", "subject_key", "month", "center_id")
        .annotate(**{f"n_{c}": Sum(c) for c in COUNTERS})
    )
    return {
        (r["subject"], r["subject_key"], r["month"], r["center_id"]): {
            c: r[f"n_{c}"] for c in COUNTERS if r[f"n_{c}"]
        }
        for r in rows
    }


@pytest.mark.django_db(transaction=True)
def test_r_hall_2_concurrent_issue_and_call_keep_the_striped_rollup_exact(hall):
    windows = [hall.w1, hall.w2]
    clerks = [hall.clerk, hall.clerk2]
    for n in (4, 5):
        window = Window.objects.create(center=hall.linxia_center, number=n)
        clerk = add_clerk(hall, f"stripe{n}")
        services.window_sign_in(actor=clerk, window=window)
        windows.append(window)
        clerks.append(clerk)
    for window in windows:
        services.window_set_categories(
            actor=hall.county_admin, window=window, categories=[hall.cat_a, hall.cat_b]
        )
    per_terminal, terminals_n = 12, 3
    terminals_done = threading.Event()
    served: list[tuple[int, int]] = []
    lock = threading.Lock()

    def terminal(seed):
        rng = random.Random(seed)
        for _ in range(per_terminal):
            services.ticket_issue(
                center=hall.linxia_center,
                category=hall.cat_a if rng.random() < 0.5 else hall.cat_b,
                priority_reason="elderly" if rng.random() < 0.2 else "",
            )

    def window_worker(window, clerk):
        idle_after_done, deadline = 0, time.monotonic() + 240
        while idle_after_done < 3 and time.monotonic() < deadline:
            try:
                ticket = services.ticket_call_next(actor=clerk, window=window)
            except Conflict as exc:
                if exc.code == "ticket.busy":
                    continue
                raise
            if ticket is None:
                idle_after_done += terminals_done.is_set()
                time.sleep(0.01)  # a clerk pressing "next" again, not a spin
                continue
            with lock:
                served.append((ticket.pk, window.pk))
            services.ticket_finish(actor=clerk, window=window, ticket=ticket)

    def terminals():
        try:
            run_threads([lambda s=s: terminal(s) for s in range(terminals_n)])
        finally:
            terminals_done.set()

    run_threads(
        [terminals]
        + [lambda w=w, c=c: window_worker(w, c) for w, c in zip(windows, clerks, strict=True)]
    )

    total = per_terminal * terminals_n
    assert len(served) == total and len({pk for pk, _ in served}) == total  # each once
    assert Ticket.objects.filter(state=states.DONE).count() == total
    live = _totals()
    center = ("center", hall.linxia_center.pk)
    (month,) = {key[2] for key in live}
    assert live[(*center, month, hall.linxia_center.pk)]["issued"] == total
    assert live[(*center, month, hall.linxia_center.pk)]["served"] == total
    # more than one stripe of the center's month was written to
    stripes = TicketMonth.objects.filter(subject="center", subject_key=hall.linxia_center.pk)
    assert stripes.values("stripe").distinct().count() > 1
    # the stripes sum to an exact recount (a rebuild writes one stripe per subject)
    rollups.rebuild(None)
    assert set(TicketMonth.objects.values_list("stripe", flat=True)) == {0}
    assert _totals() == live


@pytest.mark.django_db
def test_r_hall_2_issue_adds_to_a_stripe_then_takes_the_number(hall):
    """The issue's statements in lock order: the rollup's stripe first (on PostgreSQL
    an appended row, folded at the commit), the day's number last before the ticket, so
    the category's counter is held only briefly."""
    with CaptureQueriesContext(connection) as queries:
        ticket = services.ticket_issue(center=hall.linxia_center, category=hall.cat_a)
    sql = [q["sql"] for q in queries.captured_queries]
    rollup = next(i for i, s in enumerate(sql) if "hall_ticketmonth" in s)
    counter = next(i for i, s in enumerate(sql) if "core_dailycounter" in s)
    insert = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "hall_ticket"'))
    assert rollup < counter < insert
    assert ticket.code == "A001" and ticket.number == 1
    rollups.settle()  # PostgreSQL folds at the commit; the test is one transaction
    row = TicketMonth.objects.get(subject="center", subject_key=hall.linxia_center.pk)
    assert row.issued == 1 and 0 <= row.stripe < TicketMonth.STRIPES


@pytest.mark.django_db
@pytest.mark.parametrize("position", [0, 3, 7])
def test_r_hall_2_in_line_is_the_ticket_at_that_place_in_the_call_order(hall, position):
    now = _midday()
    tickets = _world(hall, now)
    policy = policy_for(hall.linxia_center)
    for queue in (hall.cat_a, hall.cat_b):
        same = [t for t in tickets if t.queue_id == queue.pk and not t.target_window_id]
        order = queue_selectors.ordered_waiting(same, now, policy)  # the reference order
        with CaptureQueriesContext(connection) as queries:
            found = queue_selectors.in_line(same[0], position, now=now, policy=policy)
        # one read (on PostgreSQL prepared first, once per connection)
        assert len([q for q in queries.captured_queries if not q["sql"].startswith("PREPARE")]) == 1
        expected = order[position] if len(order) > position else None
        assert found == (None if expected is None else (expected.pk, expected.code, expected.phone))
    assert queue_selectors.in_line(tickets[0], len(tickets), now=now, policy=policy) is None


@pytest.mark.parametrize("aging", [60, 0])
def test_r_hall_2_a_statement_compiled_once_takes_each_calls_values(aging):
    """The heads' statement compiled once per process (``core.statements``) gives, for
    other values, exactly what the ORM compiles for them."""
    from datetime import UTC, date, datetime, timedelta

    from onewindow.core.statements import statement
    from onewindow.planning import queueing

    policy = queueing.Policy(aging_minutes=aging)
    for i, (center, window, queues) in enumerate([(3, 5, [2, 4, 9]), (11, 12, [7])]):
        now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC) + timedelta(minutes=17 * i)
        day = date(2026, 3, 2) + timedelta(days=i)

        def build(*, center, window, day, now, queues):
            return queue_selectors._heads_sql(center, window, day, queues, policy, now, 10)

        cached = statement(
            ("test.heads", aging),  # compiled at the first values, reused at the second
            build,
            center=center,
            window=window,
            day=day,
            now=now,
            queues=queues,
        )
        sql, params = build(center=center, window=window, day=day, now=now, queues=queues)
        assert cached == (sql, [list(p) if isinstance(p, tuple) else p for p in params])
