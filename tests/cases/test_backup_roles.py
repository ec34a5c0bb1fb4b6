"""R-CASE-9 backup roles (AB角): while A is away, A's cases show in B's queue and B acts
on them, recorded as such; when A is back the cases are A's again; if B is away too
the cases fall to B's B, and a cycle of absent people stops."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.selectors import department_queue, queues
from onewindow.cases.services import supervision
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.org import services as org_services
from onewindow.org.models import StaffProfile
from tests.cases.conftest import all_required


def add_approver(desk, key: str, no: int, department=None):
    profile = org_services.staff_create(
        actor=desk.root,
        username=key,
        full_name=key,
        password=desk.password,
        roles={"approver"},
        staff_no=f"B{no:04d}",
        department=department or desk.linxia_market,
    )
    setattr(desk, key, profile.user)
    return profile


@pytest.fixture
def team(desk):
    add_approver(desk, "approver2", 1)
    add_approver(desk, "approver3", 2)
    return desk


def profile_of(user) -> StaffProfile:
    return StaffProfile.objects.get(user=user)


def in_review(desk, handler) -> Case:
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    case = services.case_accept(actor=desk.clerk, case=case)
    return services.case_start_review(actor=handler, case=case)


def mine(desk, user) -> list[int]:
    qs = department_queue(scope_for(user), desk.linxia_market.pk, user=user, who="mine")
    return list(qs.values_list("pk", flat=True))


def set_backup(desk, a, b):
    org_services.staff_set_backup(actor=desk.chief_rep, profile=profile_of(a), backup=profile_of(b))


def away(desk, user, reason="年休假"):
    until = timezone.localdate() + dt.timedelta(days=5)
    return org_services.staff_set_away(
        actor=desk.chief_rep, profile=profile_of(user), away=True, until=until, reason=reason
    )


def test_r_case_9_a_away_b_sees_and_acts_on_as_cases_and_they_return_when_a_is_back(team):
    a, b = team.approver, team.approver2
    first, second = in_review(team, a), in_review(team, a)
    own_of_b = in_review(team, b)
    assert mine(team, b) == [own_of_b.pk]
    set_backup(team, a, b)
    assert first.pk not in mine(team, b)  # a backup alone moves nothing while A is present
    profile = away(team, a)
    assert profile.away and profile.away_reason == "年休假"
    assert AuditEvent.objects.filter(action="staff.set_away", target_id=str(profile.pk)).exists()
    assert set(mine(team, b)) == {first.pk, second.pk, own_of_b.pk}
    # The cases stay A's: nobody moved them.
    assert set(Case.objects.filter(assignee=a).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    # B decides on A's case; the history says B acted for A.
    services.case_decide(actor=b, case=first, approve=True, note="符合条件")
    event = CaseEvent.objects.get(case=first, action="approve")
    assert event.actor == b
    assert event.note.startswith(f"B角代办（{a}离岗）")
    assert "符合条件" in event.note
    assert event.data["backup_for"] == a.pk
    # B acting on their own case is not marked.
    services.case_decide(actor=b, case=own_of_b, approve=True, note="同意")
    assert "B角" not in CaseEvent.objects.get(case=own_of_b, action="approve").note
    # A is back: the open case is A's queue again, not B's.
    org_services.staff_set_away(actor=team.chief_rep, profile=profile_of(a), away=False)
    assert second.pk not in mine(team, b)
    assert second.pk in mine(team, a)
    services.case_decide(actor=a, case=second, approve=True)
    assert CaseEvent.objects.get(case=second, action="approve").note == ""


def test_r_case_9_when_b_is_away_too_cases_fall_to_bs_b_and_a_cycle_stops(team):
    a, b, c = team.approver, team.approver2, team.approver3
    case_a, case_b = in_review(team, a), in_review(team, b)
    set_backup(team, a, b)
    set_backup(team, b, c)
    set_backup(team, c, a)  # a ring: A → B → C → A
    away(team, a)
    assert queues.handler_for(a).user == b
    away(team, b, reason="培训")
    assert queues.handler_for(a).user == c
    assert set(mine(team, c)) == {case_a.pk, case_b.pk}
    assert mine(team, b) == [case_b.pk]  # away B stands in for nobody; B's own stay listed
    services.case_decide(actor=c, case=case_a, approve=True, note="同意")
    assert CaseEvent.objects.get(case=case_a, action="approve").note.startswith(
        f"B角代办（{a}离岗）"
    )
    away(team, c, reason="出差")
    assert queues.handler_for(a) is None  # everyone away: the ring stops
    assert mine(team, c) == []
    assert queues.covered_users(a) == set()
    assert case_b.pk in mine(team, b)


def test_r_case_9_backup_validation_errors_in_chinese(team):
    a = profile_of(team.approver)
    with pytest.raises(InvalidInput, match="不能指定本人"):
        org_services.staff_set_backup(actor=team.chief_rep, profile=a, backup=a)
    with pytest.raises(InvalidInput, match="同一部门"):
        org_services.staff_set_backup(
            actor=team.county_admin, profile=a, backup=profile_of(team.police_approver)
        )
    with pytest.raises(InvalidInput, match="先为其指定B角"):
        org_services.staff_set_away(actor=team.chief_rep, profile=a, away=True, reason="休假")
    set_backup(team, team.approver, team.approver2)
    with pytest.raises(InvalidInput, match="离岗事由"):
        org_services.staff_set_away(actor=team.chief_rep, profile=a, away=True, reason=" ")
    with pytest.raises(InvalidInput, match="返岗日期"):
        org_services.staff_set_away(
            actor=team.chief_rep,
            profile=a,
            away=True,
            reason="休假",
            until=timezone.localdate() - dt.timedelta(days=1),
        )
    with pytest.raises(InvalidInput, match="当前在岗"):
        org_services.staff_set_away(actor=team.chief_rep, profile=a, away=False)
    # Only the department's head or a center administrator arranges AB roles.
    with pytest.raises(Forbidden):
        org_services.staff_set_backup(
            actor=team.approver2, profile=profile_of(team.approver3), backup=a
        )
    with pytest.raises(NotFound):  # another department's staff: not in scope
        org_services.staff_set_backup(
            actor=team.police_approver, profile=a, backup=profile_of(team.approver3)
        )
    with pytest.raises(NotFound):
        org_services.staff_set_backup(
            actor=team.kangle_admin, profile=a, backup=profile_of(team.approver3)
        )
    # Window clerks: the B is a window colleague of the same center.
    clerk = profile_of(team.clerk)
    with pytest.raises(InvalidInput, match="同一中心"):
        org_services.staff_set_backup(
            actor=team.county_admin, profile=clerk, backup=profile_of(team.township_clerk)
        )
    with pytest.raises(InvalidInput, match="窗口工作人员"):
        org_services.staff_set_backup(
            actor=team.county_admin, profile=clerk, backup=profile_of(team.county_admin)
        )
    org_services.staff_set_backup(
        actor=team.county_admin, profile=clerk, backup=profile_of(team.agent)
    )
    assert profile_of(team.clerk).backup.user == team.agent
    a.refresh_from_db()
    assert a.backup.user == team.approver2 and not a.away


def test_r_case_9_an_away_person_is_not_given_cases(team):
    case = in_review(team, team.approver)
    set_backup(team, team.approver2, team.approver3)
    away(team, team.approver2)
    with pytest.raises(InvalidInput, match="已离岗"):
        supervision.case_force(
            actor=team.county_supervisor,
            case=case,
            step="reassign",
            reason="调整分工",
            to_user=team.approver2,
        )
    with pytest.raises(InvalidInput, match="已离岗"):
        supervision.queue_handover(
            actor=team.chief_rep,
            department=team.linxia_market,
            from_user=team.approver,
            to_user=team.approver2,
            reason="调整分工",
        )
    case.refresh_from_db()
    assert case.assignee == team.approver


def test_r_case_9_the_backup_page_sets_b_and_marks_away_and_back(client, team):
    a = profile_of(team.approver)
    client.force_login(team.chief_rep)
    url = f"/workspace/queue/backups/?department={team.linxia_market.pk}"
    page = client.get(url).content.decode()
    assert "AB角与离岗" in page and str(team.approver2) in page
    client.post(url, {"action": "backup", "profile": a.pk, "backup": profile_of(team.approver2).pk})
    a.refresh_from_db()
    assert a.backup.user == team.approver2
    response = client.post(
        url, {"action": "away", "profile": a.pk, "until": "明天", "reason": "休假"}, follow=True
    )
    assert "预计返岗日期格式不正确" in response.content.decode()
    a.refresh_from_db()
    assert not a.away
    response = client.post(
        url, {"action": "away", "profile": a.pk, "until": "", "reason": "病假"}, follow=True
    )
    a.refresh_from_db()
    assert a.away and a.away_reason == "病假"
    assert "由 <strong>approver2</strong> 代办" in response.content.decode()
    staff_page = client.get(reverse("org:staff_detail", args=[a.pk])).content.decode()
    assert "离岗（病假）" in staff_page and "AB角与离岗" in staff_page
    assert "<title>approver · " in staff_page and "<form" not in staff_page.split("</title>")[0]
    client.post(url, {"action": "back", "profile": a.pk})
    a.refresh_from_db()
    assert not a.away and a.away_reason == ""
    # An approver who is not the head sees the page but cannot change it.
    client.force_login(team.approver3)
    client.post(url, {"action": "backup", "profile": a.pk, "backup": ""})
    a.refresh_from_db()
    assert a.backup.user == team.approver2
    # Another county's administrator does not see this department at all.
    client.force_login(team.kangle_admin)
    assert client.get(url).status_code == 404


def test_r_case_9_the_case_page_names_the_backup_standing_in(client, team):
    case = in_review(team, team.approver)
    set_backup(team, team.approver, team.approver2)
    away(team, team.approver)
    client.force_login(team.approver2)
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "由B角 <strong>approver2</strong> 代办" in page
    client.post(f"/workspace/cases/{case.pk}/", {"action": "approve", "note": "同意"})
    case.refresh_from_db()
    assert case.state == states.APPROVED
    assert "B角代办" in case.events.get(action="approve").note
