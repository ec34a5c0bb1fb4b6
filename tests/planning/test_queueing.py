"""R-HALL-2: the choice of the next ticket. Pure, no database."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from onewindow.planning.queueing import Candidate, Policy, choose, next_streak

T0 = datetime(2026, 11, 26, 9, 0)
STRICT = Policy(mode="strict")


def c(id, cat=1, minutes=0, priority=False, appointment=None, target=None):
    return Candidate(
        id=id,
        category_id=cat,
        arrival=T0 + timedelta(minutes=minutes),
        priority=priority,
        appointment_at=appointment,
        target_window_id=target,
    )


def pick(
    cands,
    *,
    policy=STRICT,
    streak=0,
    now=T0 + timedelta(minutes=30),
    cats=frozenset({1}),
    window=7,
):
    chosen = choose(
        cands, window_id=window, categories=cats, policy=policy, priority_streak=streak, now=now
    )
    return chosen.id if chosen else None


def test_r_hall_2_first_come_first_served_within_a_class():
    assert pick([c(2, minutes=5), c(1, minutes=1), c(3, minutes=9)]) == 1


def test_r_hall_2_green_channel_goes_first():
    assert pick([c(1, minutes=0), c(2, minutes=10, priority=True)]) == 2


def test_r_hall_2_a_due_appointment_goes_before_walk_ins_but_not_before_it_is_due():
    due = T0 + timedelta(minutes=25)
    later = T0 + timedelta(hours=2)
    assert pick([c(1, minutes=0), c(2, minutes=20, appointment=due)]) == 2
    assert pick([c(1, minutes=0), c(2, minutes=20, appointment=later)]) == 1


def test_r_hall_2_only_the_windows_categories_and_tickets_sent_to_it():
    assert pick([c(1, cat=2), c(2, cat=1, minutes=5)]) == 2
    assert pick([c(1, cat=2)]) is None
    assert pick([c(1, cat=1), c(2, cat=2, minutes=9, target=7)]) == 2  # transferred to this window
    assert pick([c(1, cat=1, target=8)]) is None  # transferred to another window


def test_r_hall_2_every_k_lets_a_normal_ticket_through_after_k_priority_calls():
    policy = Policy(mode="every_k", k=3)
    cands = [c(1, minutes=0), c(2, minutes=5, priority=True), c(3, minutes=6, priority=True)]
    assert pick(cands, policy=policy, streak=2) == 2
    assert pick(cands, policy=policy, streak=3) == 1
    assert pick(cands, policy=Policy(mode="strict"), streak=30) == 2


def test_r_hall_2_aging_promotes_a_long_wait():
    policy = Policy(mode="strict", aging_minutes=45)
    cands = [c(1, minutes=0), c(2, minutes=20, priority=True)]
    assert pick(cands, policy=policy, now=T0 + timedelta(minutes=30)) == 2
    assert pick(cands, policy=policy, now=T0 + timedelta(minutes=50)) == 1


def test_r_hall_2_streak_counts_priority_calls_in_a_row():
    policy = Policy()
    assert next_streak(c(1, priority=True), streak=2, now=T0, policy=policy) == 3
    assert next_streak(c(1), streak=2, now=T0, policy=policy) == 0


tickets = st.lists(
    st.builds(
        c,
        id=st.integers(1, 10_000),
        cat=st.sampled_from([1, 2]),
        minutes=st.integers(0, 120),
        priority=st.booleans(),
    ),
    max_size=40,
    unique_by=lambda x: x.id,
)


@given(tickets, st.integers(0, 6))
def test_r_hall_2_no_one_waits_behind_more_than_k_priorities_in_a_row(cands, streak):
    """In every_k mode, a window that has made k priority calls in a row calls a
    normal ticket next whenever one is waiting."""
    policy = Policy(mode="every_k", k=3)
    now = T0 + timedelta(minutes=200)
    chosen = choose(
        cands, window_id=1, categories={1, 2}, policy=policy, priority_streak=streak, now=now
    )
    normals = [x for x in cands if not x.priority]
    if not cands:
        assert chosen is None
    elif streak >= 3 and normals:
        assert not chosen.priority
        assert chosen == min(normals, key=lambda x: (x.arrival, x.id))
    else:
        assert chosen in cands
