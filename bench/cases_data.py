"""The world of the case sweep bench (``cases_sweep.py``): reference data (regions,
centers, departments, matters, listings, applicants) and ``--rows`` generated cases with
their deadlines and correction notices, written with COPY on PostgreSQL."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

COUNTIES = 10
LINES = ("scjg", "ga", "mz", "rs", "zrzy")
MATTERS_PER_LINE = 6
OPEN_SHARE = 0.03  # open cases


def build_reference():
    """Regions, centers, departments, matters with published guides, listings, applicants."""
    from django.utils import timezone

    from onewindow.cases.models import Applicant
    from onewindow.catalog.models import GuideVersion, Listing, Matter
    from onewindow.org.models import Center, Department, DepartmentLine, Level, Region

    pref = Region.objects.create(
        code="990000", name="测试州", level=Level.PREFECTURE, path="/990000/", is_demo=True
    )
    counties = Region.objects.bulk_create(
        [
            Region(
                code=f"9900{c + 1:02d}",
                name=f"测试{c + 1}县",
                level=Level.COUNTY,
                parent=pref,
                path=f"/990000/9900{c + 1:02d}/",
                is_demo=True,
            )
            for c in range(COUNTIES)
        ]
    )
    centers = Center.objects.bulk_create(
        [Center(code=f"B{r.code}", name=f"{r.name}政务服务中心", region=r) for r in counties]
    )
    lines = DepartmentLine.objects.bulk_create(
        [DepartmentLine(code=f"b{c}", name=c, body_suffix=f"{c}局") for c in LINES]
    )
    departments = Department.objects.bulk_create(
        [
            Department(
                line=line, region=c.region, name=f"{c.region.name}{line.body_suffix}", center=c
            )
            for c in centers
            for line in lines
        ]
    )
    dept = {(d.region_id, d.line_id): d for d in departments}
    matters = Matter.objects.bulk_create(
        [
            Matter(
                code=f"B{line.code}{k}",
                name=f"{line.name}事项{k}",
                kind="licensing",
                line=line,
                level=Level.COUNTY,
                department=dept[(counties[0].pk, line.pk)],
            )
            for line in lines
            for k in range(MATTERS_PER_LINE)
        ]
    )
    now = timezone.now()
    days = [1, 3, 5, 5, 10, 15, 20]
    versions = GuideVersion.objects.bulk_create(
        [
            GuideVersion(
                matter=m,
                number=1,
                status=GuideVersion.Status.PUBLISHED,
                legal_basis="依据",
                conditions="条件",
                statutory_days=20,
                promised_days=days[i % len(days)],
                result=m.name,
                published_at=now,
            )
            for i, m in enumerate(matters)
        ]
    )
    for m, v in zip(matters, versions, strict=True):
        m.current_version = v
    Matter.objects.bulk_update(matters, ["current_version"])
    listings = Listing.objects.bulk_create(
        [
            Listing(
                matter=m,
                center=c,
                department=dept[(c.region_id, m.line_id)],
                code=f"B{c.pk}-{m.pk}",
                status=Listing.Status.ACTIVE,
            )
            for c in centers
            for m in matters
        ]
    )
    applicants = Applicant.objects.bulk_create(
        [Applicant(name=f"申请人{i}", phone=f"170{i:08d}") for i in range(2000)]
    )
    promised = {v.matter_id: (v.pk, v.promised_days) for v in versions}
    return [
        (lst.pk, lst.center_id, lst.department_id, lst.matter_id, *promised[lst.matter_id])
        for lst in listings
    ], [a.pk for a in applicants]


def load_reference():
    """The reference data ``build_reference`` made, read back (a cloned database)."""
    from onewindow.cases.models import Applicant
    from onewindow.catalog.models import Listing

    listings = [
        (
            lst.pk,
            lst.center_id,
            lst.department_id,
            lst.matter_id,
            lst.matter.current_version_id,
            lst.matter.current_version.promised_days,
        )
        for lst in Listing.objects.select_related("matter__current_version").order_by("pk")
    ]
    return listings, list(Applicant.objects.order_by("pk").values_list("pk", flat=True))


CLOSED = (
    ("delivered", 58),
    ("archived", 30),
    ("refused", 3),
    ("withdrawn", 2),
    ("ready", 3),
    ("approved", 2),
    ("denied", 2),
)
OPEN = (
    ("in_review", 55),
    ("accepted", 20),
    ("correcting", 15),
    ("intake", 6),
    ("correcting_intake", 4),
)


def _weighted(items):
    total = sum(w for _, w in items)
    return [(name, w / total) for name, w in items]


def generate(rows: int, listings, applicants, now: datetime, first: int = 1):
    """Rows of cases, deadlines and corrections (seeded), ids from ``first``: yields
    (deadline, case, correction, line). A running case carries its due date, and its
    ``CaseLine`` the next line the sweep looks at, as the services leave them
    (``cases.services.clock``)."""
    from django.utils import timezone

    from onewindow.cases.services.clock import next_line
    from onewindow.core.calendar import calendar_for

    cal = calendar_for()  # no local overrides in this world
    rng = random.Random(20260101 + first)
    today = timezone.localdate(now)  # the sweep's day (not UTC's, a day behind at 16:00)
    closed, opened = _weighted(CLOSED), _weighted(OPEN)
    for i in range(first, first + rows):
        lst = listings[i % len(listings)]
        listing_id, center_id, department_id, matter_id, version_id, promised = lst
        is_open = rng.random() < OPEN_SHARE
        pick = rng.random()
        table = opened if is_open else closed
        state = table[-1][0]
        for name, share in table:
            pick -= share
            if pick < 0:
                state = name
                break
        if is_open:
            received = now - timedelta(days=rng.randrange(0, 30), minutes=rng.randrange(600))
        else:
            received = now - timedelta(days=rng.randrange(30, 730), minutes=rng.randrange(600))
        accepted = state not in ("intake", "correcting_intake", "refused")
        deadline = None
        due = None
        level = 0
        running, line = False, None
        if accepted:
            start = received.date()
            paused = state == "correcting"
            if is_open:
                due = None if paused else today + timedelta(days=rng.randrange(-3, 40))
                # Earlier sweeps warned most of those near or past their date; one in ten
                # is left for the first run to record.
                if due is not None and due <= today + timedelta(days=4) and rng.random() >= 0.1:
                    level = 2 if due < today else 1
                running = state in ("accepted", "in_review") and due is not None
                if running:
                    line = next_line(level, due, promised, cal, 2)
            else:
                due = start + timedelta(days=promised + rng.randrange(0, 4))
                level = 2 if rng.random() < 0.03 else 1 if rng.random() < 0.2 else 0
            deadline = (
                i,
                center_id,
                f"办件B{i:09d}承诺时限",
                start,
                promised,
                "working",
                due,
                False,
                paused,
            )
        case = (
            i,
            f"B{i:09d}",
            f"t{i:023d}",
            center_id,
            department_id,
            listing_id,
            matter_id,
            version_id,
            applicants[i % len(applicants)],
            "window",
            state,
            "{}",
            received,
            received + timedelta(minutes=15) if accepted else None,
            None if is_open or not accepted else received + timedelta(days=3),
            "",
            received + timedelta(days=6) if state in ("delivered", "archived") else None,
            "window" if state in ("delivered", "archived") else "",
            "",
            "不属于受理范围" if state == "refused" else "",
            i if deadline else None,
            level,
            False,
            due,
            running,
        )
        correction = None
        if state in ("correcting", "correcting_intake"):
            correction = (
                i,
                "review" if state == "correcting" else "intake",
                "[]",
                today + timedelta(days=rng.randrange(1, 15)),
                "open",
                received,
            )
        elif not is_open and rng.random() < 0.08:
            correction = (
                i,
                "review",
                "[]",
                received.date() + timedelta(days=10),
                "answered",
                received,
            )
        yield deadline, case, correction, (i, line) if line is not None else None


CASE_COLUMNS = (
    "id", "number", "token", "center_id", "department_id", "listing_id", "matter_id",
    "guide_version_id", "applicant_id", "channel", "state", "form_data", "received_at",
    "accepted_at", "decided_at", "decision_note", "delivered_at", "delivery_method",
    "tracking_number", "refusal_reason", "deadline_id", "warning_level", "deemed_accepted",
    "due", "clock_running",
)  # fmt: skip
LINE_COLUMNS = ("case_id", "alert_on")
DEADLINE_COLUMNS = (
    "id", "center_id", "purpose", "start", "days", "unit", "due", "provisional", "paused",
)  # fmt: skip
CORRECTION_COLUMNS = ("case_id", "stage", "items", "due", "state", "issued_at")


def _collect(rows: int, listings, applicants, now: datetime, first: int):
    deadlines, cases, corrections, lines = [], [], [], []
    for d, c, k, line in generate(rows, listings, applicants, now, first):
        if d:
            deadlines.append(d)
        cases.append(c)
        if k:
            corrections.append(k)
        if line:
            lines.append(line)
    return (
        ("core_deadline", DEADLINE_COLUMNS, deadlines),
        ("cases_case", CASE_COLUMNS, cases),
        ("cases_correction", CORRECTION_COLUMNS, corrections),
        ("cases_caseline", LINE_COLUMNS, lines),
    )


def fill(
    rows: int, listings, applicants, now: datetime, first: int = 1, chunk: int | None = None
) -> dict:
    """``rows`` generated cases from id ``first``, generated and written ``chunk`` rows at
    a time (all at once by default; a smaller chunk bounds the memory of a large fill)."""
    from django.db import connection

    started = time.perf_counter()
    counts = {"deadlines": 0, "cases": 0, "corrections": 0, "open": 0}
    chunk = chunk or rows
    starts = range(first, first + rows, chunk)
    names = ["core_deadline", "cases_case", "cases_correction", "cases_caseline"]
    keys = {"core_deadline": "deadlines", "cases_case": "cases", "cases_correction": "corrections"}

    def chunks():
        for start in starts:
            tables = _collect(min(chunk, first + rows - start), listings, applicants, now, start)
            for table, _, data in tables:
                if table in keys:
                    counts[keys[table]] += len(data)
            yield tables

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A fresh bench database: the generated rows are consistent, so the foreign
            # key triggers are skipped and the plain indexes built once after the COPY.
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [names],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET session_replication_role = replica")
            raw = cursor.cursor
            for tables in chunks():
                for table, columns, data in tables:
                    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in data:
                            copy.write_row(row)
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for table in ("core_deadline", "cases_case"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
        else:
            for tables in chunks():
                for table, columns, data in tables:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", data
                    )
            cursor.execute("ANALYZE")
    counts["seconds"] = time.perf_counter() - started
    return counts
