"""Window planning (R-HALL-4): how long a county center's day takes to plan and how good
the plan is, as ratios against exhaustive search where it is feasible and against the
greedy baseline where it is not.

1. Small halls (6 windows, 4 categories, 2 kinds of window, up to 3 categories a
   window): the heuristic's objective (the worst category's share called within 15
   minutes) over the exhaustive optimum's, and its time over the exhaustive search's.
   Goal: at least 0.98 of the optimum at no more than 1/100 of the time.
2. A county center's day (20 windows, 12 categories, 30-minute intervals 9:00–12:00
   and 14:00–17:00, demand shaped like the demo hall's): the heuristic's time for the
   day, its objective against the greedy baseline's, and the objective of today's
   fixed set-up. Exhaustive search is out of reach (over 10^40 plans an interval).

    python bench/planning.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

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
    ratios, t_heur, t_exh = [], 0.0, 0.0
    for _ in range(instances):
        demands, allowed, clerks, k = _small(rng)
        start = time.perf_counter()
        _, best = exhaustive(demands, allowed, clerks, WITHIN, k)
        t_exh += time.perf_counter() - start
        start = time.perf_counter()
        _, found = heuristic(demands, allowed, clerks, WITHIN, k)
        t_heur += time.perf_counter() - start
        ratios.append(found.worst_within / best.worst_within if best.worst_within else 1.0)
    print(
        f"{'planning: small hall, heuristic objective':<58} {min(ratios):6.3f}x worst, "
        f"{statistics.fmean(ratios):.3f}x mean  (exhaustive optimum = 1.00)"
    )
    print(
        f"{'planning: small hall, heuristic time':<58} {t_heur / t_exh:6.4f}x  "
        f"(exhaustive search = 1.00; {t_exh / instances:.2f} s vs {t_heur / instances:.3f} s)"
    )


def _county_day(rng: random.Random):
    m, n = 12, 20
    services = [rng.uniform(4, 20) for _ in range(m)]
    weights = [rng.uniform(0.3, 2) for _ in range(m)]
    allowed = [frozenset(range(m))] * 6 + [frozenset(rng.sample(range(m), 3)) for _ in range(n - 6)]
    today = tuple(frozenset(rng.sample(sorted(a), min(2, len(a)))) for a in allowed)
    peak = 0.85 * n / max(SHAPE)
    days = []
    for f in SHAPE:
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

    print(
        f"{'planning: county day (20 windows, 12 categories), time':<58} "
        f"{t_heur / t_greedy:8.1f}x  (greedy = 1.00; {t_heur:.2f} s for {len(days)} intervals)"
    )
    gw, hw = mean(base, "worst_within"), mean(planned, "worst_within")
    print(
        f"{'planning: county day, worst category within 15 min':<58} "
        f"{hw / gw if gw else float('inf'):8.2f}x  (greedy = 1.00; {hw:.3f} vs {gw:.3f}; "
        f"today's set-up {mean(fixed, 'worst_within'):.3f})"
    )
    finite = [(p.total_wait, b.total_wait) for p, b in zip(planned, base, strict=True)]
    finite = [(p, b) for p, b in finite if b != float("inf") and p != float("inf")]
    if finite:
        ratio = sum(p for p, _ in finite) / sum(b for _, b in finite)
        print(f"{'planning: county day, total expected wait':<58} {ratio:8.2f}x  (greedy = 1.00)")


def bench_planning() -> None:
    bench_small()
    bench_county_day()


if __name__ == "__main__":
    bench_planning()
