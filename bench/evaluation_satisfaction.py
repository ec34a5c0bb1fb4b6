"""Satisfaction per department per month over 1,000,000 reviews on PostgreSQL (R-EVAL-3):
``department_satisfaction(..., by_month=True)`` over a whole year, which reads the
reviews' monthly rollup (``evaluation.ReviewMonth``), against ``SELECT count(*)`` of
the reviews table, in the same run. Medians of several runs; goal ≤ 0.2.

The reviews are filled with one ``INSERT … SELECT generate_series`` (40 departments,
12 months, five levels, a share of defaults and excluded reviews), the rollup is
rebuilt from them (``onewindow rebuild-rollups``' evaluation part), then ANALYZE.
The database is ``ow_bench_eval`` (or ``BENCH_EVAL_DB``) on the server of DATABASE_URL
(default postgres://postgres@127.0.0.1:5432); it is created if missing and reused.

    python bench/evaluation_satisfaction.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report, sized  # noqa: E402

DEPARTMENTS = 40


def database_url() -> str:
    import dj_database_url

    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    config = dj_database_url.parse(base)
    if "postgres" not in config["ENGINE"]:
        base = "postgres://postgres@127.0.0.1:5432/postgres"
    head = base.rsplit("/", 1)[0]
    return f"{head}/{os.environ.get('BENCH_EVAL_DB', 'ow_bench_eval')}"


def median_time(fn, repeat: int = 5) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _network():
    from onewindow.org.models import Center, Department, DepartmentLine, Level, Region

    pref, _ = Region.objects.get_or_create(
        code="629900", defaults={"name": "基准州", "level": Level.PREFECTURE}
    )
    center, _ = Center.objects.get_or_create(
        code="B629900", defaults={"name": "基准州政务服务中心", "region": pref}
    )
    departments = []
    for i in range(DEPARTMENTS):
        line, _ = DepartmentLine.objects.get_or_create(
            code=f"bench{i:02d}", defaults={"name": f"系统{i}", "body_suffix": f"局{i}"}
        )
        dept, _ = Department.objects.get_or_create(
            line=line, region=pref, defaults={"name": f"基准部门{i:02d}", "center": center}
        )
        departments.append(dept.pk)
    return center, departments


def fill(rows: int) -> None:
    from django.db import connection

    from onewindow.evaluation import rollups
    from onewindow.evaluation.models import Review, ReviewMonth

    if Review.objects.count() == rows:
        if not ReviewMonth.objects.exists():
            rollups.rebuild(None)
        return
    center, departments = _network()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE evaluation_rectificationevent, evaluation_appeal, evaluation_rectification, evaluation_review RESTART IDENTITY CASCADE"
        )
        cur.execute(
            """
            INSERT INTO evaluation_review (
                kind, subject, stage, channel, level, indicators, reasons, text,
                center_id, department_id, contact_name_cipher, contact_phone_cipher,
                real_name, is_default, excluded, excluded_reason, created_at)
            SELECT 'unsolicited', 'department', '', 'web',
                   CASE WHEN g %% 23 = 0 THEN 1 WHEN g %% 17 = 0 THEN 2 WHEN g %% 7 = 0 THEN 3
                        WHEN g %% 3 = 0 THEN 4 ELSE 5 END,
                   '{}'::jsonb, '[]'::jsonb, '', %s, (%s::int[])[1 + g %% %s], '', '',
                   false, g %% 11 = 0, g %% 97 = 0, '',
                   timestamptz '2025-01-01 00:00+08' + (g %% 365) * interval '1 day'
                       + (g %% 600) * interval '1 minute'
            FROM generate_series(1, %s) AS g
            """,
            [center.pk, departments, len(departments), rows],
        )
        rollups.rebuild(None)
        cur.execute("ANALYZE evaluation_review")
        cur.execute("ANALYZE evaluation_reviewmonth")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=sized(1_000_000))
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    from catalog_search import ensure_database

    try:
        ensure_database()
    except Exception as exc:  # no PostgreSQL server here
        print(f"evaluation satisfaction: skipped (no PostgreSQL: {exc.__class__.__name__})")
        return
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from onewindow.core.scope import Scope
    from onewindow.evaluation.selectors import department_satisfaction

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(args.rows)
    filled = time.perf_counter() - started

    def count_all():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM evaluation_review")
            cur.fetchone()

    rows = []

    def per_department_month():
        rows[:] = department_satisfaction(
            Scope.all(), date(2025, 1, 1), date(2025, 12, 31), by_month=True
        )

    base = median_time(count_all)
    subject = median_time(per_department_month)
    report(
        f"satisfaction per department per month, {args.rows:,} reviews",
        subject,
        base,
        "SELECT count(*) of the reviews",
        goal=0.2,
    )
    print(
        f"  {len(rows)} department-months; table filled and rollup rebuilt in {filled:.1f}s "
        "(not timed above)"
    )


if __name__ == "__main__":
    main()
