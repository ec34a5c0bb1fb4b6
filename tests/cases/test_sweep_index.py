"""R-CASE-4: the case row carries its promised clock (due date, running) and its
``CaseLine`` the next line the sweep looks at, through every step that moves it; the sweep reads only the running
cases whose line has come, raises each level once even when two passes overlap, and
leaves paused cases alone; the department queue and the sweep read their partial
indexes.

Dates: the desk's matter promises 3 working days; official 2026 data has 10-01..10-07
off and Sat 10-10 a working day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases import sweep as sweep_module
from onewindow.cases.models import Case, CaseAlert
from onewindow.cases.selectors import department_queue
from onewindow.cases.services import supervision
from onewindow.cases.services.clock import line_of
from onewindow.cases.sweep import sweep
from onewindow.core import calendar as work_calendar
from onewindow.core.models import Deadline, SweepMark
from onewindow.core.scope import scope_for
from tests.cases.conftest import all_required
from tests.cases.test_backup_roles import add_approver
from tests.plans import index_plan

D = dt.date


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def intake(desk, day: str | None = None) -> Case:
    return services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
        now=at(day, 9) if day else None,
    )


def accepted(desk, day: str | None = None) -> Case:
    return services.case_accept(
        actor=desk.clerk, case=intake(desk, day), now=at(day) if day else None
    )


def row(case: Case) -> tuple:
    """The row's clock fields, after checking them against the deadline records."""
    case = Case.objects.get(pk=case.pk)
    line = line_of(case)
    if case.deadline_id is None:
        assert (case.due, case.clock_running, line) == (None, False, None)
        return case.state, None, False, None
    deadline = Deadline.objects.get(pk=case.deadline_id)
    open_pause = deadline.pauses.filter(end__isnull=True).exists()
    assert case.due == deadline.due
    running = case.state in states.CLOCK_RUNNING and not deadline.paused
    assert case.clock_running == running and running == (
        case.state in states.CLOCK_RUNNING and not open_pause
    )
    if not running or case.warning_level == CaseAlert.Level.OVERDUE:
        assert line is None
    elif case.warning_level == CaseAlert.Level.WARNING:
        assert line == deadline.due + dt.timedelta(days=1)
    return case.state, case.due, case.clock_running, line


@pytest.fixture
def team(desk):
    add_approver(desk, "approver2", 1)
    return desk


def test_r_case_4_the_case_row_follows_its_deadline_through_every_step(team):
    t = team
    case = intake(t, "2026-09-29")
    assert row(case) == (states.INTAKE, None, False, None)
    case = services.case_accept(actor=t.clerk, case=case, now=at("2026-09-29"))
    # Due Fri 10-09; 2 working days left (10-08, 10-09) from Wed 09-30: warned then.
    assert row(case) == (states.ACCEPTED, D(2026, 10, 9), True, D(2026, 9, 30))
    case = services.case_start_review(actor=t.approver, case=case, now=at("2026-09-29", 11))
    assert row(case) == (states.IN_REVIEW, D(2026, 10, 9), True, D(2026, 9, 30))
    services.case_ask_correction(
        actor=t.approver,
        case=case,
        items=[{"note": "经营范围表述不规范"}],
        due=D(2026, 10, 20),
        now=at("2026-09-30", 9),
    )
    assert row(case) == (states.CORRECTING, None, False, None)  # paused: out of the index
    assert sweep(now=at("2026-10-08")).examined == 0
    case = services.case_correction_reply(actor=t.clerk, case=case, now=at("2026-10-09"))
    # 09-30 counted; resumes Sat 10-10: due Mon 10-12, 2 days left (10-10, 10-12) today.
    assert row(case) == (states.IN_REVIEW, D(2026, 10, 12), True, D(2026, 10, 9))
    assert sweep(now=at("2026-10-09", 18)).warned == 1
    assert row(case) == (states.IN_REVIEW, D(2026, 10, 12), True, D(2026, 10, 13))
    supervision.case_special_start(
        actor=t.approver, case=case, kind="expert", reason="专家评审", now=at("2026-10-10")
    )
    assert row(case) == (states.SPECIAL, None, False, None)
    supervision.case_special_end(
        actor=t.approver, case=case, result="评审通过", now=at("2026-10-14")
    )
    # 09-30 and 10-10 counted; 10-12..10-14 taken out: the last day is Thu 10-15.
    assert row(case) == (states.IN_REVIEW, D(2026, 10, 15), True, D(2026, 10, 16))
    case = services.case_decide(actor=t.approver, case=case, approve=True, now=at("2026-10-14"))
    assert row(case) == (states.APPROVED, D(2026, 10, 15), False, None)  # stopped
    supervision.case_force(
        actor=t.county_admin, case=case, step="reopen", reason="重新审查", now=at("2026-10-19")
    )
    # Reopened Mon 10-19: 10-15..10-19 do not count; the one day left is Tue 10-20.
    assert row(case) == (states.IN_REVIEW, D(2026, 10, 20), True, D(2026, 10, 21))
    case = services.case_decide(actor=t.approver, case=case, approve=True, now=at("2026-10-20"))
    case = services.case_make_ready(actor=t.approver, case=case)
    case = services.case_deliver(actor=t.clerk, case=case)
    assert row(case) == (states.DELIVERED, D(2026, 10, 20), False, None)
    assert list(case.alerts.values_list("level", flat=True)) == [CaseAlert.Level.WARNING]


def test_r_case_4_a_local_closure_moves_the_row_due_date_and_its_line(desk):
    case = accepted(desk)  # today, whatever day it is: 3 working days
    before = row(case)
    due = before[1]
    cal = work_calendar.calendar_for(center=desk.linxia_center)
    assert cal.working_days_between(timezone.localdate(), due) == 3
    work_calendar.calendar_override_create(
        actor=desk.county_admin,
        date=due,
        is_workday=False,
        reason="县城停电检修",
        region=desk.linxia_center.region,
    )
    after = row(case)
    cal = work_calendar.calendar_for(center=desk.linxia_center)
    assert after[1] > due and cal.working_days_between(timezone.localdate(), after[1]) == 3
    # Still 2 working days ahead of the new due date: the line moved with it.
    assert cal.working_days_between(after[3], after[1]) == 2
    assert cal.working_days_between(after[3] - dt.timedelta(days=1), after[1]) == 3


def serially_planned(captured) -> list[str]:
    """The statements of a pass, after checking that on PostgreSQL its read of the lines
    is planned without parallel workers (the setting first, for its transaction)."""
    sql = [q["sql"] for q in captured.captured_queries]
    serial = [i for i, s in enumerate(sql) if s.startswith("SET LOCAL max_parallel_workers")]
    if connection.vendor == "postgresql":
        lines = next(i for i, s in enumerate(sql) if 'FROM "cases_caseline"' in s)
        assert len(serial) == 1 and serial[0] < lines, sql
    else:
        assert not serial
    return [s for i, s in enumerate(sql) if i not in serial]


def test_r_case_4_a_pass_with_nothing_new_reads_no_case(desk):
    accepted(desk, "2026-09-29")
    accepted(desk, "2026-11-20")
    first = sweep(now=at("2026-09-30", 8))
    assert (first.warned, first.examined) == (1, 1)
    with CaptureQueriesContext(connection) as captured:
        again = sweep(now=at("2026-09-30", 12))
    assert (again.warned, again.overdue, again.examined) == (0, 0, 0)
    sql = serially_planned(captured)
    # The watermark and the running cases whose line has come (none): two reads, no
    # write (the same day, the same warning days); no deadline, no notice, one read of
    # the lines through their index.
    assert len(sql) == 2 and all(s.startswith("SELECT") for s in sql), sql
    assert not [s for s in sql if "core_deadline" in s or "cases_correction" in s]
    reads = [s for s in sql if 'FROM "cases_caseline"' in s]
    assert len(reads) == 1 and '"cases_caseline"."alert_on" <=' in reads[0]
    mark = SweepMark.objects.get(name="cases")
    assert mark.last_pass == at("2026-09-30", 8) and mark.params == {"warn_days": 2}
    # The first pass of a new day also reads lapsed notices and untaken online
    # applications (lines that are days), each through its partial index, and folds the
    # open-case counts of past due dates (``cases/open_counts.py``).
    with CaptureQueriesContext(connection) as captured:
        next_day = sweep(now=at("2026-10-08", 0))
    every = serially_planned(captured)
    assert any("cases_caseopencount" in s for s in every)
    sql = [s for s in every if "cases_caseopencount" not in s and "SAVEPOINT" not in s]
    assert len(sql) == 5 and next_day.examined == 0, sql
    assert any('FROM "cases_correction"' in s and "'open'" in s for s in sql)
    assert any('"cases_case"."intake_due" <' in s for s in sql)


def test_r_case_4_a_case_that_crossed_the_line_between_two_passes_is_warned_once(desk):
    case = accepted(desk, "2026-09-29")  # due 10-09, warned from 09-30
    assert sweep(now=at("2026-09-29", 18)).examined == 0  # its line has not come
    # A second pass that read the same candidates before the first one raised them (two
    # passes at once) finds the line moved under the row lock and raises nothing.
    stale = sweep_module._crossed(D(2026, 9, 30))
    assert [pk for pk, _ in stale] == [case.pk]
    first = sweep(now=at("2026-09-30", 8))
    assert (first.warned, first.examined) == (1, 1)
    second = sweep_module.SweepResult()
    sweep_module._raise_chunk(
        [pk for pk, _ in stale],
        {desk.linxia_center.pk: work_calendar.calendar_for(center=desk.linxia_center)},
        D(2026, 9, 30),
        2,
        at("2026-09-30", 8),
        second,
    )
    assert (second.warned, second.examined) == (0, 0)
    assert sweep(now=at("2026-10-09", 17)).examined == 0  # due today: not yet late
    late = sweep(now=at("2026-10-10", 9))
    assert (late.warned, late.overdue, late.examined) == (0, 1, 1)
    assert sweep(now=at("2026-10-20", 9)).examined == 0  # alarmed: out of the index
    assert list(case.alerts.order_by("level").values_list("level", flat=True)) == [1, 2]
    assert case.events.filter(action="alert").count() == 2
    case.refresh_from_db()
    assert (case.warning_level, line_of(case), case.clock_running) == (2, None, True)


def test_r_case_4_a_paused_case_is_not_warned_until_it_runs_again(desk):
    case = accepted(desk, "2026-09-29")
    services.case_start_review(actor=desk.approver, case=case, now=at("2026-09-29", 11))
    services.case_ask_correction(
        actor=desk.approver,
        case=case,
        due=D(2026, 10, 30),
        items=[{"note": "经营场所证明不清晰"}],
        now=at("2026-09-29", 12),
    )
    # Past its warning day and its old due date: paused, so nothing is read or raised.
    result = sweep(now=at("2026-10-20"))
    assert (result.warned, result.overdue, result.examined) == (0, 0, 0)
    assert not CaseAlert.objects.exists()
    services.case_correction_reply(actor=desk.clerk, case=case, now=at("2026-10-21"))
    # Nothing counted yet (paused the day it started): 3 days from Thu 10-22 → Mon 10-26;
    # warned from Thu 10-22 (10-23, 10-26 left).
    assert row(case)[1:] == (D(2026, 10, 26), True, D(2026, 10, 22))
    assert sweep(now=at("2026-10-21", 18)).warned == 0
    assert sweep(now=at("2026-10-22", 8)).warned == 1
    assert sweep(now=at("2026-10-22", 9)).warned == 0
    assert case.alerts.count() == 1


def test_r_case_4_a_changed_warning_threshold_is_applied_to_running_cases(desk, settings):
    case = accepted(desk, "2026-11-02")  # Mon: due Thu 11-05, warned from Tue 11-03
    assert row(case)[3] == D(2026, 11, 3)
    assert sweep(now=at("2026-11-02", 18)).warned == 0
    settings.ONEWINDOW_CASE_WARN_DAYS = 3  # the whole limit less one: still from 11-03
    assert sweep(now=at("2026-11-02", 19)).warned == 0
    settings.ONEWINDOW_CASE_WARN_DAYS = 1
    assert sweep(now=at("2026-11-03", 12)).warned == 0  # 2 days left: not yet
    assert row(case)[3] == D(2026, 11, 4)
    assert sweep(now=at("2026-11-04", 8)).warned == 1


def test_r_case_4_the_queue_and_the_sweep_read_their_partial_indexes(desk):
    add_approver(desk, "approver2", 1)
    for day in ("2026-11-02", "2026-11-20"):
        accepted(desk, day)
    page = department_queue(scope_for(desk.approver), desk.linxia_market.pk)[:30]
    sql, params = page.query.sql_with_params()
    assert "case_department_queue_idx" in index_plan(sql, params)
    assert [c.due for c in page] == [D(2026, 11, 5), D(2026, 11, 25)]
    crossed = sweep_module.CaseLine.objects.filter(
        alert_on__lte=D(2026, 11, 24), case__clock_running=True
    ).values_list("case_id", "case__center_id")
    sql, params = crossed.query.sql_with_params()
    assert "cases_caseline_alert_on" in index_plan(sql, params)
