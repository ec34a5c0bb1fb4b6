"""The case API: the whole life of a case through /api/v1/cases/, with the machine-
readable errors of bad input and wrong steps, and the public progress query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from onewindow.cases.models import Case
from onewindow.core.tokens import api_token_create

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _intake_body(desk, materials):
    return {
        "listing_id": desk.listing.pk,
        "applicant": {"name": "马小明", "phone": "13909301234", "id_number": "622921199001010016"},
        "materials": [{"material_id": desk.materials[name].pk} for name in materials],
    }


REQUIRED = ("个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明")


def test_r_case_1_the_whole_life_through_the_api(desk):
    clerk, approver = _client(desk.clerk), _client(desk.approver)
    response = _post(clerk, "/api/v1/cases/", _intake_body(desk, REQUIRED[:2]))
    assert response.status_code == 201, response.content
    body = response.json()
    case_id = body["id"]
    assert body["state"] == "intake" and body["public_status"] == "已提交"
    assert body["missing"] == ["经营场所使用证明"]

    # Accepting with a material missing is a 409 with a code, and changes nothing.
    response = _post(clerk, f"/api/v1/cases/{case_id}/accept")
    assert response.status_code == 409 and response.json()["code"] == "case.materials_missing"

    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = _post(
        clerk,
        f"/api/v1/cases/{case_id}/corrections",
        {"items": [{"material_id": desk.materials["经营场所使用证明"].pk}], "due": due},
    )
    assert response.status_code == 201 and response.json()["stage"] == "intake"
    response = _post(
        clerk,
        f"/api/v1/cases/{case_id}/corrections/reply",
        {"materials": [{"material_id": desk.materials["经营场所使用证明"].pk}]},
    )
    assert response.json()["state"] == "intake" and response.json()["missing"] == []
    response = _post(clerk, f"/api/v1/cases/{case_id}/accept")
    assert response.status_code == 200 and response.json()["due"] is not None

    assert _post(approver, f"/api/v1/cases/{case_id}/start-review").json()["state"] == "in_review"
    response = _post(approver, f"/api/v1/cases/{case_id}/decide", {"approve": True, "note": "符合"})
    assert response.json()["state"] == "approved"
    # A second decision is refused with a code.
    response = _post(approver, f"/api/v1/cases/{case_id}/decide", {"approve": False, "note": "x"})
    assert response.status_code == 409 and response.json()["code"] == "case.already_decided"
    assert _post(approver, f"/api/v1/cases/{case_id}/ready").json()["state"] == "ready"
    response = _post(clerk, f"/api/v1/cases/{case_id}/deliver", {"method": "mail"})
    assert response.status_code == 422 and "tracking_number" in response.json()["fields"]
    response = _post(
        clerk, f"/api/v1/cases/{case_id}/deliver", {"method": "mail", "tracking_number": "SF1"}
    )
    assert response.json()["state"] == "delivered" and response.json()["tracking_number"] == "SF1"

    detail = clerk.get(f"/api/v1/cases/{case_id}").json()
    actions = [e["action"] for e in detail["events"]]
    assert actions == [
        "intake",
        "ask_correction_intake",
        "reply_intake",
        "accept",
        "start_review",
        "approve",
        "make_ready",
        "deliver",
    ]


def test_r_cat_7_the_api_refuses_a_material_outside_the_pinned_guide(desk, cat):
    other = cat.matter.current_version.materials.first()
    body = _intake_body(desk, REQUIRED)
    body["materials"].append({"material_id": other.pk + 100000})
    response = _post(_client(desk.clerk), "/api/v1/cases/", body)
    assert response.status_code == 422 and response.json()["code"] == "case.extra_material"
    body = _intake_body(desk, REQUIRED)
    body["form_data"] = {"担保人": "张三"}
    response = _post(_client(desk.clerk), "/api/v1/cases/", body)
    assert response.status_code == 422 and response.json()["code"] == "case.extra_field"
    assert Case.objects.count() == 0


def test_api_bad_input_answers_422_with_fields_and_changes_nothing(desk):
    clerk = _client(desk.clerk)
    body = _intake_body(desk, REQUIRED)
    body["applicant"]["phone"] = "123"
    response = _post(clerk, "/api/v1/cases/", body)
    assert response.status_code == 422 and "phone" in response.json()["fields"]
    body = _intake_body(desk, REQUIRED)
    body["materials"].append(body["materials"][0])
    response = _post(clerk, "/api/v1/cases/", body)
    assert response.status_code == 422 and response.json()["code"] == "case.duplicate_material"
    response = clerk.get("/api/v1/cases/?group=nonsense")
    assert response.status_code == 422 and response.json()["code"] == "case.bad_group"
    assert Case.objects.count() == 0


def test_r_cat_9_progress_through_the_api_reads_the_same_status_as_the_page(desk):
    clerk = _client(desk.clerk)
    case_id = _post(clerk, "/api/v1/cases/", _intake_body(desk, REQUIRED)).json()["id"]
    _post(clerk, f"/api/v1/cases/{case_id}/accept")
    case = Case.objects.get(pk=case_id)
    anonymous = Client()
    response = anonymous.get(f"/api/v1/cases/progress?number={case.number}&phone_tail=1234")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "已受理" == case.public_status
    assert [s["status"] for s in body["steps"]] == ["已提交", "已受理"]
    page = anonymous.get(f"/progress/?number={case.number}&tail=1234").content.decode()
    assert "已受理" in page
    wrong = anonymous.get(f"/api/v1/cases/progress?number={case.number}&phone_tail=9999")
    assert wrong.status_code == 404 and wrong.json()["code"] == "case.not_found"
    # The internal state is not exposed to the public.
    assert "state" not in body


def test_api_bearer_token_acts_like_the_session(desk):
    token = api_token_create(actor=desk.clerk, name="窗口平板")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post(
        "/api/v1/cases/", _intake_body(desk, REQUIRED), content_type="application/json"
    )
    assert response.status_code == 201
    assert client.get("/api/v1/cases/?group=open").json()["count"] == 1
    assert Client().get("/api/v1/cases/?group=open").status_code == 401
