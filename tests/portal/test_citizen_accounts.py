"""R-CIT-1: one optional real-name account; 我的事务 lists what the person did, claimed by
proving the phone with a one-time code; throttled sign-in; staff pages refuse citizens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from onewindow.cases import states as case_states
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.ratelimit import RateLimited
from onewindow.hall import appointments as appt
from onewindow.hall import services as hall_services
from onewindow.hall.models import Appointment, AppointmentSlot, ServiceCategory
from onewindow.portal.citizens import selectors, services
from onewindow.portal.models import CitizenAccount, ClaimedPhone, PhoneCode
from tests.portal.conftest import (
    ALICE,
    BOB,
    CITIZEN_PASSWORD,
    a_case,
    claim,
    code_in_db,
    register,
)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, person: dict):
    response = client.post("/my/login/", {"phone": person["phone"], "password": CITIZEN_PASSWORD})
    assert response.status_code == 302
    return response


def test_r_cit_1_identity_number_check_digit_refused_with_a_chinese_message(db, client):
    bad = {**ALICE, "id_number": ALICE["id_number"][:17] + "1"}  # right one ends in 9
    with pytest.raises(InvalidInput) as caught:
        register(bad)
    assert caught.value.code == "id_number.check_digit"
    assert "校验位不正确" in caught.value.fields["id_number"]
    response = client.post("/my/register/", {**bad, "password": CITIZEN_PASSWORD})
    assert response.status_code == 400
    assert "身份证号码校验位不正确" in response.content.decode()
    assert CitizenAccount.objects.count() == 0


def test_r_cit_1_identity_number_is_held_encrypted_and_password_follows_staff_rules(db):
    with pytest.raises(InvalidInput) as caught:
        services.citizen_register(password="12345678", **ALICE)  # all digits, too common
    assert caught.value.code == "citizen.weak_password" and "password" in caught.value.fields
    account = register(ALICE)
    row = CitizenAccount.objects.filter(pk=account.pk).values().get()
    assert ALICE["id_number"] not in str(row)
    assert row["id_number_masked"] == "622921********0029"
    assert account.decrypted_id_number() == ALICE["id_number"]
    assert CITIZEN_PASSWORD not in row["password"]
    with pytest.raises(InvalidInput):  # one account per identity number
        register({**ALICE, "phone": "13800009999"})


def test_r_cit_1_sign_in_is_throttled_per_phone(db, client, settings):
    settings.ONEWINDOW_CITIZEN_LIMITS = {"login": (3, 900)}
    register(ALICE)
    for _ in range(3):
        with pytest.raises(InvalidInput):
            services.citizen_login(phone=ALICE["phone"], password="wrong-password", client="a")
    with pytest.raises(RateLimited) as caught:  # the right password too, until the window ends
        services.citizen_login(phone=ALICE["phone"], password=CITIZEN_PASSWORD, client="b")
    assert "登录失败次数过多" in caught.value.message
    response = client.post("/my/login/", {"phone": ALICE["phone"], "password": CITIZEN_PASSWORD})
    assert response.status_code == 400 and "登录失败次数过多" in response.content.decode()
    assert "citizen_account_id" not in client.session


def test_r_cit_1_claim_requires_the_code_sent_to_the_phone(desk):
    draft = a_case(desk, ALICE, submit=False)
    running = a_case(desk, {**BOB, "phone": ALICE["phone"]}, submit=True)
    alice = register(ALICE)
    assert selectors.affairs_of(alice).empty  # nothing until the phone is proved
    with pytest.raises(InvalidInput):  # no code issued yet
        services.citizen_claim_phone(account=alice, phone=ALICE["phone"], code="000000")
    services.phone_code_issue(phone=ALICE["phone"], purpose=PhoneCode.Purpose.CLAIM, account=alice)
    code = code_in_db(ALICE["phone"])
    wrong = "111111" if code != "111111" else "222222"
    with pytest.raises(InvalidInput) as caught:
        services.citizen_claim_phone(account=alice, phone=ALICE["phone"], code=wrong)
    assert caught.value.message == "验证码不正确或已过期，请重新获取。"
    assert ClaimedPhone.objects.count() == 0
    services.citizen_claim_phone(account=alice, phone=ALICE["phone"], code=code)
    affairs = selectors.affairs_of(alice)
    assert [r.pk for r in affairs.drafts] == [draft.pk]
    assert [r.pk for r in affairs.running] == [running.pk]
    running.refresh_from_db()
    assert [r.status for r in affairs.running] == [running.public_status]
    assert affairs.drafts[0].may_withdraw and not affairs.running[0].may_withdraw
    with pytest.raises(InvalidInput):  # a code is used once
        services.citizen_claim_phone(account=alice, phone=ALICE["phone"], code=code)
    bob = register(BOB)
    services.phone_code_issue(phone=ALICE["phone"], purpose=PhoneCode.Purpose.CLAIM, account=bob)
    with pytest.raises(Conflict):  # a phone's affairs belong to one account
        services.citizen_claim_phone(
            account=bob, phone=ALICE["phone"], code=code_in_db(ALICE["phone"])
        )


def test_r_cit_1_a_citizen_never_sees_another_s_affairs(desk, client):
    bobs = a_case(desk, BOB, submit=False)
    alice, bob = register(ALICE), register(BOB)
    claim(bob, BOB["phone"])
    claim(alice, ALICE["phone"])
    sign_in(client, ALICE)
    page = client.get("/my/").content.decode()
    assert "我的事务" in page and bobs.number not in page
    assert client.post(f"/my/cases/{bobs.pk}/withdraw/").status_code == 404
    bobs.refresh_from_db()
    assert bobs.state == case_states.DRAFT
    client.post("/my/logout/")
    sign_in(client, BOB)
    assert bobs.number in client.get("/my/").content.decode()
    response = client.post(f"/my/cases/{bobs.pk}/withdraw/")
    assert response.status_code == 302
    bobs.refresh_from_db()
    assert bobs.state == case_states.WITHDRAWN


def test_r_cit_1_tickets_and_bookings_claimed_and_a_booking_cancelled(desk, client):
    center = desk.linxia_center
    category = ServiceCategory.objects.create(center=center, letter="A", name="企业开办", order=1)
    ticket = hall_services.ticket_issue(center=center, category=category, phone=ALICE["phone"])
    day = dt.date.today() + dt.timedelta(days=7)
    slot = AppointmentSlot.objects.create(
        center=center, category=category, day=day, start=dt.time(9), end=dt.time(10), capacity=5
    )
    booking = appt.appointment_book(
        center=center, category=category, slot=slot, name="马阿丽", phone=ALICE["phone"]
    )
    hall_services.ticket_issue(center=center, category=category, phone=BOB["phone"])
    alice = register(ALICE)
    claim(alice, ALICE["phone"])
    affairs = selectors.affairs_of(alice)
    assert [r.title for r in affairs.tickets] == [f"{ticket.code} 号"]
    assert [(r.pk, r.may_cancel) for r in affairs.appointments] == [(booking.pk, True)]
    sign_in(client, ALICE)
    assert client.post(f"/my/appointments/{booking.pk}/cancel/").status_code == 302
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.state == Appointment.State.CANCELLED and slot.booked == 0


def test_r_cit_1_staff_pages_refuse_a_signed_in_citizen(db, client):
    register(ALICE)
    sign_in(client, ALICE)
    for path in ("/workspace/", "/complaints/inquiries/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/my/").status_code == 200


def test_r_cit_1_password_reset_by_phone_code_and_no_account_needed_elsewhere(desk, client):
    register(ALICE)
    client.post("/my/password/reset/", {"step": "send", "phone": ALICE["phone"]})
    code = code_in_db(ALICE["phone"], PhoneCode.Purpose.RESET)
    response = client.post(
        "/my/password/reset/",
        {"step": "reset", "phone": ALICE["phone"], "code": code, "password": "Xin-mima-2027"},
    )
    assert response.status_code == 302
    assert services.citizen_login(phone=ALICE["phone"], password="Xin-mima-2027").pk
    # a phone without an account gets no code, and the page says the same
    client.post("/my/password/reset/", {"step": "send", "phone": "13700000000"})
    assert not PhoneCode.objects.filter(phone="13700000000").exists()
    # the guide, booking and the progress look-up need no account
    for path in (f"/matters/{desk.matter.pk}/", "/hall/book/", "/progress/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/my/").status_code == 302


def test_r_cit_1_phone_code_goes_out_by_sms_in_the_transaction_that_issues_it(db):
    from django.db import transaction

    from onewindow.messaging.models import Message

    issued = services.phone_code_issue(phone="13912345678", purpose=PhoneCode.Purpose.CLAIM)
    message = Message.objects.get(key=f"citizen-code:{issued.pk}")
    assert message.phone == "13912345678" and issued.code in message.body
    # a code whose transaction rolls back leaves no message either
    with transaction.atomic():
        rolled = services.phone_code_issue(phone="13912345679", purpose=PhoneCode.Purpose.CLAIM)
        transaction.set_rollback(True)
    assert not Message.objects.filter(key=f"citizen-code:{rolled.pk}").exists()
    assert not PhoneCode.objects.filter(phone="13912345679").exists()
