"""What every benchmark prints with: a median time and a ratio against a baseline."""

from __future__ import annotations

import statistics
import time


def timed(fn, repeat: int = 7) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs, after one warm-up."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(name: str, subject: float, baseline: float, baseline_name: str) -> None:
    print(f"{name:<58} {subject / baseline:6.2f}x  ({baseline_name} = 1.00)")
