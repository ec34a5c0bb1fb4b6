"""What every benchmark prints with: a median time and a ratio against a baseline, and
the record of each figure that `make bench` gathers into `bench/results.json`.

A figure is recorded by ``report`` (a time against a baseline time) or by ``figure``
(any ratio already computed, for example a throughput against ping's). Child processes
append to the JSON-lines file named by ``BENCH_RESULTS``; ``run.py`` sets it and writes
the gathered figures to ``bench/results.json`` at the end. ``BENCH_QUICK=1``
(``make bench-quick``) asks every bench for a tenth of its size through ``sized``.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import time


def quick() -> bool:
    """True under ``make bench-quick``: a check while developing, not a measurement."""
    return os.environ.get("BENCH_QUICK") == "1"


def sized(n: int, floor: int = 1) -> int:
    """``n``, or a tenth of it (at least ``floor``) under ``make bench-quick``."""
    return max(floor, n // 10) if quick() else n


def timed(fn, repeat: int = 7) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs, after one warm-up."""
    fn()
    samples = []
    for _ in range(3 if quick() else repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def figure(
    name: str,
    ratio: float,
    baseline_name: str,
    *,
    goal: float | None = None,
    higher_is_better: bool = False,
    subject: float | None = None,
    baseline: float | None = None,
    unit: str = "s",
    note: str = "",
) -> bool | None:
    """Print one figure (a ratio against a same-run baseline) and record it. Returns
    whether it meets its goal (None when it has none)."""
    ok = None
    if goal is not None and not math.isnan(ratio):
        ok = ratio >= goal if higher_is_better else ratio <= goal
    verdict = ""
    if goal is not None:
        sign = "≥" if higher_is_better else "≤"
        verdict = f"  goal {sign} {goal:g}: {'met' if ok else 'NOT MET'}"
    print(f"{name:<58} {ratio:8.3f}x  ({baseline_name} = 1.00){verdict}")
    _record(
        {
            "name": name,
            "ratio": None if math.isinf(ratio) or math.isnan(ratio) else round(ratio, 5),
            "goal": goal,
            "higher_is_better": higher_is_better,
            "baseline": baseline_name,
            "subject_value": subject,
            "baseline_value": baseline,
            "unit": unit,
            "ok": ok,
            "quick": quick(),
            "note": note,
        }
    )
    return ok


def report(
    name: str,
    subject: float,
    baseline: float,
    baseline_name: str,
    *,
    goal: float | None = None,
    note: str = "",
) -> bool | None:
    """A time against a baseline time measured in the same run (lower is better)."""
    ratio = subject / baseline if baseline else float("inf")
    return figure(
        name, ratio, baseline_name, goal=goal, subject=subject, baseline=baseline, note=note
    )


def _record(entry: dict) -> None:
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def gather(path: str) -> list[dict]:
    """The figures recorded into the JSON-lines file ``path`` (in order)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def clear_for_window(actor, profile) -> None:
    """A bench clerk passes pre-job training (R-STAFF-2) before signing in at a window,
    as every new window clerk must (Django set up; the same step as the tests')."""
    from datetime import date

    from onewindow.staffing import clearance
    from onewindow.staffing import services as staffing_services

    if clearance.needs_clearance(profile):
        staffing_services.training_record(
            actor=actor,
            profile=profile,
            kind="pre_job",
            title="窗口岗前培训",
            trainer="中心培训组",
            started_on=date(2025, 1, 6),
            ended_on=date(2025, 1, 10),
            hours=clearance.PRE_JOB_HOURS,
            passed=True,
        )
