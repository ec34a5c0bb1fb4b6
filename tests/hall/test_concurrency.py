"""R-HALL-2 under parallel requests: two windows never hold one ticket, no number is
issued twice. Real threads, each with its own database connection, on the configured
database (SQLite file with IMMEDIATE transactions, or PostgreSQL)."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections

from onewindow.core.errors import Conflict
from onewindow.core.models import AuditEvent
from onewindow.hall import services, states
from onewindow.hall.models import Ticket, Window
from tests.hall.conftest import add_clerk

pytestmark = pytest.mark.django_db(transaction=True)


def run_threads(targets):
    errors: list[BaseException] = []

    def wrap(fn):
        def inner():
            try:
                fn()
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                connections.close_all()

        return inner

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    if errors:
        raise errors[0]


def test_r_hall_2_two_windows_never_call_one_ticket_and_no_number_is_issued_twice(hall):
    # five windows serving both categories, five clerks; four terminals issuing at once
    windows = [hall.w1, hall.w2, hall.w3]
    clerks = [hall.clerk, hall.clerk2, hall.clerk3]
    for n in (4, 5):
        window = Window.objects.create(center=hall.linxia_center, number=n)
        clerk = add_clerk(hall, f"clerk{n}")
        services.window_set_categories(
            actor=hall.county_admin, window=window, categories=[hall.cat_a, hall.cat_b]
        )
        services.window_sign_in(actor=clerk, window=window)
        windows.append(window)
        clerks.append(clerk)
    for window in windows[:3]:
        services.window_set_categories(
            actor=hall.county_admin, window=window, categories=[hall.cat_a, hall.cat_b]
        )

    per_terminal = 30
    terminals_done = threading.Event()
    issued: list[str] = []
    served: list[tuple[int, int]] = []
    lock = threading.Lock()

    def terminal(seed):
        rng = random.Random(seed)
        for _ in range(per_terminal):
            category = hall.cat_a if rng.random() < 0.6 else hall.cat_b
            reason = "elderly" if rng.random() < 0.2 else ""
            ticket = services.ticket_issue(
                center=hall.linxia_center, category=category, priority_reason=reason
            )
            with lock:
                issued.append(ticket.code)

    def window_worker(window, clerk):
        idle_after_done = 0
        deadline = time.monotonic() + 240
        while idle_after_done < 3 and time.monotonic() < deadline:
            try:
                ticket = services.ticket_call_next(actor=clerk, window=window)
            except Conflict as exc:
                if exc.code == "ticket.busy":
                    continue
                raise
            if ticket is None:
                if terminals_done.is_set():
                    idle_after_done += 1
                time.sleep(0.01)  # a clerk pressing "next" again, not a spin
                continue
            with lock:
                served.append((ticket.pk, window.pk))
            services.ticket_finish(actor=clerk, window=window, ticket=ticket)

    def terminals():
        try:
            run_threads([lambda s=s: terminal(s) for s in range(4)])
        finally:
            terminals_done.set()

    run_threads(
        [terminals]
        + [lambda w=w, c=c: window_worker(w, c) for w, c in zip(windows, clerks, strict=True)]
    )

    total = 4 * per_terminal
    assert len(issued) == total and len(set(issued)) == total  # no code issued twice
    for category in (hall.cat_a, hall.cat_b):
        numbers = sorted(Ticket.objects.filter(category=category).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))  # contiguous, no gaps, no repeats
    # every ticket was called exactly once, by one window, and finished there
    assert len(served) == total
    assert len({pk for pk, _ in served}) == total
    calls = Counter(
        AuditEvent.objects.filter(action="ticket.call").values_list("target_id", flat=True)
    )
    assert len(calls) == total and set(calls.values()) == {1}
    done = Ticket.objects.filter(state=states.DONE)
    assert done.count() == total
    by_ticket = dict(served)
    for ticket in done:
        assert ticket.served_window_id == by_ticket[ticket.pk]
    assert not Ticket.objects.filter(state__in=states.HELD).exists()
    assert len({w for _, w in served}) >= 2  # the work really was shared


def test_r_hall_2_two_windows_racing_for_the_same_chosen_ticket_one_wins(hall):
    services.window_set_categories(actor=hall.county_admin, window=hall.w3, categories=[hall.cat_a])
    target = services.ticket_issue(center=hall.linxia_center, category=hall.cat_a)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def grab(window, clerk):
        barrier.wait()
        try:
            services.ticket_call(actor=clerk, window=window, ticket=target)
            result = f"won:{window.number}"
        except Conflict as exc:
            result = exc.code
        with lock:
            outcomes.append(result)

    run_threads([lambda: grab(hall.w2, hall.clerk2), lambda: grab(hall.w3, hall.clerk3)])
    assert sorted(o.split(":")[0] for o in outcomes) == ["ticket.wrong_state", "won"]
    ticket = Ticket.objects.get(pk=target.pk)
    assert ticket.state == states.CALLED
    assert f"won:{ticket.window.number}" in outcomes
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks skipped by a call are PostgreSQL's (SQLite has one writer at a time)",
)
def test_r_hall_2_a_call_passes_over_the_tickets_other_windows_are_taking(hall):
    """Twenty windows pressing "next" at once: the heads of the queue are locked by the
    other windows' calls that have not committed yet. A call reads past them and takes
    the first ticket nobody is taking; when everything waiting is being taken, it calls
    nobody (not a "busy, try again" error); once the others let go, the first is called."""
    tickets = [
        services.ticket_issue(center=hall.linxia_center, category=hall.cat_a) for _ in range(25)
    ]
    holding, release = threading.Event(), threading.Event()
    held: list[int] = []

    def other_windows(count):
        # Another connection holds the first ``count`` waiting tickets under row locks,
        # as the calls of other windows do until they commit.
        from django.db import transaction

        with transaction.atomic():
            ids = list(
                Ticket.objects.select_for_update(of=("self",))
                .filter(pk__in=[t.pk for t in tickets[:count]])
                .values_list("pk", flat=True)
            )
            held[:] = ids
            holding.set()
            release.wait(timeout=60)

    def calls_while_held(count):
        holding.clear(), release.clear()
        thread = threading.Thread(target=lambda: run_threads([lambda: other_windows(count)]))
        thread.start()
        assert holding.wait(timeout=60)
        try:
            return services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
        finally:
            release.set()
            thread.join(timeout=60)

    # 18 of the first heads being taken: the nineteenth is called.
    ticket = calls_while_held(18)
    assert len(held) == 18
    assert ticket is not None and ticket.pk == tickets[18].pk
    services.ticket_finish(actor=hall.clerk2, window=hall.w2, ticket=ticket)
    # Everything still waiting being taken: nobody for this window, and nothing changed.
    waiting = Ticket.objects.filter(state=states.WAITING).count()
    assert calls_while_held(25) is None
    assert Ticket.objects.filter(state=states.WAITING).count() == waiting
    # Let go: the first in line is called.
    ticket = services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert ticket.pk == tickets[0].pk
