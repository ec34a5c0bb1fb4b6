"""The deadline sweep and a department's queue on monthly partitions (docs/scale.md).

Fills a PostgreSQL database with ``--rows`` cases as ``cases_sweep.py`` does (received
over the last two years, a few percent open), partitions the case, ticket and review
tables by month (``onewindow partition --apply``: about 25 months of rows, 3 ahead and a
default partition), then measures against ``SELECT count(*)`` of the (partitioned) cases
in the same run, with the goals of ``cases_sweep.py``:

- the warning sweep's first run (records what crossed a line) and a pass with nothing
  new (median);
- a department's deadline-sorted queue, the first page of 30 (median);
- ``partition --ensure`` with nothing to do (idempotent) and the conversion's time.

It prints the plans of the sweep's candidate query and of the queue, with how many
partitions each reads.

    python bench/scale_partitions.py                         # 2,000,000 cases
    python bench/scale_partitions.py --rows 10000000 --prepared
    BENCH_QUICK=1 python bench/scale_partitions.py           # 200,000

``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/ow_bench_scale``) is
dropped and created again (its name must contain ``bench``) and dropped after the run
unless ``--keep``. ``--prepared`` keeps the filled, unpartitioned database as a template
for later runs (cloned, not filled again). SQLite: skipped (partitions are PostgreSQL's).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from cases_data import build_reference, fill, load_reference  # noqa: E402
from cases_sweep import (  # noqa: E402
    clone,
    exists,
    explain,
    median_time,
    postgres_params,
    prepared_name,
    queries_like,
    recreate,
)
from common import sized  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ow_bench_scale"
CHUNK = 500_000


def _partitions_read(plan: str) -> int:
    return len(set(re.findall(r" on (cases_case_p\w+)", plan)))


def _show(title: str, plan: str) -> None:
    planning = re.search(r"Planning Time: ([\d.]+) ms", plan)
    execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
    print(
        f"\n{title}: {_partitions_read(plan)} partitions of cases_case read; planning "
        f"{planning.group(1) if planning else '?'} ms, execution "
        f"{execution.group(1) if execution else '?'} ms"
    )
    for line in plan.splitlines():
        print("    " + line)


def run(rows: int, prepared: tuple[dict, str] | None) -> None:
    import django

    django.setup()
    from common import figure, report
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from onewindow.cases.models import Case, CaseAlert
    from onewindow.cases.selectors import queue_page
    from onewindow.cases.sweep import sweep
    from onewindow.core.models import SweepMark
    from onewindow.core.scope import Scope

    started = time.perf_counter()
    if prepared is not None and exists(*prepared):
        clone(prepared[0], prepared[1], prepared[0]["name"])
        call_command("migrate", verbosity=0)
        load_reference()
        print(f"cloned from the prepared database {prepared[1]}")
    else:
        call_command("migrate", verbosity=0)
        listings, applicants = build_reference()
        counts = fill(rows, listings, applicants, timezone.now(), chunk=CHUNK)
        print(f"filled {counts['cases']:,} cases in {counts['seconds']:.0f} s")
        if prepared is not None:
            clone(prepared[0], prepared[0]["name"], prepared[1])
            print(f"saved as the prepared database {prepared[1]}")
    print(f"ready after {time.perf_counter() - started:.0f} s")

    def count():
        Case.objects.count()

    plain = median_time(count)
    print(f"count(*) of the unpartitioned cases: {plain * 1000:.1f} ms")
    t0 = time.perf_counter()
    call_command("partition", "--apply", stdout=open(os.devnull, "w"))  # noqa: SIM115
    converted = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'cases_case'::regclass")
        parts = cursor.fetchone()[0]
    print(f"partitioned in {converted:.0f} s: cases_case in {parts} partitions")
    report(
        f"partition --apply over {rows:,} cases (once, under an exclusive lock)",
        converted,
        plain,
        "count(*) of cases",
        note=f"{parts} partitions",
    )

    base = median_time(count)
    print(f"count(*) of the partitioned cases: {base * 1000:.1f} ms")
    t0 = time.perf_counter()
    first = sweep()
    first_seconds = time.perf_counter() - t0
    report(
        f"partitioned: sweep, first run over {rows:,} cases",
        first_seconds,
        base,
        "count(*) of cases",
        goal=1,
        note=f"{first.examined} read, {first.warned} warned, {first.overdue} overdue",
    )
    alerts = CaseAlert.objects.count()
    idle = median_time(sweep, repeat=15)
    assert CaseAlert.objects.count() == alerts, "a pass after the first recorded new alerts"
    report(
        f"partitioned: sweep, a pass with nothing new over {rows:,} cases (median)",
        idle,
        base,
        "count(*) of cases",
        goal=0.1,
    )

    busiest = (
        Case.objects.filter(state__in=["accepted", "in_review", "correcting"])
        .values("department_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    department_id = busiest["department_id"]
    scope = Scope(department_ids=frozenset({department_id}))

    def queue():
        return queue_page.department_queue_page(scope, department_id).cases

    page = queue()
    assert len(page) == 30
    report(
        f"partitioned: department queue, first page of 30 ({busiest['n']:,} open) (median)",
        median_time(queue, repeat=15),
        base,
        "count(*) of cases",
        goal=0.01,
    )

    def ensure():
        out = open(os.devnull, "w")  # noqa: SIM115
        call_command("partition", "--ensure", stdout=out)

    figure(
        "partition --ensure with nothing to do, vs count(*) (median)",
        median_time(ensure, repeat=5) / base,
        "count(*) of cases",
        goal=0.1,
    )

    # A pass as the first of a day (its watermark forgotten), the horizon kept.
    SweepMark.objects.filter(name="cases").delete()
    with CaptureQueriesContext(connection) as captured:
        sweep()
    sql = queries_like(captured, '"alert_on" <=')
    if sql is not None:
        _show("plan: sweep, running cases whose line has come", explain(sql, serial=True))
    qs = queue_page.page_query(scope, department_id)
    sql, params = qs.query.sql_with_params()
    _show("plan: department queue, first page", explain(sql, params))


def bench_scale_partitions(rows: int | None = None) -> None:
    """From ``bench/run.py``: in a child process on its own PostgreSQL database."""
    url = os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "onewindow.settings"}
    env["ONEWINDOW_DATA_DIR"] = tempfile.mkdtemp(prefix="ow-scale-bench-")
    args = [sys.executable, "-u", str(Path(__file__).resolve())]
    if rows:
        args += ["--rows", str(rows)]
    subprocess.run(args, env=env, check=False, timeout=7200)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Sweep and queue on monthly partitions.")
    parser.add_argument("--rows", type=int, default=sized(2_000_000))
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--prepared",
        action="store_true",
        help="fill once into a template database kept for later runs",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    if not urlsplit(url).scheme.startswith("postgres"):
        print("scale partitions: skipped (monthly partitions are PostgreSQL's)")
        return
    db = postgres_params(url)
    try:
        import psycopg

        recreate(db)
    except (ImportError, psycopg.OperationalError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"scale partitions: skipped (no PostgreSQL at {db['host']}:{db['port']}: {first})")
        return
    os.environ.setdefault("ONEWINDOW_DATA_DIR", tempfile.mkdtemp(prefix="ow-scale-bench-"))
    try:
        run(args.rows, (db, prepared_name(db, args.rows)) if args.prepared else None)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate(db, drop_only=True)


if __name__ == "__main__":
    main()
