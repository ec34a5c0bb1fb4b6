"""R-CASE-4: the sweep warns before the deadline and alarms past it, each level once
per case; a correction left unanswered past its date ends the case as withdrawn."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import Case, CaseAlert
from onewindow.cases.services.clock import clocks_rebuild
from onewindow.cases.sweep import sweep
from onewindow.core import sweeps
from onewindow.core.models import AuditEvent
from onewindow.messaging.models import Message
from tests.cases.conftest import all_required


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def accepted_on(desk, day: str) -> Case:
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
        now=at(day, 9),
    )
    return services.case_accept(actor=desk.clerk, case=case, now=at(day))


def test_r_case_4_the_sweep_warns_then_alarms_each_level_once(desk):
    case = accepted_on(desk, "2026-09-29")  # 3 working days: due 2026-10-09
    far = accepted_on(desk, "2026-11-20")
    assert sweep(now=at("2026-09-29", 18)).warned == 0  # 09-30, 10-08, 10-09 left: 3 > 2
    first = sweep(now=at("2026-09-30", 8))  # 10-08 and 10-09 left
    assert (first.warned, first.overdue) == (1, 0)
    again = sweep(now=at("2026-09-30", 12))
    assert (again.warned, again.overdue) == (0, 0)
    case.refresh_from_db()
    assert case.warning_level == 1
    late = sweep(now=at("2026-10-10", 9))
    assert (late.warned, late.overdue) == (0, 1)
    assert sweep(now=at("2026-10-12", 9)).overdue == 0
    case.refresh_from_db()
    assert case.warning_level == 2
    assert list(case.alerts.order_by("level").values_list("level", flat=True)) == [1, 2]
    assert not far.alerts.exists()
    assert AuditEvent.objects.filter(action="case.alert", target_id=str(case.pk)).count() == 2


def test_r_case_4_a_paused_or_decided_case_is_not_warned(desk):
    case = accepted_on(desk, "2026-09-29")
    services.case_start_review(actor=desk.approver, case=case, now=at("2026-09-29", 11))
    services.case_ask_correction(
        actor=desk.approver,
        case=case,
        due=dt.date(2026, 10, 30),
        items=[{"note": "经营范围表述不规范"}],
        now=at("2026-09-29", 12),
    )
    assert sweep(now=at("2026-10-20")).warned == 0
    assert not CaseAlert.objects.exists()


def test_r_case_2_an_unanswered_correction_ends_the_case_as_withdrawn_once(desk):
    m = desk.materials
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials={m["经营者居民身份证"].pk: {}},
        now=at("2026-09-28"),
    )
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        due=dt.date(2026, 10, 9),
        now=at("2026-09-28"),
        items=[
            {"material_id": m["个体工商户登记（备案）申请书"].pk},
            {"material_id": m["经营场所使用证明"].pk},
        ],
    )
    assert sweep(now=at("2026-10-09", 17)).withdrawn == 0  # the last day still counts
    assert sweep(now=at("2026-10-10")).withdrawn == 1
    assert sweep(now=at("2026-10-11")).withdrawn == 0
    case.refresh_from_db()
    assert case.state == states.WITHDRAWN and case.public_status == "已撤回"
    assert case.events.filter(action="withdraw").count() == 1


def test_the_sweep_command_reports_in_chinese(desk, capsys):
    call_command("sweep")
    out = capsys.readouterr().out
    assert "办件时限：新增预警 0 件" in out and "视为受理 0 件" in out
    assert "好差评" in out and "投诉" in out and "窗口调度" in out and "目录指标快照" in out
    assert len(out.strip().splitlines()) == len(sweeps.registered())  # one line a sweep


def test_r_case_4_a_short_matter_is_not_warned_the_moment_it_is_accepted(desk):
    from onewindow.core.models import Deadline

    one_day = accepted_on(desk, "2026-11-23")  # a Monday
    on_the_spot = accepted_on(desk, "2026-11-23")
    # A one-working-day limit (due the next working day) and an on-the-spot one (0 days).
    Deadline.objects.filter(pk=one_day.deadline_id).update(days=1, due=dt.date(2026, 11, 24))
    Deadline.objects.filter(pk=on_the_spot.deadline_id).update(days=0, due=dt.date(2026, 11, 23))
    # Written behind the services' back: the case rows are worked out again from them.
    clocks_rebuild(Case.objects.filter(pk__in=[one_day.pk, on_the_spot.pk]))
    assert sweep(now=at("2026-11-23", 11)).warned == 0  # a whole day left: no warning
    result = sweep(now=at("2026-11-24", 8))  # the due day of the one-day matter
    assert (result.warned, result.overdue) == (1, 1)  # the on-the-spot one is past due
    one_day.refresh_from_db()
    on_the_spot.refresh_from_db()
    assert one_day.warning_level == 1 and on_the_spot.warning_level == 2


def test_r_case_4_the_handler_is_told_of_each_warning_and_alarm_once(desk):
    """Every level the sweep records tells the case's handler (else its intake clerk) in
    an in-app message, once, whichever way the sweep recorded it (a range at once or
    one case at a time)."""
    cases = [accepted_on(desk, "2026-09-29") for _ in range(3)]
    for now in (at("2026-09-30", 8), at("2026-09-30", 12), at("2026-10-10", 9)):
        sweep(now=now)
    sweep(now=at("2026-10-12", 9))
    told = Message.objects.filter(template="staff_deadline")
    expected = []
    for case in cases:
        case.refresh_from_db()
        person = case.assignee_id or case.intake_clerk_id
        assert person is not None
        expected += [(f"case:{case.pk}:alert:{level}", person) for level in (1, 2)]
    assert sorted(told.values_list("key", "user_id")) == sorted(expected)
    assert set(told.values_list("channel", "state")) == {("inapp", "pending")}
    first = told.get(key=f"case:{cases[0].pk}:alert:1")
    assert cases[0].number in first.body and "临近时限" in first.body
    assert "已超时" in told.get(key=f"case:{cases[0].pk}:alert:2").body
