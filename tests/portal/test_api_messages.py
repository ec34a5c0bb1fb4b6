"""R-MSG-1 through the API: a citizen's choice of notification messages, signed in for
the phones the account has claimed (another phone is refused), and without an account
with a code sent to the phone; a wrong code or bad input is refused and changes nothing
(R-SEC-2)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from onewindow.messaging.models import Refusal
from onewindow.portal.models import PhoneCode
from tests.portal.conftest import ALICE, BOB, CITIZEN_PASSWORD, claim, code_in_db, register

pytestmark = pytest.mark.django_db
BASE = "/api/v1/citizen/messages"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def test_r_msg_1_api_citizen_refuses_and_accepts_messages_for_a_claimed_phone():
    account = register(ALICE)
    claim(account, ALICE["phone"])
    alice = Client()
    assert alice.post("/my/login/", {"phone": ALICE["phone"], "password": CITIZEN_PASSWORD})
    assert alice.get(BASE).json() == [{"phone": ALICE["phone"], "refused": False}]
    assert Client().get(BASE).status_code == 401

    not_hers = _post(alice, "", {"phone": BOB["phone"], "refused": True})
    assert not_hers.status_code == 403 and not_hers.json()["code"] == "citizen.phone_not_proved"
    assert _post(alice, "", {"phone": ALICE["phone"], "refused": "maybe"}).status_code == 422
    assert not Refusal.objects.exists()

    refused = _post(alice, "", {"phone": ALICE["phone"], "refused": True})
    assert refused.status_code == 200, refused.content
    assert refused.json() == [{"phone": ALICE["phone"], "refused": True}]
    assert list(Refusal.objects.values_list("phone", flat=True)) == [ALICE["phone"]]
    back = _post(alice, "", {"phone": ALICE["phone"], "refused": False})
    assert back.json() == [{"phone": ALICE["phone"], "refused": False}]
    assert not Refusal.objects.exists()


def test_r_msg_1_api_phone_without_account_chooses_with_a_code():
    anyone = Client()
    assert _post(anyone, "/phone/code", {"phone": "12"}).status_code == 422
    sent = _post(anyone, "/phone/code", {"phone": BOB["phone"]})
    assert sent.status_code == 202 and sent.json() == {"phone_tail": BOB["phone"][-4:]}
    wrong = _post(anyone, "/phone", {"phone": BOB["phone"], "code": "000000x", "refused": True})
    assert wrong.status_code == 422 and wrong.json()["code"] == "citizen.bad_code"
    assert not Refusal.objects.exists()

    code = code_in_db(BOB["phone"], PhoneCode.Purpose.MESSAGES)
    done = _post(anyone, "/phone", {"phone": BOB["phone"], "code": code, "refused": True})
    assert done.status_code == 200, done.content
    assert done.json() == {"phone_tail": BOB["phone"][-4:], "refused": True, "changed": True}
    assert Refusal.objects.filter(phone=BOB["phone"]).exists()
    # the code is used up
    again = _post(anyone, "/phone", {"phone": BOB["phone"], "code": code, "refused": False})
    assert again.status_code == 422
    assert Refusal.objects.filter(phone=BOB["phone"]).exists()
