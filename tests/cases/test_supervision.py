"""The back office under supervision: special procedures stop both clocks (R-CASE-4);
supervisors force steps with a reason kept in the history; a department head hands a
whole queue over (R-CASE-1); the department queue by deadline; the supervision board
shows only what is in the reader's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import Case, CaseAlert, CaseEvent, SpecialProcedure
from onewindow.cases.selectors import department_queue, queues
from onewindow.cases.services import supervision
from onewindow.cases.sweep import sweep
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.hall import services as hall_services
from onewindow.org import services as org_services
from tests.cases.conftest import all_required
from tests.cases.test_backup_roles import add_approver


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def accepted(desk, day: str | None = None) -> Case:
    now = at(day) if day else None
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
        now=at(day, 9) if day else None,
    )
    return services.case_accept(actor=desk.clerk, case=case, now=now)


def reviewed(desk, handler=None, day: str | None = None) -> Case:
    case = accepted(desk, day)
    return services.case_start_review(
        actor=handler or desk.approver, case=case, now=at(day, 11) if day else None
    )


@pytest.fixture
def team(desk):
    add_approver(desk, "approver2", 1)
    add_approver(desk, "approver3", 2)
    return desk


# --- special procedures -------------------------------------------------------------------------


def test_r_case_4_special_procedure_pauses_both_clocks_across_national_day(desk):
    """Accepted Tue 2026-09-29: promised 3 working days → due Fri 10-09, statutory 15 →
    due Mon 10-26 (official 2026 data: 10-01..10-07 off, Sat 10-10 a working day). An
    expert review from 09-30 to 10-09 takes out the working days 10-08 and 10-09; the
    clocks resume on Sat 10-10: promised due Mon 10-12, statutory due Wed 10-28."""
    case = reviewed(desk, day="2026-09-29")
    assert (case.deadline.due, case.statutory_deadline.due) == (
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 26),
    )
    procedure = supervision.case_special_start(
        actor=desk.approver,
        case=case,
        kind="expert",
        reason="经营场所涉及食品安全，组织专家评审",
        planned_end=dt.date(2026, 10, 9),
        now=at("2026-09-30"),
    )
    case.refresh_from_db()
    case.deadline.refresh_from_db()
    case.statutory_deadline.refresh_from_db()
    assert case.state == states.SPECIAL and procedure.started_on == dt.date(2026, 9, 30)
    assert case.deadline.paused and case.deadline.due is None
    assert case.statutory_deadline.paused and case.statutory_deadline.due is None
    # The sweep does not warn or alarm a paused case, even past its old due date.
    assert sweep(now=at("2026-09-30", 18)).warned == 0
    late = sweep(now=at("2026-10-10", 9))
    assert (late.warned, late.overdue) == (0, 0)
    assert not CaseAlert.objects.filter(case=case).exists()
    # Only one special procedure at a time; only in the state that allows it.
    with pytest.raises(Conflict):
        supervision.case_special_start(
            actor=desk.approver, case=case, kind="hearing", reason="听证", now=at("2026-10-08")
        )
    supervision.case_special_end(
        actor=desk.approver, case=case, result="专家评审通过", now=at("2026-10-09", 16)
    )
    case.refresh_from_db()
    case.deadline.refresh_from_db()
    case.statutory_deadline.refresh_from_db()
    assert case.state == states.IN_REVIEW
    assert case.deadline.due == dt.date(2026, 10, 12)
    assert case.statutory_deadline.due == dt.date(2026, 10, 28)
    procedure.refresh_from_db()
    assert procedure.ended_on == dt.date(2026, 10, 9) and procedure.ended_by == desk.approver
    end = CaseEvent.objects.get(case=case, action="end_special")
    assert end.data["working_days"] == 2 and "暂停2个工作日" in end.note
    assert CaseEvent.objects.get(case=case, action="start_special").data["kind"] == "expert"
    for action in ("case.start_special", "case.end_special", "deadline.pause"):
        assert AuditEvent.objects.filter(action=action).exists(), action
    # With the clock running again the sweep counts from the new due date.
    assert sweep(now=at("2026-10-10", 9)).overdue == 0


def test_r_case_4_special_procedure_refusals_change_nothing(desk):
    case = reviewed(desk)
    with pytest.raises(Forbidden):
        supervision.case_special_start(actor=desk.clerk, case=case, kind="expert", reason="评审")
    with pytest.raises(NotFound):
        supervision.case_special_start(
            actor=desk.kangle_admin, case=case, kind="expert", reason="评审"
        )
    with pytest.raises(InvalidInput, match="类型"):
        supervision.case_special_start(actor=desk.approver, case=case, kind="x", reason="评审")
    with pytest.raises(InvalidInput, match="事由"):
        supervision.case_special_start(actor=desk.approver, case=case, kind="hearing", reason=" ")
    with pytest.raises(InvalidInput, match="预计结束"):
        supervision.case_special_start(
            actor=desk.approver,
            case=case,
            kind="hearing",
            reason="听证",
            planned_end=timezone.localdate() - dt.timedelta(days=1),
        )
    with pytest.raises(Conflict):
        supervision.case_special_end(actor=desk.approver, case=case, result="结束")
    case.refresh_from_db()
    assert case.state == states.IN_REVIEW and not SpecialProcedure.objects.exists()
    assert not case.deadline.paused
    supervision.case_special_start(
        actor=desk.approver, case=case, kind="public_notice", reason="公示10日"
    )
    with pytest.raises(InvalidInput, match="结果"):
        supervision.case_special_end(actor=desk.approver, case=case, result="")
    case.refresh_from_db()
    assert case.state == states.SPECIAL


def test_r_case_4_special_procedure_from_the_case_page(client, desk):
    case = reviewed(desk)
    client.force_login(desk.approver)
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "进入特别程序" in page and "专家评审" in page
    response = client.post(
        f"/workspace/cases/{case.pk}/special/start/",
        {"kind": "inspection", "reason": "", "planned_end": ""},
        follow=True,
    )
    assert "请写明特别程序的事由" in response.content.decode()
    response = client.post(
        f"/workspace/cases/{case.pk}/special/start/",
        {"kind": "inspection", "reason": "现场核查经营场所", "planned_end": "2026-13-01"},
        follow=True,
    )
    assert "预计结束日期格式不正确" in response.content.decode()
    case.refresh_from_db()
    assert case.state == states.IN_REVIEW
    response = client.post(
        f"/workspace/cases/{case.pk}/special/start/",
        {"kind": "inspection", "reason": "现场核查经营场所", "planned_end": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "暂停计时" in page and "现场勘验中" in page
    response = client.post(
        f"/workspace/cases/{case.pk}/special/end/", {"result": "场所符合要求"}, follow=True
    )
    case.refresh_from_db()
    assert case.state == states.IN_REVIEW
    assert "场所符合要求" in response.content.decode()
    # A clerk of the center sees the case but cannot start a special procedure.
    client.force_login(desk.clerk)
    client.post(f"/workspace/cases/{case.pk}/special/start/", {"kind": "expert", "reason": "评审"})
    case.refresh_from_db()
    assert case.state == states.IN_REVIEW
    client.force_login(desk.kangle_admin)
    response = client.post(
        f"/workspace/cases/{case.pk}/special/start/", {"kind": "expert", "reason": "评审"}
    )
    assert response.status_code == 404


# --- force steps --------------------------------------------------------------------------------


def test_r_case_4_force_steps_need_a_reason_and_a_supervisor_and_stay_in_history(team):
    case = reviewed(team)
    with pytest.raises(InvalidInput, match="理由"):
        supervision.case_force(
            actor=team.county_supervisor,
            case=case,
            step="reassign",
            reason="  ",
            to_user=team.approver2,
        )
    with pytest.raises(Forbidden):
        supervision.case_force(
            actor=team.clerk, case=case, step="reassign", reason="改派", to_user=team.approver2
        )
    with pytest.raises(Forbidden):
        supervision.case_force(
            actor=team.approver, case=case, step="reassign", reason="改派", to_user=team.approver2
        )
    with pytest.raises(NotFound):
        supervision.case_force(
            actor=team.kangle_admin,
            case=case,
            step="reassign",
            reason="改派",
            to_user=team.approver2,
        )
    with pytest.raises(InvalidInput, match="承办部门的审批人员"):
        supervision.case_force(
            actor=team.county_supervisor,
            case=case,
            step="reassign",
            reason="改派",
            to_user=team.police_approver,
        )
    with pytest.raises(Conflict):
        supervision.case_force(actor=team.county_supervisor, case=case, step="reopen", reason="x")
    case.refresh_from_db()
    assert case.assignee == team.approver
    supervision.case_force(
        actor=team.county_supervisor,
        case=case,
        step="reassign",
        reason="原承办人回避",
        to_user=team.approver2,
    )
    case.refresh_from_db()
    assert case.assignee == team.approver2 and case.state == states.IN_REVIEW
    event = CaseEvent.objects.get(case=case, action="force_reassign")
    assert event.note == "原承办人回避" and event.actor == team.county_supervisor
    assert (event.data["from_user"], event.data["to_user"]) == (team.approver.pk, team.approver2.pk)
    assert AuditEvent.objects.filter(action="case.force_reassign", note="原承办人回避").exists()


def test_r_case_4_reopen_keeps_the_decision_in_history_and_resumes_the_clock(team):
    """Accepted Tue 2026-09-29 (promised 3 days), approved Wed 09-30 after one day,
    reopened Mon 10-12: the days in between do not count; counting resumes on 10-13,
    so the two days left end on Wed 10-14."""
    case = reviewed(team, day="2026-09-29")
    services.case_decide(actor=team.approver, case=case, approve=True, now=at("2026-09-30"))
    supervision.case_force(
        actor=team.county_admin,
        case=case,
        step="reopen",
        reason="申请人反映经营范围核定有误，重新审查",
        now=at("2026-10-12"),
    )
    case.refresh_from_db()
    case.deadline.refresh_from_db()
    assert case.state == states.IN_REVIEW and case.decided_at is None
    assert case.deadline.due == dt.date(2026, 10, 14)
    actions = list(case.events.values_list("action", flat=True))
    assert actions[-2:] == ["approve", "force_reopen"]
    reopen = case.events.get(action="force_reopen")
    assert reopen.data["decision"] == states.APPROVED
    assert reopen.data["decided_by"] == team.approver.pk
    assert reopen.from_state == states.APPROVED and reopen.to_state == states.IN_REVIEW
    services.case_decide(
        actor=team.approver, case=case, approve=False, note="超出经营范围", now=at("2026-10-13")
    )
    case.refresh_from_db()
    assert case.state == states.DENIED
    assert case.events.filter(action__in=["approve", "deny"]).count() == 2


def test_r_case_4_move_on_advances_accepted_and_delivers_ready_with_an_explanation(team):
    case = accepted(team)
    supervision.case_force(
        actor=team.county_supervisor,
        case=case,
        step="advance",
        reason="受理后三日未开始审查",
        to_user=team.approver3,
    )
    case.refresh_from_db()
    assert case.state == states.IN_REVIEW and case.assignee == team.approver3
    services.case_decide(actor=team.approver3, case=case, approve=True)
    services.case_make_ready(actor=team.approver3, case=case)
    supervision.case_force(
        actor=team.county_supervisor,
        case=case,
        step="advance",
        reason="申请人已于窗口签收，系统漏登",
    )
    case.refresh_from_db()
    assert case.state == states.DELIVERED and case.delivered_at is not None
    assert case.events.get(action="force_advance", to_state=states.DELIVERED).note == (
        "申请人已于窗口签收，系统漏登"
    )
    with pytest.raises(InvalidInput):
        supervision.case_force(actor=team.county_supervisor, case=case, step="jump", reason="随意")


def test_force_step_from_the_case_page(client, team):
    case = reviewed(team)
    client.force_login(team.county_supervisor)
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "督查强制操作" in page and "进入特别程序" not in page
    response = client.post(
        f"/workspace/cases/{case.pk}/force/",
        {"step": "reassign", "to_user": team.approver2.pk, "reason": ""},
        follow=True,
    )
    assert "强制操作须写明理由" in response.content.decode()
    case.refresh_from_db()
    assert case.assignee == team.approver
    response = client.post(
        f"/workspace/cases/{case.pk}/force/",
        {"step": "reassign", "to_user": team.approver2.pk, "reason": "回避"},
        follow=True,
    )
    page = response.content.decode()
    assert "督查改派承办人" in page and "回避" in page
    case.refresh_from_db()
    assert case.assignee == team.approver2
    client.force_login(team.approver)
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "督查强制操作" not in page


# --- queue handover -----------------------------------------------------------------------------


def test_r_case_1_handover_moves_exactly_that_persons_open_cases_and_records_each(team):
    mine_1, mine_2 = reviewed(team), reviewed(team)
    decided = reviewed(team)
    services.case_decide(actor=team.approver, case=decided, approve=True)
    other = reviewed(team, handler=team.approver2)
    waiting = accepted(team)
    for bad in (
        dict(actor=team.approver, to_user=team.approver3, reason="调岗"),
        dict(actor=team.pref_market_leader, to_user=team.approver3, reason="调岗"),
    ):
        with pytest.raises(Forbidden):
            supervision.queue_handover(
                department=team.linxia_market, from_user=team.approver, **bad
            )
    with pytest.raises(InvalidInput, match="移交原因"):
        supervision.queue_handover(
            actor=team.chief_rep,
            department=team.linxia_market,
            from_user=team.approver,
            to_user=team.approver3,
            reason="",
        )
    with pytest.raises(InvalidInput, match="本部门"):
        supervision.queue_handover(
            actor=team.chief_rep,
            department=team.linxia_market,
            from_user=team.approver,
            to_user=team.police_approver,
            reason="调岗",
        )
    moved = supervision.queue_handover(
        actor=team.chief_rep,
        department=team.linxia_market,
        from_user=team.approver,
        to_user=team.approver3,
        reason="调往其他科室",
    )
    assert moved == 2
    assignees = dict(Case.objects.values_list("pk", "assignee_id"))
    assert assignees[mine_1.pk] == assignees[mine_2.pk] == team.approver3.pk
    assert assignees[decided.pk] == team.approver.pk  # decided: not in the queue
    assert assignees[other.pk] == team.approver2.pk
    assert assignees[waiting.pk] is None
    events = CaseEvent.objects.filter(action="handover")
    assert sorted(events.values_list("case_id", flat=True)) == sorted([mine_1.pk, mine_2.pk])
    assert {e.note for e in events} == {"调往其他科室"}
    assert all(e.data["from_user"] == team.approver.pk for e in events)
    # The unassigned ones, by a center administrator of the scope.
    moved = supervision.queue_handover(
        actor=team.county_admin,
        department=team.linxia_market,
        from_user=None,
        to_user=team.approver2,
        reason="分派新受理的办件",
    )
    assert moved == 1
    waiting.refresh_from_db()
    assert waiting.assignee == team.approver2


def test_r_case_1_handover_from_the_queue_page(client, team):
    first, second = reviewed(team), reviewed(team)
    client.force_login(team.chief_rep)
    url = f"/workspace/queue/?department={team.linxia_market.pk}"
    page = client.get(url + "&who=all").content.decode()
    assert "队列移交" in page
    response = client.post(
        url,
        {"from_user": team.approver.pk, "to_user": team.approver2.pk, "reason": ""},
        follow=True,
    )
    assert "请写明移交原因" in response.content.decode()
    response = client.post(
        url,
        {
            "department": team.linxia_market.pk,
            "from_user": team.approver.pk,
            "to_user": team.approver2.pk,
            "reason": "休产假前移交",
        },
        follow=True,
    )
    assert "已移交2件办件" in response.content.decode()
    assert set(Case.objects.filter(assignee=team.approver2).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    client.force_login(team.approver)
    page = client.get(url + "&who=all").content.decode()
    assert "队列移交" not in page


# --- the department queue -----------------------------------------------------------------------


def test_r_case_4_department_queue_by_deadline_paused_last_with_filters(team):
    late = reviewed(team, day="2026-11-02")  # promised due 11-05
    soon = reviewed(team, handler=team.approver2, day="2026-11-20")  # due 11-25
    paused = reviewed(team, day="2026-11-03")
    supervision.case_special_start(
        actor=team.approver, case=paused, kind="testing", reason="送检", now=at("2026-11-04")
    )
    fresh = accepted(team, day="2026-11-24")  # due 11-27, unassigned
    services.case_decide(
        actor=team.approver, case=reviewed(team, day="2026-11-02"), approve=True
    )  # decided: not in the queue
    sweep(now=at("2026-11-24", 9))
    scope = scope_for(team.approver)
    everything = department_queue(scope=scope, department_id=team.linxia_market.pk)
    assert [c.pk for c in everything] == [late.pk, soon.pk, fresh.pk, paused.pk]
    assert [c.warning_level for c in everything][:2] == [2, 1]  # overdue, then near
    mine = queues.department_queue(scope, team.linxia_market.pk, user=team.approver, who="mine")
    assert [c.pk for c in mine] == [late.pk, paused.pk]
    unassigned = queues.department_queue(scope, team.linxia_market.pk, who="unassigned")
    assert [c.pk for c in unassigned] == [fresh.pk]
    # Another department's reader gets nothing of this department.
    other = department_queue(scope_for(team.police_approver), team.linxia_market.pk)
    assert not other.exists()


def test_r_case_4_the_queue_page_shows_deadlines_badges_and_assignees(client, team):
    late = reviewed(team, day="2026-11-02")
    paused = reviewed(team, day="2026-11-03")
    supervision.case_special_start(
        actor=team.approver, case=paused, kind="hearing", reason="听证", now=at("2026-11-04")
    )
    unassigned = accepted(team)
    sweep(now=at("2026-11-24", 9))
    client.force_login(team.approver)
    page = client.get("/workspace/queue/").content.decode()
    assert "我的待办" in page
    assert late.number in page and paused.number in page and unassigned.number not in page
    assert "超时" in page and "暂停计时" in page
    assert page.index(late.number) < page.index(paused.number)
    page = client.get("/workspace/queue/?who=unassigned").content.decode()
    assert unassigned.number in page and late.number not in page
    assert client.get("/workspace/queue/?who=bogus").status_code == 200
    client.force_login(team.kangle_admin)
    assert client.get(f"/workspace/queue/?department={team.linxia_market.pk}").status_code == 404
    client.force_login(team.clerk)
    assert client.get("/workspace/queue/").status_code == 404


# --- the supervision board ----------------------------------------------------------------------


@pytest.fixture
def two_counties(team):
    """An overdue case in 临夏县 and one in 康乐县."""
    request = catalog_services.listing_request_entry(
        actor=team.kangle_admin,
        matter=team.matter,
        center=team.kangle_center,
        department=team.kangle_market,
        code="KL-0001",
        reason="进驻",
    )
    kangle_gov = org_services.staff_create(
        actor=team.root,
        username="kangle_gov",
        full_name="康乐县政府办",
        password=None,
        roles={"gov_office"},
        staff_no="K0002",
        region=team.kangle,
    ).user
    catalog_services.change_request_decide(actor=kangle_gov, request=request, approve=True)
    kangle_listing = Listing.objects.get(pk=request.listing_id)
    kangle_clerk = org_services.staff_create(
        actor=team.root,
        username="kangle_clerk",
        full_name="康乐窗口",
        password=team.password,
        roles={"clerk"},
        staff_no="K0001",
        center=team.kangle_center,
    ).user
    hall_services.authorization_set(
        actor=team.kangle_admin,
        clerk=kangle_clerk,
        matter=team.matter,
        may_accept=True,
        may_decide=False,
    )
    kangle_case = services.case_intake(
        actor=kangle_clerk,
        listing=kangle_listing,
        applicant=team.applicant,
        materials=all_required(team),
        now=at("2026-11-02", 9),
    )
    team.kangle_case = services.case_accept(
        actor=kangle_clerk, case=kangle_case, now=at("2026-11-02")
    )
    team.linxia_case = accepted(team, day="2026-11-02")
    team.warned_case = accepted(team, day="2026-11-20")  # due 11-25
    sweep(now=at("2026-11-24", 9))
    return team


def test_r_case_4_the_board_shows_only_in_scope_cases(two_counties):
    t = two_counties
    today = dt.date(2026, 11, 25)  # the warned case is due today (the next day it is overdue)
    county = queues.supervision_board(scope=scope_for(t.county_supervisor), today=today)
    assert [c.pk for c in county.overdue] == [t.linxia_case.pk]
    assert [c.pk for c in county.warned] == [t.warned_case.pk]
    assert [(r["center__name"], r["overdue"], r["warned"]) for r in county.by_place] == [
        ("临夏县政务服务中心", 1, 1)
    ]
    prefecture = queues.supervision_board(scope=scope_for(t.pref_supervisor), today=today)
    assert {c.pk for c in prefecture.overdue} == {t.linxia_case.pk, t.kangle_case.pk}
    assert prefecture.counts["overdue"] == 2 and len(prefecture.by_place) == 2
    kangle = queues.supervision_board(scope=scope_for(t.kangle_admin), today=today)
    assert [c.pk for c in kangle.overdue] == [t.kangle_case.pk] and not kangle.warned


def test_r_case_4_the_board_lists_late_urgings_special_procedures_and_deemed_cases(two_counties):
    t = two_counties
    case = services.case_start_review(actor=t.approver, case=t.warned_case)
    services.case_urge(
        actor=t.county_admin,
        case=t.linxia_case,
        message="请说明超时原因",
        reply_by=timezone.localdate(),
    )
    supervision.case_special_start(actor=t.approver, case=case, kind="expert", reason="专家评审")
    Case.objects.filter(pk=t.linxia_case.pk).update(deemed_accepted=True)
    later = timezone.localdate() + dt.timedelta(days=1)
    board = queues.supervision_board(scope=scope_for(t.county_supervisor), today=later)
    assert [u.case_id for u in board.urgings] == [t.linxia_case.pk]
    assert [p.case_id for p in board.special] == [case.pk]
    assert [c.pk for c in board.deemed] == [t.linxia_case.pk]
    kangle = queues.supervision_board(scope=scope_for(t.kangle_admin), today=later)
    assert not (kangle.urgings or kangle.special or kangle.deemed)


def test_r_case_4_the_board_page_is_scoped_and_links_to_cases(client, two_counties):
    t = two_counties
    client.force_login(t.county_supervisor)
    page = client.get("/workspace/supervision/").content.decode()
    assert "督查看板" in page
    assert t.linxia_case.number in page and t.kangle_case.number not in page
    assert f"/workspace/cases/{t.linxia_case.pk}/" in page
    client.force_login(t.pref_supervisor)
    page = client.get("/workspace/supervision/").content.decode()
    assert t.linxia_case.number in page and t.kangle_case.number in page
    client.force_login(t.county_leader)
    assert client.get("/workspace/supervision/").status_code == 200
    for user in (t.clerk, t.approver):
        client.force_login(user)
        assert client.get("/workspace/supervision/").status_code == 404
