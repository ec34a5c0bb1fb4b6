"""The plan of a whole day, interval by interval (R-HALL-4). Pure: no Django.

Each interval is planned for the clerks on the roster then (never more open windows
than clerks present), by local search starting from the previous interval's plan
(cut down to the roster, and to the categories that still have work) as well as from
the greedy plans. Changing a window's categories has a cost (``Churn``): a plan that
changes ``k`` windows against the interval before is judged with its worst category's
share in time lowered by ``k·share`` and its total wait raised by ``k·wait``
person-minutes an hour, so a window is not flipped every half hour for a trifle. The
first interval is the morning's set-up and is free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from onewindow.planning.model import Setup, Target
from onewindow.planning.plan import IntervalPlan, greedy, heuristic, plan_interval
from onewindow.planning.simulate import Demand


@dataclass(frozen=True)
class Churn:
    """What one changed window costs: ``share`` of the worst category's share called
    in time (0.02: two percentage points), or ``wait`` person-minutes of waiting an
    hour when the shares tie."""

    share: float = 0.02
    wait: float = 30.0


NO_CHURN = Churn(0.0, 0.0)
DEFAULT_CHURN = Churn()


def changes(before: Setup | None, after: Setup) -> int:
    """Windows whose categories differ (opened and closed windows count)."""
    if before is None:
        return 0
    return sum(1 for a, b in zip(before, after, strict=True) if a != b)


def carried(
    previous: Setup, demands: Sequence[Demand], allowed: Sequence[frozenset[int]], clerks: int
) -> Setup:
    """The previous interval's plan as a start for this one: categories without work
    dropped, and (when fewer clerks are on the roster) the windows carrying the least
    work closed."""
    live = {i for i, d in enumerate(demands) if d.arrivals_per_hour > 0}
    work = [d.arrivals_per_hour * d.mean_service_min for d in demands]
    setup = [s & a & live for s, a in zip(previous, allowed, strict=True)]
    open_ = sorted(
        (w for w, s in enumerate(setup) if s), key=lambda w: (sum(work[i] for i in setup[w]), w)
    )
    for w in open_[: max(0, len(open_) - clerks)]:
        setup[w] = frozenset()
    return tuple(setup)


def _scorer(previous: Setup, churn: Churn):
    def score(setup: Setup, key: tuple) -> tuple:
        k = changes(previous, setup)
        worst, wait, uncovered, busiest = key
        return (round(worst - churn.share * k, 9), wait - churn.wait * k, uncovered, busiest)

    return score


def plan_day(
    intervals: Sequence[Sequence[Demand]],
    allowed: Sequence[frozenset[int]],
    clerks: Sequence[int],
    target: Target,
    *,
    today: Setup | None = None,
    churn: Churn = DEFAULT_CHURN,
    per_window: int = 3,
    check: bool = True,
    seeds: Sequence[int] = (1, 2),
) -> list[IntervalPlan]:
    """One plan per interval (``clerks[t]`` clerks on the roster in interval ``t``),
    each with the number of windows changed against the interval before."""
    plans: list[IntervalPlan] = []
    previous: Setup | None = None
    for demands, present in zip(intervals, clerks, strict=True):
        present = max(0, min(present, len(allowed)))
        starts = [
            greedy(demands, allowed, present, per_window),
            greedy(demands, allowed, present, per_window, fill=True),
        ]
        score = None
        if previous is not None:
            starts.insert(0, carried(previous, demands, allowed, present))
            score = _scorer(previous, churn)
        found = heuristic(
            demands, allowed, present, target.within_min, per_window, starts=starts, score=score
        )
        plan = plan_interval(
            demands,
            allowed,
            present,
            target,
            today=today,
            per_window=per_window,
            check=check,
            seeds=seeds,
            found=found,
        )
        plan.changes = changes(previous, plan.setup)
        plans.append(plan)
        previous = plan.setup
    return plans
