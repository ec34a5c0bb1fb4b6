"""Window planning (R-HALL-4): how long a county center's day takes to plan and how good
the plan is, as ratios against exhaustive search where it is feasible and against the
greedy baseline where it is not.

1. Small halls (6 windows, 4 categories, 2 kinds of window, up to 3 categories a
   window; 12 random instances): the exhaustive optimum's objective (the worst
   category's share called within 15 minutes) over the heuristic's, worst instance
   (goal ≤ 1.02: within 2 %), and the heuristic's time over exhaustive search's
   (goal ≤ 0.01). Exhaustive search evaluates one plan at a time, as written; the
   same search evaluating 4,096 plans at a time on arrays is printed too.
2. A county center's day (20 windows, 12 categories, 12 half hours 9:00–12:00 and
   14:00–17:00, demand shaped like the demo hall's): the heuristic's time for the day
   against the greedy baseline's, its objective against greedy's (higher is better)
   and against today's fixed set-up; the day's plan (``plan_day``: from the previous
   half hour's plan, a cost of 2 points for a changed window, a roster one clerk short
   at lunch-adjacent half hours) with the windows it changes. Exhaustive search is
   out of reach (over 10^40 plans an interval).

    python bench/planning.py          # BENCH_QUICK=1: 2 small halls, 3 half hours
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from common import figure, report, sized  # noqa: E402

from onewindow.planning.day import NO_CHURN, Churn, plan_day  # noqa: E402
from onewindow.planning.model import Target  # noqa: E402
from onewindow.planning.plan import evaluate, exhaustive, greedy, heuristic  # noqa: E402
from onewindow.planning.simulate import Demand  # noqa: E402

WITHIN = 15.0
SHAPE = (1.6, 1.9, 1.9, 1.6, 1.0, 0.7, 0.9, 1.4, 1.5, 1.3, 0.9, 0.6)  # 12 half hours


def _small(rng: random.Random):
    m, n = 4, 6
    load = rng.uniform(0.6, 0.95) * n
    weights = [rng.uniform(0.5, 2) for _ in range(m)]
    services = [rng.uniform(4, 20) for _ in range(m)]
    demands = [
        Demand(load * w / sum(weights) * 60 / s, s) for w, s in zip(weights, services, strict=True)
    ]
    every = frozenset(range(m))
    some = frozenset(rng.sample(range(m), 2))
    return demands, [every] * 3 + [some] * 3, n, 3


def bench_small(instances: int = 12) -> None:
    rng = random.Random(2026)
    ratios, t_heur, t_exh, t_batch = [], 0.0, 0.0, 0.0
    for _ in range(sized(instances, 2)):
        demands, allowed, clerks, k = _small(rng)
        start = time.perf_counter()
        _, best = exhaustive(demands, allowed, clerks, WITHIN, k)
        t_exh += time.perf_counter() - start
        start = time.perf_counter()
        exhaustive(demands, allowed, clerks, WITHIN, k, batch=4096)
        t_batch += time.perf_counter() - start
        start = time.perf_counter()
        _, found = heuristic(demands, allowed, clerks, WITHIN, k)
        t_heur += time.perf_counter() - start
        ratios.append(best.worst_within / found.worst_within if found.worst_within else 1.0)
    figure(
        "planning: small hall, exhaustive objective / heuristic's",
        max(ratios),
        "heuristic",
        goal=1.02,
        subject=statistics.fmean(ratios),
        unit="ratio (worst instance; subject: mean)",
    )
    report("planning: small hall, heuristic time", t_heur, t_exh, "exhaustive", goal=0.01)
    k = len(ratios)
    print(f"{'':<58}   per instance: exhaustive {t_exh / k:.3f} s, batched {t_batch / k:.3f} s, "
          f"heuristic {t_heur / k:.4f} s")  # fmt: skip
    report("planning: small hall, heuristic time (batched exhaustive)", t_heur, t_batch,
           "exhaustive, 4096 plans a batch")  # fmt: skip


def _county_day(rng: random.Random):
    m, n = 12, 20
    services = [rng.uniform(4, 20) for _ in range(m)]
    weights = [rng.uniform(0.3, 2) for _ in range(m)]
    allowed = [frozenset(range(m))] * 6 + [frozenset(rng.sample(range(m), 3)) for _ in range(n - 6)]
    today = tuple(frozenset(rng.sample(sorted(a), min(2, len(a)))) for a in allowed)
    peak = 0.85 * n / max(SHAPE)
    days = []
    for f in SHAPE[: sized(len(SHAPE), 3)]:
        load = peak * f
        days.append(
            [
                Demand(load * w / sum(weights) * 60 / s, s)
                for w, s in zip(weights, services, strict=True)
            ]
        )
    return days, allowed, n, today


def bench_county_day() -> None:
    rng = random.Random(622921)
    days, allowed, clerks, today = _county_day(rng)
    start = time.perf_counter()
    planned = [heuristic(d, allowed, clerks, WITHIN)[1] for d in days]
    t_heur = time.perf_counter() - start
    start = time.perf_counter()
    base = [evaluate(d, greedy(d, allowed, clerks), WITHIN) for d in days]
    t_greedy = time.perf_counter() - start
    fixed = [evaluate(d, today, WITHIN) for d in days]

    def mean(figs, attr):
        return statistics.fmean(getattr(f, attr) for f in figs)

    n = len(days)
    report(f"planning: county day ({n} half hours), heuristic time", t_heur, t_greedy, "greedy",
           note=f"{t_heur:.2f} s for the day")  # fmt: skip
    print(f"{'':<58}   heuristic {t_heur:.2f} s for the day, greedy {t_greedy * 1000:.1f} ms")
    gw, hw = mean(base, "worst_within"), mean(planned, "worst_within")
    figure("planning: county day, worst category within 15 min", hw / gw if gw else float("inf"),
           "greedy", higher_is_better=True, subject=hw, baseline=gw, unit="share",
           note=f"today's fixed set-up {mean(fixed, 'worst_within'):.3f}")  # fmt: skip
    finite = [(p.total_wait, b.total_wait) for p, b in zip(planned, base, strict=True)]
    finite = [(p, b) for p, b in finite if b != float("inf") and p != float("inf")]
    if finite:
        hp, gp = sum(p for p, _ in finite), sum(b for _, b in finite)
        figure("planning: county day, total expected wait", hp / gp, "greedy",
               subject=hp, baseline=gp, unit="person-minutes an hour")  # fmt: skip
    # The day as the page plans it: chained, with a roster and a cost of change.
    roster = [clerks if k % 6 not in (0, 5) else clerks - 1 for k in range(n)]
    target = Target(WITHIN, 0.8)
    for label, churn in (("no cost of change", NO_CHURN), ("cost 2 points", Churn())):
        start = time.perf_counter()
        plans = plan_day(days, allowed, roster, target, today=today, churn=churn, check=False)
        t_day = time.perf_counter() - start
        worst = statistics.fmean(p.figures.worst_within for p in plans)
        moved = sum(p.changes for p in plans)
        report(f"planning: county day plan_day ({label}), time", t_day, t_greedy, "greedy",
               note=f"{t_day:.2f} s; worst within {worst:.3f}; {moved} windows changed")  # fmt: skip
        print(f"{'':<58}   {t_day:.2f} s; worst category within 15 min {worst:.3f}, "
              f"windows changed {moved}")  # fmt: skip


def bench_planning() -> None:
    bench_small()
    bench_county_day()


if __name__ == "__main__":
    bench_planning()
