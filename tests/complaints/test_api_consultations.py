"""R-CASE-3 and R-CASE-8 through the API: a consultation logged at the desk is owned by
whoever logged it, handed over and answered by the same services as the page; an
online question is taken by the department, answered and published as a FAQ after the
head's review; outside the caller's scope is 404; bad input is a 4xx that changes
nothing (R-SEC-2)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from onewindow.complaints.models import FaqState, Inquiry, InquiryHandover
from onewindow.core.models import AuditEvent
from onewindow.portal.citizens import services as citizen_services
from tests.api_client import bearer
from tests.portal.conftest import ALICE, register

BASE = "/api/v1/consultations"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def test_r_case_3_api_logged_owned_handed_over_and_answered(hall):
    clerk = bearer(hall.clerk)
    answer = post(
        clerk, "/", {"question": "个体户变更经营场所要带什么？", "asker_phone": "13909301111"}
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    iid = body["id"]
    assert body["owner_id"] == body["first_owner_id"] == hall.clerk.pk
    assert body["center_id"] == hall.linxia_center.pk and body["state"] == "open"
    assert [row["id"] for row in clerk.get(f"{BASE}/?mine=true").json()["items"]] == [iid]

    moved = post(
        clerk, f"/{iid}/handover", {"to_user_id": hall.approver.pk, "reason": "需审批部门答复"}
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["owner_id"] == hall.approver.pk
    assert moved.json()["handovers"][0]["reason"] == "需审批部门答复"
    refused = post(clerk, f"/{iid}/answer", {"answer": "我来答"})  # no longer the owner
    assert refused.status_code == 403 and refused.json()["code"] == "inquiry.not_owner"

    done = post(bearer(hall.approver), f"/{iid}/answer", {"answer": "带营业执照和新场所证明。"})
    assert done.status_code == 200 and done.json()["state"] == "answered"
    inquiry = Inquiry.objects.get(pk=iid)
    assert inquiry.answered_by == hall.approver and inquiry.first_owner == hall.clerk
    assert list(
        AuditEvent.objects.filter(target_id=str(iid), action__startswith="inquiry.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["inquiry.log", "inquiry.handover", "inquiry.answer"]


def test_r_case_3_api_consultation_outside_the_scope_is_404(hall):
    iid = post(bearer(hall.clerk), "/", {"question": "问题一"}).json()["id"]
    for outsider in (hall.kangle_admin, hall.township_clerk):
        client = bearer(outsider)
        assert client.get(f"{BASE}/{iid}").status_code == 404
        assert post(client, f"/{iid}/answer", {"answer": "x"}).status_code == 404
        assert client.get(f"{BASE}/").json()["count"] == 0
    assert bearer(hall.county_supervisor).get(f"{BASE}/{iid}").status_code == 200
    assert Inquiry.objects.get(pk=iid).state == "open"


def test_r_case_8_api_online_question_taken_answered_and_published_after_review(hall):
    inquiry = citizen_services.citizen_ask(
        account=register(ALICE),
        matter=hall.matter,
        center=hall.linxia_center,
        question="个体户变更经营场所需要重新办照吗？",
        publish_consent=True,
    )
    approver = bearer(hall.approver)
    listed = approver.get(f"{BASE}/?online=true").json()
    assert [row["id"] for row in listed["items"]] == [inquiry.pk]
    assert listed["items"][0]["owner_id"] is None and listed["items"][0]["due"]
    assert post(bearer(hall.police_approver), f"/{inquiry.pk}/take").status_code == 404
    taken = post(approver, f"/{inquiry.pk}/take")
    assert taken.status_code == 200 and taken.json()["first_owner_id"] == hall.approver.pk
    again = post(bearer(hall.chief_rep), f"/{inquiry.pk}/take")
    assert again.status_code == 409 and again.json()["code"] == "inquiry.taken"
    post(approver, f"/{inquiry.pk}/answer", {"answer": "办理变更登记即可。"})
    assert post(approver, f"/{inquiry.pk}/faq", {"publish": True}).status_code == 403
    published = post(bearer(hall.chief_rep), f"/{inquiry.pk}/faq", {"publish": True})
    assert published.status_code == 200 and published.json()["faq_state"] == FaqState.PUBLISHED


def test_r_sec_2_api_consultation_bad_input_is_a_4xx_and_changes_nothing(hall):
    clerk = bearer(hall.clerk)
    for body in ({"question": ""}, {"question": "x", "channel": "pigeon"}, {"channel": "web"}):
        answer = post(clerk, "/", body)
        assert 400 <= answer.status_code < 500, (body, answer.content)
        assert set(answer.json()) == {"code", "message", "fields"}
    assert Inquiry.objects.count() == 0
    iid = post(clerk, "/", {"question": "问题"}).json()["id"]
    for body in (
        {"to_user_id": hall.kangle_admin.pk, "reason": "别的中心"},
        {"to_user_id": hall.approver.pk, "reason": ""},
        {"to_user_id": 2**64, "reason": "太大"},
        {"to_user_id": "abc", "reason": "不是数"},
    ):
        answer = post(clerk, f"/{iid}/handover", body)
        assert answer.status_code == 422, (body, answer.content)
    assert post(clerk, f"/{iid}/answer", {"answer": ""}).status_code == 422
    assert clerk.get(f"{BASE}/?limit=0").status_code == 422
    assert clerk.get(f"{BASE}/?offset=36893488147419103233").status_code == 422
    assert clerk.get(f"{BASE}/99999999999999999999").status_code in (404, 422)
    assert InquiryHandover.objects.count() == 0
    assert Inquiry.objects.get(pk=iid).owner == hall.clerk
    assert Inquiry.objects.get(pk=iid).state == "open"
