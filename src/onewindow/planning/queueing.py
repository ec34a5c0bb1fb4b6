"""Which waiting ticket a window calls next (R-HALL-2). Pure: no Django.

Order within what the window may call (its categories, plus tickets transferred to
this window by name, which come first):
1. green-channel tickets (elderly, disabled, military, pregnant), and any ticket that
   has waited longer than the aging limit;
2. checked-in appointments whose time has come (slot start minus a few minutes);
3. everyone else;
each by arrival time (kept across transfers and no-show returns).

Mode "strict": class 1 always first. Mode "every_k": after k priority calls in a row at
this window, the next call takes the best ticket of the other classes when there is
one, so nobody waits behind an endless stream of priorities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

PRIORITY, APPOINTMENT, NORMAL = 0, 1, 2


@dataclass(frozen=True)
class Candidate:
    id: int
    category_id: int
    arrival: datetime
    priority: bool = False
    appointment_at: datetime | None = None
    target_window_id: int | None = None


@dataclass(frozen=True)
class Policy:
    mode: str = "every_k"  # or "strict"
    k: int = 3
    aging_minutes: int = 0  # 0: off
    appointment_lead_minutes: int = 5


def ticket_class(c: Candidate, now: datetime, policy: Policy) -> int:
    if c.priority:
        return PRIORITY
    if policy.aging_minutes and now - c.arrival >= timedelta(minutes=policy.aging_minutes):
        return PRIORITY
    if (
        c.appointment_at is not None
        and c.appointment_at - timedelta(minutes=policy.appointment_lead_minutes) <= now
    ):
        return APPOINTMENT
    return NORMAL


def _key(c: Candidate, now: datetime, policy: Policy) -> tuple:
    cls = ticket_class(c, now, policy)
    when = c.appointment_at if cls == APPOINTMENT and c.appointment_at else c.arrival
    return (cls, when, c.id)


def eligible(
    candidates: Iterable[Candidate], *, window_id: int, categories: set[int]
) -> list[Candidate]:
    return [
        c
        for c in candidates
        if c.target_window_id == window_id
        or (c.target_window_id is None and c.category_id in categories)
    ]


def order(
    candidates: Iterable[Candidate],
    *,
    window_id: int,
    categories: set[int],
    policy: Policy,
    priority_streak: int,
    now: datetime,
) -> list[Candidate]:
    """Every ticket this window may call, in the order it should try them: the first
    is the one to call; the rest are the fall-backs when another window is taking
    that one at the same moment."""
    pool = eligible(candidates, window_id=window_id, categories=categories)

    def key(c: Candidate) -> tuple:
        return _key(c, now, policy)

    direct = sorted((c for c in pool if c.target_window_id == window_id), key=key)
    rest = sorted((c for c in pool if c.target_window_id != window_id), key=key)
    if (
        policy.mode == "every_k"
        and priority_streak >= policy.k
        and rest
        and ticket_class(rest[0], now, policy) == PRIORITY
    ):
        others = [c for c in rest if ticket_class(c, now, policy) != PRIORITY]
        if others:
            rest = others + [c for c in rest if ticket_class(c, now, policy) == PRIORITY]
    return direct + rest


def choose(
    candidates: Iterable[Candidate],
    *,
    window_id: int,
    categories: set[int],
    policy: Policy,
    priority_streak: int,
    now: datetime,
) -> Candidate | None:
    ordered = order(
        candidates,
        window_id=window_id,
        categories=categories,
        policy=policy,
        priority_streak=priority_streak,
        now=now,
    )
    return ordered[0] if ordered else None


def next_streak(chosen: Candidate, *, streak: int, now: datetime, policy: Policy) -> int:
    """The window's count of priority calls in a row after calling ``chosen``."""
    return streak + 1 if ticket_class(chosen, now, policy) == PRIORITY else 0
