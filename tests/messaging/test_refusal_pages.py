"""A citizen refuses (or accepts again) messages on their own pages (R-MSG-1): on 我的事务
for a phone they have claimed, and without an account from the progress page's link by
proving the phone with a one-time code; the worker respects the refusal (urgent
messages, a ticket called or a code, still go)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import services as case_services
from onewindow.messaging import worker
from onewindow.messaging.models import Message, Refusal
from onewindow.messaging.outbox import enqueue, quiet_end
from onewindow.portal.models import PhoneCode
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.portal.conftest import ALICE, BOB, CITIZEN_PASSWORD, claim, code_in_db, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def put(key: str, phone: str, template: str = "case_ready") -> Message:
    params = {"number": "LX2026030200001", "center": "临夏县政务服务中心"}
    if template == "ticket_called":
        params = {"code": "A001", "window": "3"}
    with transaction.atomic():
        return enqueue(key=key, template=template, params=params, phone=phone)


def test_r_msg_1_a_citizen_refuses_and_accepts_messages_on_my_affairs(db, client, gateway):
    account = register(ALICE)
    claim(account, ALICE["phone"])
    waiting = put("before", ALICE["phone"])  # written before the refusal, not sent yet
    assert waiting.state == "pending"
    client.post("/my/login/", {"phone": ALICE["phone"], "password": CITIZEN_PASSWORD})
    page = client.get(reverse("portal:my_affairs")).content.decode()
    assert "短信通知" in page and "接收中" in page
    answer = client.post(
        reverse("portal:my_message_choice"), {"phone": ALICE["phone"], "refused": "1"}
    )
    assert answer.status_code == 302
    assert Refusal.objects.get(phone=ALICE["phone"]).source == "toggle"
    assert "已退订" in client.get(reverse("portal:my_affairs")).content.decode()
    # the worker respects it: the waiting message is kept as refused; an urgent one goes
    assert put("after", ALICE["phone"]).state == "refused"
    put("called", ALICE["phone"], template="ticket_called")
    done = worker.run_once(worker="w", now=quiet_end(timezone.now()))
    assert done.counts == {"refused": 1, "sent": 2}  # the claim's code, the call
    sms = sorted(r["body"]["TemplateCode"] for r in gateway.sent("sms"))
    assert sms == ["citizen_code", "ticket_called"]
    assert Message.objects.get(key="before").state == "refused"
    # a phone the account has not proved: refused with a message, nothing changed
    answer = client.post(
        reverse("portal:my_message_choice"), {"phone": BOB["phone"], "refused": "1"}
    )
    assert answer.status_code == 302
    assert not Refusal.objects.filter(phone=BOB["phone"]).exists()
    # accepted again
    client.post(reverse("portal:my_message_choice"), {"phone": ALICE["phone"], "refused": "0"})
    assert not Refusal.objects.filter(phone=ALICE["phone"]).exists()
    assert put("again", ALICE["phone"]).state == "pending"


def test_r_msg_1_the_progress_page_refuses_messages_by_proving_the_phone(desk, client, gateway):  # noqa: F811
    case = case_services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    phone = desk.applicant.phone
    page = client.get(reverse("portal:progress_token", args=[case.token])).content.decode()
    url = reverse("portal:message_choice")
    assert url in page
    sent = client.post(url, {"step": "send", "phone": phone})
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    code = code_in_db(phone, PhoneCode.Purpose.MESSAGES)
    assert Message.objects.filter(template="citizen_code", phone=phone).exists()
    # a wrong code changes nothing and says why
    wrong = client.post(
        url, {"step": "choose", "phone": phone, "code": "000000"[:6], "refused": "1"}
    )
    if code != "000000":
        assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
        assert not Refusal.objects.filter(phone=phone).exists()
    done = client.post(url, {"step": "choose", "phone": phone, "code": code, "refused": "1"})
    assert done.status_code == 302
    assert Refusal.objects.filter(phone=phone).exists()
    # the case's next message is not sent
    case_services.case_accept(actor=desk.clerk, case=case)
    accepted = Message.objects.get(key=f"case:{case.pk}:accepted")
    assert accepted.state == "refused"
    worker.run_once(worker="w", now=quiet_end(timezone.now()))
    sms = [r["body"]["TemplateCode"] for r in gateway.sent("sms")]
    assert "case_accepted" not in sms and "citizen_code" in sms
    # a bad phone: a clear message, a 400
    bad = client.post(url, {"step": "send", "phone": "12345"})
    assert bad.status_code == 400 and "11位手机号" in bad.content.decode()
