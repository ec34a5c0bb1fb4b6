"""The back office's other steps through the API, by the same services as the pages:
a special procedure stops the clock and its end resumes it (R-CASE-4), a forced step
needs a supervisor and a reason (R-CASE-4), a head hands over a queue (R-CASE-1), an
urging is answered; the wrong person, the wrong state and bad input change nothing;
outside the caller's scope is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onewindow.cases import services, states
from onewindow.cases.models import Case, CaseEvent
from tests.api_client import bearer
from tests.cases.test_supervision import accepted, reviewed, team  # noqa: F401

BASE = "/api/v1/cases"


def post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def test_r_case_4_api_special_procedure_stops_and_resumes_the_clock(team):
    case = reviewed(team)
    approver = bearer(team.approver)
    answer = post(approver, f"/{case.pk}/special", {"kind": "magic", "reason": "评审"})
    assert answer.status_code == 422 and set(answer.json()) == {"code", "message", "fields"}
    answer = post(bearer(team.clerk), f"/{case.pk}/special", {"kind": "expert", "reason": "评审"})
    assert answer.status_code == 403
    assert Case.objects.get(pk=case.pk).state == states.IN_REVIEW

    answer = post(
        approver,
        f"/{case.pk}/special",
        {"kind": "expert", "reason": "组织专家评审", "planned_end": "2030-01-10"},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["state"] == states.SPECIAL and body["clock_paused"] is True
    answer = post(approver, f"/{case.pk}/special", {"kind": "hearing", "reason": "听证"})
    assert answer.status_code == 409

    body = post(approver, f"/{case.pk}/special/end", {"result": "专家评审通过"}).json()
    assert body["state"] == states.IN_REVIEW and body["clock_paused"] is False
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-2:] == ["start_special", "end_special"]


def test_r_case_4_api_forced_step_needs_a_supervisor_and_a_reason(team):
    case = reviewed(team)
    body = {"step": "reassign", "reason": "原承办人回避", "to_user_id": team.approver2.pk}
    assert post(bearer(team.approver), f"/{case.pk}/force", body).status_code == 403
    assert post(bearer(team.kangle_admin), f"/{case.pk}/force", body).status_code == 404
    supervisor = bearer(team.county_supervisor)
    answer = post(supervisor, f"/{case.pk}/force", {**body, "reason": "  "})
    assert answer.status_code == 422
    answer = post(supervisor, f"/{case.pk}/force", {**body, "to_user_id": 2**62})
    assert (answer.status_code, answer.json()["code"]) == (422, "user.not_found")
    assert Case.objects.get(pk=case.pk).assignee == team.approver

    answer = post(supervisor, f"/{case.pk}/force", body)
    assert answer.status_code == 200, answer.content
    assert Case.objects.get(pk=case.pk).assignee == team.approver2
    event = CaseEvent.objects.get(case=case, action="force_reassign")
    assert event.note == "原承办人回避" and event.actor == team.county_supervisor


def test_r_case_1_api_handover_moves_that_persons_open_cases(team):
    mine_1, mine_2 = reviewed(team), reviewed(team)
    other = reviewed(team, handler=team.approver2)
    body = {
        "department_id": team.linxia_market.pk,
        "from_user_id": team.approver.pk,
        "to_user_id": team.approver3.pk,
        "reason": "调往其他科室",
    }
    assert post(bearer(team.approver), "/queues/handover", body).status_code == 403
    assert post(bearer(team.kangle_admin), "/queues/handover", body).status_code == 404
    answer = post(bearer(team.chief_rep), "/queues/handover", body)
    assert answer.json() == {"moved": 2}, answer.content
    assignees = dict(Case.objects.values_list("pk", "assignee_id"))
    assert assignees[mine_1.pk] == assignees[mine_2.pk] == team.approver3.pk
    assert assignees[other.pk] == team.approver2.pk


def test_r_case_4_api_urging_answered_once_by_the_department(team):
    case = reviewed(team)
    urging = services.case_urge(
        actor=team.county_supervisor,
        case=case,
        message="请加快办理",
        reply_by=dt.date.today() + dt.timedelta(days=3),
    )
    path = f"/{case.pk}/urgings/{urging.pk}/answer"
    assert post(bearer(team.kangle_admin), path, {"answer": "已办"}).status_code == 404
    assert (
        post(
            bearer(team.approver), f"/{case.pk}/urgings/{2**62}/answer", {"answer": "x"}
        ).status_code
        == 404
    )
    answer = post(bearer(team.approver), path, {"answer": "已加快，明日作出决定"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["answer"] == "已加快，明日作出决定"
    assert answer.json()["answered_at"] is not None
    again = post(bearer(team.approver), path, {"answer": "再答一次"})
    assert again.status_code == 409
    urging.refresh_from_db()
    assert urging.answer == "已加快，明日作出决定"


@pytest.mark.parametrize("path", ["/queues/handover", "/pledges/checks/1"])
def test_r_sec_2_api_supervision_paths_refuse_anonymous(team, path):
    answer = Client().post(f"{BASE}{path}", {}, content_type="application/json")
    assert answer.status_code == 401
    assert answer.json()["code"] == "auth.required"
