"""R-SEC-2 at a province's scale (docs/scale.md): the case, ticket and review tables
partitioned by month on PostgreSQL (``onewindow partition``) keep every path, rule and
count the app relies on. The conversion runs inside each test's transaction (PostgreSQL's
DDL is transactional), so the other tests see plain tables."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from onewindow.cases import horizon, open_counts, states
from onewindow.cases import services as case_services
from onewindow.cases.models import Case, CaseAlert, CaseOpenCount
from onewindow.cases.selectors import queue_page
from onewindow.cases.sweep import sweep
from onewindow.core import jobs, partitions
from onewindow.core.errors import Conflict
from onewindow.core.partitions import months
from onewindow.core.scope import scope_for
from onewindow.evaluation import services as review_services
from onewindow.evaluation.models import Review
from onewindow.hall import day_counts
from onewindow.hall.count_models import TicketDayCount
from onewindow.hall.models import Ticket
from onewindow.messaging.models import Message
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.evaluation.conftest import ev, finish_visit  # noqa: F401
from tests.hall.conftest import hall  # noqa: F401

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="monthly partitions are PostgreSQL's (declarative partitioning); on SQLite "
    "`onewindow partition` does nothing",
)
TABLES = ("cases_case", "hall_ticket", "evaluation_review")


@pytest.fixture(autouse=True)
def _no_horizon_carried_over():
    horizon.forget()
    yield
    horizon.forget()  # the mark goes with the test's transaction; the memo must too


@pytest.fixture(autouse=True)
def _hall_open_all_day(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False


def _partition(*args: str) -> str:
    out = io.StringIO()
    call_command("partition", *args, stdout=out)
    return out.getvalue()


def _home(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _counts() -> tuple[dict, dict]:
    cases = CaseOpenCount.objects.values("center", "department", "grp", "due")
    day_counts.settle()  # PostgreSQL counts tickets at the commit
    tickets = TicketDayCount.objects.values("center", "day", "state")
    return (
        {tuple(r.values())[:-1]: r["n"] for r in cases.annotate(n=Sum("n")) if r["n"]},
        {tuple(r.values())[:-1]: r["n"] for r in tickets.annotate(n=Sum("n")) if r["n"]},
    )


def _recounted() -> tuple[dict, dict]:
    open_counts.rebuild()
    day_counts.rebuild()
    return _counts()


def _intake(ev, now=None):  # noqa: F811
    return case_services.case_intake(
        actor=ev.clerk,
        listing=ev.listing,
        applicant=ev.applicant,
        materials=all_required(ev),
        now=now,
    )


@postgres_only
def test_r_sec_2_partitioned_tables_keep_the_main_paths_rules_and_counts(ev):  # noqa: F811
    today = timezone.localdate()
    old = timezone.now() - dt.timedelta(days=70)
    before = _intake(ev, now=old)  # two months back: its own month's partition
    visited = finish_visit(ev)
    review_services.review_visit(ticket=visited, level=5)
    plan = _partition("--plan")
    assert "cases_case_number_key" in plan and "hall_ticket_ids" in plan
    assert not any(partitions.is_partitioned(connection, t) for t in TABLES)

    out = _partition("--apply")
    assert all(partitions.is_partitioned(connection, t) for t in TABLES), out
    assert _home("cases_case", before.pk) == months.name("cases_case", timezone.localdate(old))
    # Every trigger kept: the counts the triggers keep still equal a recount.
    assert _counts() == _recounted()

    # Intake → accept → decide on the partitioned table, in this month's partition.
    case = _intake(ev)
    case_services.case_accept(actor=ev.clerk, case=case)
    queued = _intake(ev)
    case_services.case_accept(actor=ev.clerk, case=queued)
    case_services.case_start_review(actor=ev.approver, case=case)
    case = case_services.case_decide(actor=ev.approver, case=case, approve=True)
    assert case.state == states.APPROVED
    assert _home("cases_case", case.pk) == months.name("cases_case", today)
    # The department's queue reads the open cases' months and finds the accepted one.
    assert horizon.since() is not None
    page = queue_page.department_queue_page(scope_for(ev.approver), queued.department_id)
    assert queued.pk in [c.pk for c in page.cases] and case.pk not in [c.pk for c in page.cases]
    # A ticket issued, called and finished; a review of it filed once, not twice.
    ticket = finish_visit(ev)
    assert Ticket.objects.get(pk=ticket.pk).state == "done"
    assert _home("hall_ticket", ticket.pk) == months.name("hall_ticket", today)
    review = review_services.review_visit(ticket=ticket, level=4)
    assert _home("evaluation_review", review.pk) == months.name("evaluation_review", today)
    with pytest.raises(Conflict):
        review_services.review_visit(ticket=ticket, level=1, reasons=["rude"])
    assert Review.objects.filter(ticket=ticket).count() == 1
    # Case numbers stay unique over all months (the side table), and a row pointing at
    # a case that does not exist is refused (the foreign keys point at the side table).
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(number=before.number)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "INSERT INTO cases_caseline (case_id, alert_on) VALUES (%s, %s)", [10**9, today]
        )
    # The deadline sweep over the partitions: the accepted cases warned when their
    # warning days come (the sweep run as at a later day).
    due = Case.objects.get(pk=queued.pk).due
    result = sweep(now=timezone.make_aware(dt.datetime.combine(due, dt.time(9))))
    assert result.warned + result.overdue >= 1
    assert Case.objects.get(pk=queued.pk).warning_level >= 1
    assert _counts() == _recounted()
    # ... and its handler told, the case read within the months open cases are in.
    alerted = CaseAlert.objects.filter(case_id=queued.pk).values_list("level", flat=True)
    told = Message.objects.filter(template="staff_deadline", key__startswith=f"case:{queued.pk}:")
    assert sorted(told.values_list("key", flat=True)) == sorted(
        f"case:{queued.pk}:alert:{level}" for level in alerted
    )


@postgres_only
def test_r_sec_2_ensure_makes_the_coming_months_once_and_empties_the_default(ev):  # noqa: F811
    _partition("--apply", "--ahead", "0")
    this = months.first_of(timezone.localdate())
    later = months.add_months(this, 2)
    # A case received two months ahead has no month yet: the default partition holds it.
    ahead = _intake(ev, now=timezone.make_aware(dt.datetime.combine(later, dt.time(10))))
    assert _home("cases_case", ahead.pk) == months.default_name("cases_case")
    out = _partition("--ensure", "--ahead", "2")
    assert months.name("cases_case", later) in out and "移入 1 行" in out
    assert _home("cases_case", ahead.pk) == months.name("cases_case", later)
    for table in TABLES:
        have = months.existing(connection, table)
        assert {months.name(table, months.add_months(this, k)) for k in range(3)} <= have
        assert months.default_name(table) in have
    assert _counts() == _recounted()  # moved out and in: counted once
    assert "未做改动" in _partition("--ensure", "--ahead", "2")  # idempotent
    assert _partition("--apply").strip() == "各表均已分区，未做改动。"


def test_r_sec_2_partitions_are_opt_in_and_ensured_daily(db):
    job = next(j for j in jobs.registry() if j.name == "partitions")
    assert job.command == ("partition", "--ensure")
    if connection.vendor != "postgresql":
        assert "只用于 PostgreSQL" in _partition("--ensure")
    else:  # a default install stays unpartitioned: the daily job changes nothing
        assert "未分区" in _partition("--ensure")
    assert not any(partitions.is_partitioned(connection, t) for t in TABLES)
