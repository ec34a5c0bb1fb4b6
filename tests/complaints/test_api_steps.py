"""R-CPL-1 through the API: a complaint registered at the desk is dispatched, answered
with its finding, judged by the complainant by the token of their receipt, revisited and
closed, each step by the same service as the page; the department never sees who
complained; a step the state does not allow is 409 and changes nothing; outside the
caller's scope is 404."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.complaints.models import Complaint
from onewindow.core.models import AuditEvent
from tests.api_client import bearer

BASE = "/api/v1/complaints"


def post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


@pytest.fixture
def filed(hall):
    clerk = bearer(hall.clerk)
    answer = post(
        clerk,
        "/",
        {
            "center_id": hall.linxia_center.pk,
            "source": "desk",
            "subject": "办理营业执照等了很久",
            "content": "个体工商户登记窗口让我来回跑了三次，营业执照还没有办下来。",
            "name": "马小红",
            "phone": "13909305678",
        },
    )
    assert answer.status_code == 201, answer.content
    return clerk, answer.json()


def test_r_cpl_1_api_registered_dispatched_answered_judged_revisited_closed(hall, filed):
    clerk, body = filed
    cid = body["id"]
    assert body["state"] == "received" and body["name"] == "马小红"
    assert body["suggested_department"] == hall.linxia_market.name

    body = post(clerk, f"/{cid}/dispatch", {"department_id": hall.linxia_market.pk}).json()
    assert body["state"] == "dispatched", body

    department = bearer(hall.approver)
    seen = department.get(f"{BASE}/{cid}").json()
    assert seen["name"] is None and seen["phone"] is None  # who complained stays hidden

    answer = post(department, f"/{cid}/answer", {"answer": "已当场办结并致歉。"})
    assert (answer.status_code, answer.json()["code"]) == (422, answer.json()["code"])
    assert "finding" in answer.json()["fields"]
    assert Complaint.objects.get(pk=cid).state == "dispatched"
    body = post(
        department, f"/{cid}/answer", {"answer": "已当场办结并致歉。", "finding": "upheld"}
    ).json()
    assert body["state"] == "answered", body

    token = Complaint.objects.get(pk=cid).token
    anonymous = Client()
    body = post(
        anonymous, "/by-token/feedback", {"token": token, "satisfied": True, "note": "谢谢"}
    )
    assert body.json()["status"] and body.json()["can_reopen"] is False
    assert (
        post(anonymous, "/by-token/feedback", {"token": "x" * 20, "satisfied": True}).status_code
        == 404
    )

    body = post(clerk, f"/{cid}/revisit", {"note": "电话回访，投诉人满意。"}).json()
    assert body["state"] == "revisited", body
    body = post(clerk, f"/{cid}/close", {}).json()
    assert body["state"] == "closed"
    complaint = Complaint.objects.get(pk=cid)
    assert complaint.finding == "upheld"
    assert list(complaint.events.values_list("action", flat=True)) == [
        "receive",
        "dispatch",
        "answer",
        "satisfied",
        "revisit",
        "close",
    ]
    audited = AuditEvent.objects.filter(target_type="complaints.complaint", target_id=str(cid))
    assert audited.count() == 6


def test_r_cpl_1_api_unsatisfied_complainant_reopens_once(hall, filed):
    clerk, body = filed
    cid = body["id"]
    post(clerk, f"/{cid}/dispatch", {"department_id": hall.linxia_market.pk})
    post(
        bearer(hall.approver),
        f"/{cid}/answer",
        {"answer": "经核查，窗口按规定办理。", "finding": "unfounded"},
    )
    token = Complaint.objects.get(pk=cid).token
    anonymous = Client()
    body = post(anonymous, "/by-token/feedback", {"token": token, "satisfied": False}).json()
    assert body["can_reopen"] is True
    body = post(anonymous, "/by-token/reopen", {"token": token, "reason": "仍未办下来"}).json()
    assert body["can_reopen"] is False
    assert Complaint.objects.get(pk=cid).state == "dispatched"
    answer = post(anonymous, "/by-token/reopen", {"token": token, "reason": "再来一次"})
    assert answer.status_code == 409
    assert set(answer.json()) == {"code", "message", "fields"}


def test_r_cpl_1_api_wrong_step_409_outside_scope_404_bad_input_422(hall, filed):
    clerk, body = filed
    cid = body["id"]
    # answering before dispatch
    answer = post(bearer(hall.approver), f"/{cid}/answer", {"answer": "好", "finding": "upheld"})
    assert answer.status_code in (403, 404, 409)
    assert Complaint.objects.get(pk=cid).state == "received"
    # closing a complaint not yet answered
    answer = post(clerk, f"/{cid}/close", {})
    assert answer.status_code == 409 and answer.json()["code"] == "complaint.wrong_state"

    outsider = bearer(hall.kangle_admin)
    for path, data in (
        (f"/{cid}/dispatch", {"department_id": hall.linxia_market.pk}),
        (f"/{cid}/close", {}),
    ):
        assert post(outsider, path, data).status_code == 404
    assert Complaint.objects.get(pk=cid).state == "received"

    for path, data in (
        (f"/{cid}/dispatch", {"department_id": 2**70}),
        ("/36893488147419103233/dispatch", {"department_id": 1}),
        (
            "/",
            {"center_id": hall.linxia_center.pk, "source": "web", "subject": "a", "content": "b"},
        ),
    ):
        answer = post(clerk, path, data)
        assert answer.status_code == 422, (path, answer.status_code, answer.content)
        assert set(answer.json()) == {"code", "message", "fields"}
    assert Complaint.objects.count() == 1
