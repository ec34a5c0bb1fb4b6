"""The directors' dashboard and the month's indicators over a year of a prefecture's data
(R-SUP-4, R-SUP-2), on PostgreSQL: 1,000,000 cases, 1,000,000 reviews and 5,000,000
tickets over the last 365 days in 10 county centers (50 departments, 30 matters),
filled with ``INSERT … SELECT generate_series`` in SQL (not through the ORM), then
``onewindow rebuild-rollups`` and ``ANALYZE``.

Times (median after a warm-up), against one ``SELECT count(*)`` of the cases table:
the dashboard's data for the prefecture (``oversight.selectors.dashboard.dashboard``:
today's hall, the running cases, the month's reviews and complaints, ten indicators
over six months) plus the month's indicator table of the prefecture's departments
(``department_figures`` and ``cells``), as the selectors give them (no HTTP).

    python bench/dashboard_rollups.py                   # or as part of make bench
    python bench/dashboard_rollups.py --cases 200000 --reviews 200000 --tickets 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ow_bench_rollups   # the default

The database (its name must contain ``bench``) is dropped and created again, and
dropped at the end unless ``--keep``; ``--reuse`` measures on the data a ``--keep`` run
left; ``--against REF`` then measures the sources of git ``REF`` on the same data.
Without PostgreSQL it prints ``skipped``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

# ``BENCH_SRC``: the sources to measure (``--against`` sets it to another commit's).
sys.path.insert(
    0, os.environ.get("BENCH_SRC") or str(Path(__file__).resolve().parent.parent / "src")
)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report, sized, timed  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ow_bench_rollups"
CATEGORIES = 4  # ticket categories per center


def fill(cases: int, reviews: int, tickets: int, listings) -> dict[str, float]:
    """Everything in SQL: deadlines and cases, reviews, categories and tickets."""
    from django.db import connection

    from onewindow.hall.models import ServiceCategory
    from onewindow.org.models import Center

    took = {}
    centers = list(Center.objects.values_list("pk", flat=True))
    cats = ServiceCategory.objects.bulk_create(
        [
            ServiceCategory(center_id=c, letter="ABCD"[k], name=f"类别{k}")
            for c in centers
            for k in range(CATEGORIES)
        ]
    )
    # listing columns as arrays, picked by g % n
    lst = list(zip(*[row[:5] for row in listings], strict=True))
    arrays = [list(col) for col in lst]  # listing, center, department, matter, version
    n = len(listings)
    with connection.cursor() as cur:
        started = time.perf_counter()
        cur.execute(
            """
            INSERT INTO core_deadline (id, center_id, purpose, start, days, unit, due,
                                       provisional, paused)
            SELECT g, (%s::int[])[1 + g %% %s], '办件承诺时限',
                   (now() - (g %% 365) * interval '1 day')::date, 5, 'working',
                   (now() - (g %% 365) * interval '1 day')::date + 5 + (g %% 7) - 2,
                   false, false
            FROM generate_series(1, %s) AS g
            """,
            [arrays[1], n, cases],
        )
        cur.execute(
            """
            INSERT INTO cases_case (id, number, token, center_id, department_id, listing_id,
                matter_id, guide_version_id, applicant_id, channel, state, form_data,
                received_at, accepted_at, decided_at, decision_note, delivered_at,
                delivery_method, tracking_number, refusal_reason, deadline_id,
                warning_level, deemed_accepted, due, clock_running)
            SELECT g, 'R' || lpad(g::text, 10, '0'), 't' || lpad(g::text, 22, '0'),
                (%(c)s::int[])[1 + g %% %(n)s], (%(d)s::int[])[1 + g %% %(n)s],
                (%(l)s::int[])[1 + g %% %(n)s], (%(m)s::int[])[1 + g %% %(n)s],
                (%(v)s::int[])[1 + g %% %(n)s], %(a)s,
                (ARRAY['window','window','window','web','mobile','terminal','agent'])[1 + g %% 7],
                CASE WHEN g %% 33 = 0 THEN 'in_review' WHEN g %% 50 = 0 THEN 'accepted'
                     ELSE 'delivered' END,
                '{}'::jsonb, r, r + interval '15 minutes',
                CASE WHEN g %% 33 = 0 OR g %% 50 = 0 THEN NULL
                     ELSE r + (g %% 6) * interval '1 day' + interval '2 hours' END,
                '', NULL, '', '', '', g,
                -- a running case past its due date: the sweep's alarm (2) or not yet (0);
                -- a running one near it: warned (1)
                CASE WHEN NOT (g %% 33 = 0 OR g %% 50 = 0) THEN 0
                     WHEN d.due < current_date AND g %% 2 = 0 THEN 2
                     WHEN d.due <= current_date + 2 THEN 1 ELSE 0 END,
                false,
                -- the clock on the row (``cases/services/clock.py``): the deadline's due
                -- date, running while accepted or in review
                d.due, g %% 33 = 0 OR g %% 50 = 0
            FROM generate_series(1, %(rows)s) AS g,
                 LATERAL (SELECT now() - (g %% 365) * interval '1 day'
                                 - (g %% 480) * interval '1 minute' AS r) AS t,
                 LATERAL (SELECT (now() - (g %% 365) * interval '1 day')::date + 5 + (g %% 7) - 2
                                 AS due) AS d
            """,
            {
                "c": arrays[1],
                "d": arrays[2],
                "l": arrays[0],
                "m": arrays[3],
                "v": arrays[4],
                "n": n,
                "a": _applicant(),
                "rows": cases,
            },
        )
        # The sweep's next line of each running case not yet alarmed (``CaseLine``).
        cur.execute(
            "INSERT INTO cases_caseline (case_id, alert_on) SELECT id, due + 1 "
            "FROM cases_case WHERE clock_running AND warning_level < 2"
        )
        took["cases"] = time.perf_counter() - started
        started = time.perf_counter()
        cur.execute(
            """
            INSERT INTO evaluation_review (
                kind, subject, stage, channel, level, indicators, reasons, text,
                center_id, department_id, matter_id, contact_name_cipher,
                contact_phone_cipher, real_name, is_default, excluded, excluded_reason,
                created_at)
            SELECT 'unsolicited', 'department', '', 'web',
                   CASE WHEN g %% 23 = 0 THEN 1 WHEN g %% 17 = 0 THEN 2 WHEN g %% 7 = 0 THEN 3
                        WHEN g %% 3 = 0 THEN 4 ELSE 5 END,
                   '{}'::jsonb, '[]'::jsonb, '', (%(c)s::int[])[1 + g %% %(n)s],
                   (%(d)s::int[])[1 + g %% %(n)s], (%(m)s::int[])[1 + g %% %(n)s], '', '',
                   false, g %% 11 = 0, g %% 97 = 0, '',
                   now() - (g %% 365) * interval '1 day' - (g %% 600) * interval '1 minute'
            FROM generate_series(1, %(rows)s) AS g
            """,
            {"c": arrays[1], "d": arrays[2], "m": arrays[3], "n": n, "rows": reviews},
        )
        took["reviews"] = time.perf_counter() - started
        started = time.perf_counter()
        cat_ids = [c.pk for c in cats]
        cat_centers = [c.center_id for c in cats]
        cur.execute(
            """
            INSERT INTO hall_ticket (center_id, category_id, queue_id, day, number, code,
                state, channel, priority_reason, priority_note, phone, issued_at,
                called_at, served_at, finished_at, recall_count, transfer_count, call_count,
                wait_seconds, service_seconds, case_ref, id_number_cipher,
                id_number_digest, id_number_masked)
            SELECT (%(cc)s::int[])[1 + g %% %(k)s], (%(cat)s::int[])[1 + g %% %(k)s],
                (%(cat)s::int[])[1 + g %% %(k)s], t.at::date, g, 'A' || (g %% 1000),
                CASE WHEN g %% 20 = 0 THEN 'no_show' ELSE 'done' END, 'terminal', '', '', '',
                t.at, t.at + (g %% 1800) * interval '1 second',
                t.at + (g %% 1800) * interval '1 second',
                CASE WHEN g %% 20 = 0 THEN NULL
                     ELSE t.at + (g %% 1800 + 300) * interval '1 second' END,
                0, 0, 1, g %% 1800, CASE WHEN g %% 20 = 0 THEN NULL ELSE 300 END,
                '', '', '', ''
            FROM generate_series(1, %(rows)s) AS g,
                 LATERAL (SELECT now() - (g %% 365) * interval '1 day'
                                 - (g %% 480) * interval '1 minute' AS at) AS t
            """,
            {"cc": cat_centers, "cat": cat_ids, "k": len(cat_ids), "rows": tickets},
        )
        took["tickets"] = time.perf_counter() - started
    return took


def _fill_and_rebuild(cases: int, reviews: int, tickets: int) -> None:
    from cases_sweep import build_reference
    from django.db import connection

    from onewindow.core import rollups

    listings, _applicants = build_reference()
    # The rows go in with the user triggers off (those of the open-case and today's
    # ticket counts, as a bulk load would), then every rollup and count is recounted.
    with connection.cursor() as cur:
        for table in ("cases_case", "hall_ticket"):
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    took = fill(cases, reviews, tickets, listings)
    with connection.cursor() as cur:
        for table in ("cases_case", "hall_ticket"):
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    started = time.perf_counter()
    written = rollups.rebuild_all()
    took["rebuild-rollups"] = time.perf_counter() - started
    with connection.cursor() as cur:
        for table in ANALYZED:
            cur.execute(f"ANALYZE {table}")
    print(
        f"  filled {cases:,} cases in {took['cases']:.0f}s, {reviews:,} reviews in "
        f"{took['reviews']:.0f}s, {tickets:,} tickets in {took['tickets']:.0f}s; "
        f"rebuild-rollups {took['rebuild-rollups']:.0f}s "
        f"({', '.join(f'{k} {v:,} rows' for k, v in written.items())})"
    )


ANALYZED = (
    "cases_case",
    "evaluation_review",
    "hall_ticket",
    "core_deadline",
    "cases_casemonth",
    "cases_casedecisionmonth",
    "evaluation_reviewmonth",
    "hall_ticketmonth",
    "cases_caseopencount",
    "hall_ticketdaycount",
)


def _applicant() -> int:
    from onewindow.cases.models import Applicant

    return Applicant.objects.values_list("pk", flat=True).first()


def run(cases: int, reviews: int, tickets: int, *, reuse: bool = False) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from onewindow.core.scope import Scope
    from onewindow.org.models import Department
    from onewindow.oversight.indicators import (
        cells,
        department_figures,
        months_back,
        thresholds_for,
    )
    from onewindow.oversight.selectors.dashboard import TREND_MONTHS, dashboard, root_node
    from onewindow.oversight.services.snapshots import catalog_snapshot_take, sweep

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        there = cur.fetchone()[0]
    if reuse and there:
        cases = there
        print(f"  reusing the {there:,} cases (and the rest) already in the database")
    else:
        _fill_and_rebuild(cases, reviews, tickets)
    # The catalog snapshot as the sweeps would have left it: this month's from the sweep,
    # each earlier month of the trend from its own month's sweep (the catalog unchanged).
    month = timezone.localdate().replace(day=1)
    sweep()
    # The open-case counts as the deadline sweep's first pass of the day leaves them
    # (none in sources older than the counts: ``--against``).
    try:
        from onewindow.cases import open_counts
    except ImportError:
        open_counts = None
    if open_counts is not None:
        open_counts.fold(timezone.localdate())
    for earlier in months_back(month, TREND_MONTHS)[:-1]:
        catalog_snapshot_take(month=earlier, replace=False)
    scope = Scope.all()
    node = root_node(scope=scope)
    depts = list(Department.objects.values_list("pk", "center_id"))
    ids = [d for d, _c in depts]

    def count():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM cases_case")
            cur.fetchone()

    def board():
        dashboard(scope=scope, node=node)

    def indicators():
        figures = department_figures(ids, [month])
        limits = thresholds_for({c for _d, c in depts})
        for d, c in depts:
            cells(figures, [d], month, limits[c])

    def both():
        board()
        indicators()

    board()
    with CaptureQueriesContext(connection) as board_queries:
        board()
    with CaptureQueriesContext(connection) as indicator_queries:
        indicators()
    base = timed(count)
    b, i, total = timed(board), timed(indicators), timed(both)
    print(
        f"  dashboard {b * 1000:.1f} ms ({len(board_queries)} queries), month's indicators "
        f"{i * 1000:.1f} ms ({len(indicator_queries)} queries), count(*) of {cases:,} cases "
        f"{base * 1000:.1f} ms; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    if os.environ.get("BENCH_SQL"):
        for q in sorted(board_queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
            print(f"    {q['time']}s {q['sql'][:300]}")
    report(
        f"dashboard + month's indicators, prefecture, {cases:,} cases",
        total,
        base,
        "SELECT count(*) of the cases",
        goal=0.2,
    )


def _postgres(url: str) -> dict:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"dashboard rollups: the database name must contain 'bench' ({name!r})")
    return {
        "name": name,
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or None,
        "connect_timeout": 5,
    }


def _recreate(db: dict, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    info = {k: v for k, v in db.items() if k != "name" and v is not None}
    with psycopg.connect(dbname="postgres", autocommit=True, **info) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db["name"]))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["name"])))


def _against(ref: str) -> None:
    """The same measure with the sources of ``ref`` (exported from git) on this data."""
    root = Path(__file__).resolve().parent.parent
    where = tempfile.mkdtemp(prefix="ow-rollups-against-")
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", ref, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", where], input=archive, check=True)
    print(f"  against {ref}:")
    env = {**os.environ, "BENCH_SRC": str(Path(where) / "src")}
    args = [sys.executable, "-u", str(Path(__file__).resolve()), "--reuse"]
    subprocess.run(args, env=env, check=False)


def bench_dashboard_rollups() -> None:
    """From ``bench/run.py``: in a child process on its own PostgreSQL database."""
    url = os.environ.get("BENCH_ROLLUPS_DATABASE_URL", DEFAULT_URL)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "onewindow.settings"}
    env["ONEWINDOW_DATA_DIR"] = tempfile.mkdtemp(prefix="ow-rollups-bench-")
    args = [sys.executable, "-u", str(Path(__file__).resolve())]
    subprocess.run(args, env=env, check=False, timeout=1500)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="The dashboard over a prefecture's year.")
    parser.add_argument("--cases", type=int, default=sized(1_000_000))
    parser.add_argument("--reviews", type=int, default=sized(1_000_000))
    parser.add_argument("--tickets", type=int, default=sized(5_000_000))
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the data a --keep run left (migrated, not filled again); implies --keep",
    )
    parser.add_argument(
        "--against",
        metavar="REF",
        help="then measure the sources of git REF (e.g. main) on the same data",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not urlsplit(url).scheme.startswith("postgres"):
        url = DEFAULT_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ONEWINDOW_DATA_DIR", tempfile.mkdtemp(prefix="ow-rollups-bench-"))
    db = _postgres(url)
    try:
        import psycopg

        if not args.reuse:
            _recreate(db)
    except (ImportError, psycopg.OperationalError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"dashboard rollups: skipped (no PostgreSQL at {db['host']}:{db['port']}: {first})")
        return
    try:
        run(args.cases, args.reviews, args.tickets, reuse=args.reuse)
        if args.against:
            _against(args.against)
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            _recreate(db, drop_only=True)


if __name__ == "__main__":
    main()
