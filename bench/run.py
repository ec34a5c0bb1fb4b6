"""OneWindow benchmarks. Each figure is printed as a ratio against a baseline measured
in the same run on the same machine (absolute times on shared machines are noise).

    make bench
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
from datetime import UTC, date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import cases_sweep  # noqa: E402
import catalog_search  # noqa: E402
import dashboard_rollups  # noqa: E402
import hall_county  # noqa: E402
import hall_load  # noqa: E402
import planning  # noqa: E402
import scale_partitions  # noqa: E402
from common import gather, quick, report, timed  # noqa: E402


def bench_work_calendar() -> None:
    from onewindow.core.workcalendar import Pause, WorkCalendar, official_chinese_calendar

    rng = random.Random(2026)
    jobs = [
        (date(2026, 1, 1) + timedelta(days=rng.randrange(300)), rng.randrange(1, 60))
        for _ in range(2000)
    ]
    calendar = WorkCalendar()

    def weekdays_only():
        for start, n in jobs:
            day, counted = start, 0
            while counted < n:
                day += timedelta(days=1)
                if day.weekday() < 5:
                    counted += 1

    def official():
        for start, n in jobs:
            calendar.add_working_days(start, n)

    def official_with_pause():
        for start, n in jobs:
            calendar.add_working_days(
                start, n, [Pause(start + timedelta(days=2), start + timedelta(days=9))]
            )

    def official_cold():
        official_chinese_calendar.cache_clear()
        cold = WorkCalendar()
        for start, n in jobs:
            cold.add_working_days(start, n)

    base = timed(weekdays_only)
    report(
        "work calendar: 2000 deadlines, fresh calendar (cold)",
        timed(official_cold),
        base,
        "weekend-only loop",
    )
    report(
        "work calendar: 2000 deadlines, warm calendar (server)",
        timed(official),
        base,
        "weekend-only loop",
    )
    report(
        "work calendar: 2000 deadlines, with a correction pause",
        timed(official_with_pause),
        base,
        "weekend-only loop",
    )


def bench_scoped_queries() -> None:
    """Scope filtering (R-NET-3) on the Linxia demo network against unfiltered reads."""
    data_dir = tempfile.mkdtemp(prefix="ow-bench-")
    os.environ["ONEWINDOW_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    except Exception as exc:  # the demo set is what gives the network its size
        print(f"scoped queries: skipped ({exc})")
        return
    from onewindow.core.scope import scope_for
    from onewindow.org import selectors
    from onewindow.org.models import Center, StaffProfile

    county_admin = (
        StaffProfile.objects.filter(
            user__groups__name="center_admin", center__region__level="county"
        )
        .select_related("user")
        .first()
        .user
    )
    scope = scope_for(county_admin)

    def unscoped():
        for _ in range(50):
            list(Center.objects.select_related("region"))

    def scoped():
        for _ in range(50):
            list(selectors.center_list(scope=scope))

    User = type(county_admin)

    def fetch_user():
        for _ in range(50):
            User.objects.get(pk=county_admin.pk)

    def scope_computation():
        for _ in range(50):
            scope_for(User.objects.get(pk=county_admin.pk))

    base = timed(unscoped)
    report("center list, county admin's scope (50 reads)", timed(scoped), base, "unscoped list")
    report(
        "scope of a freshly loaded user (50 times)",
        timed(scope_computation),
        timed(fetch_user),
        "loading the user alone",
    )


def write_results(path: str) -> None:
    """Gather every figure of this run into ``bench/results.json`` (one entry per figure:
    name, ratio, goal, baseline, the absolute numbers and ok)."""
    import json
    import platform
    from datetime import datetime

    figures = gather(path)
    out = Path(__file__).parent / "results.json"
    summary = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick(),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
        "figures": figures,
        "goals_met": sum(1 for f in figures if f["ok"] is True),
        "goals_not_met": [f["name"] for f in figures if f["ok"] is False],
    }
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"\n{len(figures)} figures written to {out}: {summary['goals_met']} goals met, "
        f"{len(summary['goals_not_met'])} not met"
    )


if __name__ == "__main__":
    results = tempfile.NamedTemporaryFile(prefix="ow-bench-", suffix=".jsonl", delete=False)
    results.close()
    os.environ["BENCH_RESULTS"] = results.name  # child processes append here too
    print("OneWindow benchmarks (median of 7 runs; ratios against a same-run baseline)")
    if quick():
        print("quick run: every bench at a tenth of its size (a check, not a measurement)")
    try:
        bench_work_calendar()
        catalog_search.setup()  # first: creates a missing PG database, migrates it
        catalog_search.run_in_child()  # its own process and database
        bench_scoped_queries()
        hall_load.bench_hall_load()  # its own PostgreSQL database and gunicorn server
        hall_county.bench_hall_county()  # the same, 40 county centers with think time
        # Its own process and PostgreSQL database (ow_bench_eval): Django is set up above.
        __import__("subprocess").run(
            [sys.executable, str(Path(__file__).parent / "evaluation_satisfaction.py")]
        )
        cases_sweep.bench_cases_sweep()  # its own PostgreSQL database, a child process
        dashboard_rollups.bench_dashboard_rollups()  # the same (ow_bench_rollups)
        # the same (ow_bench_scale), partitioned; BENCH_SCALE_ROWS=10000000 for a province
        scale_partitions.bench_scale_partitions(
            int(os.environ.get("BENCH_SCALE_ROWS") or 0) or None
        )
        planning.bench_planning()  # pure: window planning against exhaustive and greedy
        # The outbox's throughput: its own process and a temporary SQLite database.
        __import__("subprocess").run(
            [sys.executable, str(Path(__file__).parent / "outbox.py")],
            env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        )
        # Its own gunicorn and Chromium: the portal home on a slow network, against the budget.
        __import__("subprocess").run(
            [sys.executable, str(Path(__file__).parent / "portal_weight.py")]
        )
    finally:
        write_results(results.name)
