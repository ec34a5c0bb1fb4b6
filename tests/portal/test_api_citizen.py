"""R-CIT-1 and R-CASE-8 through the API: a citizen signed in as on the portal (its
session; no account of staff) reads 我的事务 and asks a question online about a matter
at a center that handles it, reads the answer back; claims a phone with its code,
withdraws a draft and cancels a booking; another citizen's question, case or booking is
404; a write without the CSRF token, a staff session or bad input is refused and
changes nothing (R-SEC-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from onewindow.cases import states as case_states
from onewindow.complaints.models import Inquiry
from onewindow.complaints.services import inquiries, online_inquiries
from onewindow.hall import appointments as appt
from onewindow.hall.models import Appointment, AppointmentSlot, ServiceCategory
from onewindow.portal.models import ClaimedPhone
from tests.portal.conftest import (
    ALICE,
    BOB,
    CITIZEN_PASSWORD,
    a_case,
    claim,
    code_in_db,
    register,
)

BASE = "/api/v1/citizen"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def signed_in(person: dict, **kwargs) -> Client:
    client = Client()
    response = client.post("/my/login/", {"phone": person["phone"], "password": CITIZEN_PASSWORD})
    assert response.status_code == 302
    if kwargs:  # the same session in a client that checks CSRF as a browser would
        guarded = Client(**kwargs)
        guarded.cookies = client.cookies
        return guarded
    return client


def ask(client, desk, **extra):
    body = {"matter_id": desk.matter.pk, "center_id": desk.linxia_center.pk, **extra}
    body.setdefault("question", "个体户变更经营场所需要重新办照吗？")
    return client.post(f"{BASE}/consultations", body, content_type="application/json")


def test_r_cit_1_api_my_affairs_lists_the_account_s_cases(desk):
    a_case(desk, ALICE, submit=True)
    a_case(desk, BOB, submit=True)
    claim(register(ALICE), ALICE["phone"])
    client = signed_in(ALICE)
    body = client.get(f"{BASE}/affairs").json()
    assert body["phones"] == [ALICE["phone"]]
    assert len(body["running"]) == 1 and desk.matter.name in body["running"][0]["title"]
    assert body["drafts"] == [] and body["inquiries"] == []
    assert Client().get(f"{BASE}/affairs").status_code == 401
    staff = Client()
    staff.force_login(desk.clerk)  # a staff session is not a citizen
    answer = staff.get(f"{BASE}/affairs")
    assert answer.status_code == 401 and answer.json()["code"] == "auth.required"


def test_r_case_8_api_citizen_asks_online_and_reads_the_answer(desk):
    register(ALICE)
    alice = signed_in(ALICE)
    answer = ask(alice, desk, publish_consent=True)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    inquiry = Inquiry.objects.get(pk=body["id"])
    assert inquiry.channel == "web" and inquiry.department == desk.linxia_market
    assert inquiry.asker_phone == ALICE["phone"] and body["due"]
    online_inquiries.inquiry_take(actor=desk.approver, inquiry=inquiry)
    inquiries.inquiry_answer(actor=desk.approver, inquiry=inquiry, answer="办理变更登记即可。")
    read = alice.get(f"{BASE}/consultations/{inquiry.pk}").json()
    assert read["answer"] == "办理变更登记即可。" and read["state"] == "answered"
    assert [row["id"] for row in alice.get(f"{BASE}/consultations").json()["items"]] == [inquiry.pk]
    assert alice.get(f"{BASE}/affairs").json()["inquiries"][0]["status"] == "已答复"
    register(BOB)
    bob = signed_in(BOB)
    assert bob.get(f"{BASE}/consultations/{inquiry.pk}").status_code == 404
    assert bob.get(f"{BASE}/consultations").json()["count"] == 0


def test_r_sec_2_api_citizen_bad_input_is_refused_and_changes_nothing(desk):
    register(ALICE)
    alice = signed_in(ALICE)
    assert ask(alice, desk, center_id=desk.kangle_center.pk).status_code == 422
    assert ask(alice, desk, question="").status_code == 422
    assert ask(alice, desk, matter_id=2**64).status_code == 422
    assert ask(alice, desk, matter_id=987654).status_code == 404
    assert alice.get(f"{BASE}/consultations?limit=501").status_code == 422
    guarded = signed_in(ALICE, enforce_csrf_checks=True)
    assert ask(guarded, desk).status_code == 403  # a write needs the CSRF token
    assert ask(Client(), desk).status_code == 401
    assert Inquiry.objects.count() == 0


def _write(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def test_r_cit_1_api_claim_a_phone_then_withdraw_a_draft(desk):
    alices, bobs = a_case(desk, ALICE, submit=False), a_case(desk, BOB, submit=False)
    register(ALICE)
    alice = signed_in(ALICE)
    assert _write(alice, "/phones/code", {"phone": "12"}).status_code == 422
    sent = _write(alice, "/phones/code", {"phone": ALICE["phone"]})
    assert sent.status_code == 202 and sent.json()["phone_tail"] == ALICE["phone"][-4:]
    wrong = _write(alice, "/phones/claim", {"phone": ALICE["phone"], "code": "000000x"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "citizen.bad_code"
    assert not ClaimedPhone.objects.exists()
    code = code_in_db(ALICE["phone"])
    claimed = _write(alice, "/phones/claim", {"phone": ALICE["phone"], "code": code})
    assert claimed.status_code == 200 and claimed.json()["phones"] == [ALICE["phone"]]
    assert [r["id"] for r in claimed.json()["drafts"]] == [alices.pk]
    assert _write(alice, f"/cases/{bobs.pk}/withdraw").status_code == 404  # not hers
    done = _write(alice, f"/cases/{alices.pk}/withdraw", {"reason": "材料准备不全"})
    assert done.status_code == 200 and done.json()["state"] == case_states.WITHDRAWN
    again = _write(alice, f"/cases/{alices.pk}/withdraw")
    assert again.status_code == 409  # the state no longer allows it
    bobs.refresh_from_db()
    assert bobs.state != case_states.WITHDRAWN
    # Bob cannot claim Alice's phone: its code is hers and the phone is held
    register(BOB)
    bob = signed_in(BOB)
    _write(bob, "/phones/code", {"phone": ALICE["phone"]})
    taken = _write(
        bob, "/phones/claim", {"phone": ALICE["phone"], "code": code_in_db(ALICE["phone"])}
    )
    assert taken.status_code == 409 and taken.json()["code"] == "citizen.phone_claimed"
    assert ClaimedPhone.objects.get().account.phone == ALICE["phone"]


def test_r_cit_1_api_cancel_my_booking_only(desk):
    center = desk.linxia_center
    category = ServiceCategory.objects.create(center=center, letter="A", name="企业开办", order=1)
    day = dt.date.today() + dt.timedelta(days=7)
    slot = AppointmentSlot.objects.create(
        center=center, category=category, day=day, start=dt.time(9), end=dt.time(10), capacity=5
    )
    mine, theirs = (
        appt.appointment_book(
            center=center, category=category, slot=slot, name=p["name"], phone=p["phone"]
        )
        for p in (ALICE, BOB)
    )
    claim(register(ALICE), ALICE["phone"])
    alice = signed_in(ALICE)
    assert _write(alice, f"/appointments/{theirs.pk}/cancel").status_code == 404
    assert _write(alice, f"/appointments/{2**64}/cancel").status_code == 422
    assert _write(Client(), f"/appointments/{mine.pk}/cancel").status_code == 401
    done = _write(alice, f"/appointments/{mine.pk}/cancel")
    assert done.status_code == 200 and done.json()["state"] == Appointment.State.CANCELLED
    theirs.refresh_from_db()
    slot.refresh_from_db()
    assert theirs.state == Appointment.State.BOOKED and slot.booked == 1
