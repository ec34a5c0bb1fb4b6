"""The evaluation API (R-EVAL-1..3): anonymous review by token, a staff session or
token refused, one per visit, lists in scope without the reviewer's identity, the
rectification's steps, machine-readable errors."""

from __future__ import annotations

from django.test import Client

from onewindow.core.tokens import api_token_create
from onewindow.evaluation.models import Rectification, Review
from onewindow.hall.selectors import ticket_token
from tests.evaluation.conftest import concluded_case, finish_visit

BASE = "/api/v1/evaluation"


def test_r_eval_1_api_review_by_token_anonymous_once_never_by_staff(ev):
    ticket = finish_visit(ev)
    url = f"{BASE}/by-token/{ticket_token(ticket)}"
    _, key = api_token_create(actor=ev.clerk, name="窗口")
    r = Client().post(
        url, {"level": 5}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert r.status_code == 403 and r.json()["code"] == "evaluation.clerk_cannot_review"
    staff = Client()
    staff.force_login(ev.clerk)
    r = staff.post(url, {"level": 5}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "evaluation.clerk_cannot_review"
    r = Client().post(url, {"level": 7}, content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    r = Client().post(
        url,
        {"level": 1, "reasons": ["rude"], "contact_phone": "13900003333"},
        content_type="application/json",
    )
    assert r.status_code == 201
    body = r.json()
    assert body["level_label"] == "非常不满意" and body["follow_token"]
    assert "13900003333" not in r.content.decode()
    r = Client().post(url, {"level": 5}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "evaluation.already_reviewed"
    assert Review.objects.count() == 1
    assert (
        Client()
        .post(f"{BASE}/by-token/1.x", {"level": 5}, content_type="application/json")
        .status_code
        == 404
    )
    case = concluded_case(ev)
    r = Client().post(
        f"{BASE}/by-token/{case.token}",
        {"level": 4, "channel": "mobile"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["kind"] == "case" and r.json()["channel"] == "mobile"


def test_r_eval_2_api_rectification_steps_in_scope(ev):
    case = concluded_case(ev)
    r = Client().post(
        f"{BASE}/by-token/{case.token}",
        {"level": 2, "text": "太慢", "contact_name": "马女士"},
        content_type="application/json",
    )
    follow = r.json()["follow_token"]
    rect = Rectification.objects.get()
    dept = Client()
    dept.force_login(ev.approver)
    listed = dept.get(f"{BASE}/reviews?bad=true")
    assert listed.json()["count"] == 1 and "马女士" not in listed.content.decode()
    assert dept.get(f"{BASE}/rectifications").json()["items"][0]["id"] == rect.pk
    other = Client()
    other.force_login(ev.kangle_admin)
    assert other.get(f"{BASE}/rectifications/{rect.pk}").status_code == 404
    assert other.get(f"{BASE}/rectifications").json()["count"] == 0
    r = dept.post(
        f"{BASE}/rectifications/{rect.pk}/report", {"text": "x"}, content_type="application/json"
    )
    assert r.status_code == 409 and r.json()["code"] == "rectification.wrong_state"
    for action, text in (("contact", "已联系"), ("start", ""), ("report", "已提速")):
        r = dept.post(
            f"{BASE}/rectifications/{rect.pk}/{action}",
            {"text": text},
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
    r = Client().post(f"{BASE}/follow/{follow}", {"accepts": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    r = dept.post(
        f"{BASE}/rectifications/{rect.pk}/check", {"text": "x"}, content_type="application/json"
    )
    assert r.status_code == 403 and r.json()["code"] == "rectification.not_allowed"
