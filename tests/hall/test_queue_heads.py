"""R-HALL-2: calling reads only the heads of the queues a window serves, and the policy
still decides exactly as over the whole queue; a ticket's place is counted the same way."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onewindow.hall import services, states
from onewindow.hall.models import HallSettings, Ticket
from onewindow.hall.selectors import queue as queue_selectors
from onewindow.hall.selectors.rules import policy_for
from onewindow.planning import queueing


def _midday():
    """Noon of today in the center's time zone: the world's two hours of tickets then lie
    on one day whatever the hour the suite runs (near midnight they would not)."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(12, 0)))


def _world(hall, now, n=60, seed=15):
    """``n`` waiting tickets in A and B over the last two hours: one in five green
    channel, one in five with an appointment (due or not), a few sent to a window."""
    rng = random.Random(seed)
    tickets = []
    for i in range(n):
        cat = hall.cat_a if rng.random() < 0.6 else hall.cat_b
        issued = now - timedelta(minutes=rng.randrange(0, 120), seconds=i)
        t = services.ticket_issue(
            center=hall.linxia_center,
            category=cat,
            priority_reason="elderly" if rng.random() < 0.2 else "",
            now=issued,
        )
        change = {}
        if rng.random() < 0.2:
            change["appointment_at"] = now + timedelta(minutes=rng.randrange(-30, 30))
        if rng.random() < 0.08:
            change["target_window"] = rng.choice([hall.w1, hall.w2])
        if change:
            Ticket.objects.filter(pk=t.pk).update(**change)
        tickets.append(t.pk)
    return list(Ticket.objects.filter(pk__in=tickets))


def _all_candidates(window):
    return [
        queue_selectors.candidate_of(t)
        for t in Ticket.objects.filter(center_id=window.center_id, state=states.WAITING)
    ]


@pytest.mark.parametrize("mode,aging", [("every_k", 60), ("strict", 0), ("every_k", 0)])
def test_r_hall_2_the_heads_hold_the_policys_first_calls_exactly(hall, mode, aging):
    now = _midday()
    HallSettings.objects.create(
        center=hall.linxia_center, priority_mode=mode, priority_k=2, aging_minutes=aging
    )
    _world(hall, now)
    policy = queueing.Policy(mode=mode, k=2, aging_minutes=aging)
    for window, categories in (
        (hall.w1, {hall.cat_a.pk, hall.cat_b.pk}),
        (hall.w2, {hall.cat_a.pk}),
    ):
        everything = _all_candidates(window)
        for size in (1, 3, 5):
            heads = queue_selectors.queue_heads(
                window, timezone.localdate(now), categories, policy, now, size
            )
            assert len(heads) < len(everything)  # not the whole queue
            for streak in (0, 2):
                kw = dict(
                    window_id=window.pk,
                    categories=categories,
                    policy=policy,
                    priority_streak=streak,
                    now=now,
                )
                full = queueing.order(everything, **kw)[:size]
                assert [c.id for c in queueing.order(heads, **kw)[:size]] == [c.id for c in full]


def test_r_hall_2_the_class_filters_are_the_policys_classes(hall):
    now = _midday()
    tickets = _world(hall, now)
    for aging in (0, 45):
        policy = queueing.Policy(aging_minutes=aging)
        by_filter = {}
        for cls, (condition, _) in queue_selectors.class_filters(policy, now).items():
            for pk in Ticket.objects.filter(condition, pk__in=[t.pk for t in tickets]).values_list(
                "pk", flat=True
            ):
                assert pk not in by_filter  # the classes are disjoint
                by_filter[pk] = cls
        expected = {
            t.pk: queueing.ticket_class(queue_selectors.candidate_of(t), now, policy)
            for t in tickets
        }
        assert by_filter == expected
        assert set(expected.values()) == {queueing.PRIORITY, queueing.APPOINTMENT, queueing.NORMAL}


def test_r_hall_2_people_ahead_is_the_place_in_the_call_order(hall):
    now = _midday()
    tickets = _world(hall, now)
    policy = policy_for(hall.linxia_center)  # the center's defaults: aging after 60 minutes
    assert policy.aging_minutes == 60
    for t in tickets:
        if t.target_window_id:
            same = [u for u in tickets if u.target_window_id == t.target_window_id]
        else:
            same = [u for u in tickets if u.queue_id == t.queue_id and not u.target_window_id]
        order = queue_selectors.ordered_waiting(same, now, policy)  # the reference order
        assert queue_selectors.people_ahead(t, now) == [u.pk for u in order].index(t.pk)
    assert queue_selectors.people_ahead(tickets[0], now) is not None


def test_r_hall_2_a_call_reads_the_same_few_rows_however_long_the_queue(hall):
    """The queries of one call do not grow with the queue, and the heads statement
    returns at most the few heads of each class of each queue."""
    counts = []
    for extra in (3, 40):
        for _ in range(extra):
            services.ticket_issue(center=hall.linxia_center, category=hall.cat_a)
        with CaptureQueriesContext(connection) as queries:
            ticket = services.ticket_call_next(actor=hall.clerk, window=hall.w1)
        services.ticket_finish(actor=hall.clerk, window=hall.w1, ticket=ticket)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert (
        counts[0] <= 12
    )  # context 2, heads 1, lock window 1, take 1, update 1, audit 1 + savepoints
    now = timezone.now()
    heads = queue_selectors.queue_heads(
        hall.w1, timezone.localdate(now), {hall.cat_a.pk, hall.cat_b.pk}, queueing.Policy(), now
    )
    assert len(heads) == queue_selectors.HEAD_SIZE  # ten of A's normal class, B is empty
