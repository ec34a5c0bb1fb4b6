"""The outbox (R-MSG-1): idempotent rows, the worker through the fake gateway, retries
with a doubling backoff, parking and sending again, refusal, quiet hours, SMS parts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.messaging import services, texts, worker
from onewindow.messaging.gateways import signing
from onewindow.messaging.models import Attempt, Message
from onewindow.messaging.outbox import NotInTransaction, enqueue, quiet_end
from tests.messaging.conftest import SECRET, control, local

DAY = local(2026, 3, 2, 10, 0)  # a Monday morning
PHONE = "13909301234"


def put(key="k1", template="case_ready", phone=PHONE, now=DAY, **kw):
    params = kw.pop("params", {"number": "LX2026030200001", "center": "临夏县政务服务中心"})
    with transaction.atomic():
        return enqueue(key=key, template=template, params=params, phone=phone, now=now, **kw)


@pytest.mark.django_db(transaction=True)
def test_r_msg_1_outbox_refuses_a_write_outside_the_event_transaction():
    with pytest.raises(NotInTransaction):
        enqueue(key="x", template="case_ready", params={"number": "1", "center": "c"}, phone=PHONE)
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_r_msg_1_one_key_is_one_message():
    first = put()
    again = put()
    assert first.pk == again.pk
    assert Message.objects.count() == 1
    assert first.body == "您的办件LX2026030200001已办结，请到临夏县政务服务中心统一出件窗口领取。"
    assert (first.channel, first.state, first.next_at) == ("sms", "pending", DAY)


@pytest.mark.django_db
def test_r_msg_1_worker_sends_a_signed_sms_once_and_records_the_attempt(gateway):
    message = put()
    done = worker.run_once(worker="w1", now=DAY)
    assert done.counts == {"sent": 1}
    assert worker.run_once(worker="w1", now=DAY + timedelta(hours=1)).counts == {}
    (got,) = gateway.sent("sms")
    body = got["body"]
    assert got["ok"] is True
    assert signing.verify(body, SECRET)
    assert (body["PhoneNumbers"], body["SignName"], body["TemplateCode"]) == (
        PHONE,
        "临夏政务",
        "case_ready",
    )
    assert json.loads(body["TemplateParam"]) == {
        "center": "临夏县政务服务中心",
        "number": "LX2026030200001",
    }
    assert body["OutId"] == message.key
    message.refresh_from_db()
    assert (message.state, message.attempts, message.sent_at) == ("sent", 1, DAY)
    (attempt,) = Attempt.objects.filter(message=message)
    assert (attempt.number, attempt.worker, attempt.ok) == (1, "w1", True)
    assert attempt.answer == message.receipt != ""


@pytest.mark.django_db
def test_r_msg_1_a_failing_gateway_is_retried_with_backoff_then_the_message_is_parked(
    gateway, client, net
):
    message = put(center=net.linxia_center)
    control(gateway, fail=-1)
    at, waits = DAY, []
    for _ in range(5):
        outcome = worker.run_once(worker="w1", now=at)
        message.refresh_from_db()
        if message.state == Message.State.PENDING:
            assert outcome.counts == {"failed": 1}
            # not due before its backoff has passed
            assert (
                worker.run_once(worker="w1", now=message.next_at - timedelta(seconds=1)).counts
                == {}
            )
            waits.append((message.next_at - at).total_seconds())
            at = message.next_at
    assert waits == [30, 60, 120, 240]
    assert (message.state, message.attempts, message.failures) == ("parked", 5, 5)
    assert message.last_error == "HTTP 500"
    assert list(Attempt.objects.filter(message=message).values_list("number", "ok")) == [
        (n, False) for n in range(1, 6)
    ]
    assert len(gateway.sent("sms")) == 5
    assert worker.run_once(worker="w1", now=at + timedelta(days=1)).counts == {}

    # the center's administrator sees it from the workspace and sends it again
    client.force_login(net.county_admin)
    assert reverse("messaging:parked") in client.get(reverse("workspace")).content.decode()
    page = client.get(reverse("messaging:parked")).content.decode()
    assert message.body in page and "HTTP 500" in page
    client.force_login(net.kangle_admin)  # another county's administrator: not theirs
    assert message.body not in client.get(reverse("messaging:parked")).content.decode()
    client.post(reverse("messaging:retry", args=[message.pk]))
    message.refresh_from_db()
    assert message.state == "parked"
    client.force_login(net.county_admin)
    client.post(reverse("messaging:retry", args=[message.pk]))
    message.refresh_from_db()
    assert (message.state, message.failures) == ("pending", 0)
    control(gateway, fail=0)
    # sent again at once (or when the quiet hours end, should this run at night)
    assert worker.run_once(worker="w1", now=quiet_end(timezone.now())).counts == {"sent": 1}
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("sent", 6)


@pytest.mark.django_db
def test_r_msg_1_a_worker_that_dies_mid_send_leaves_the_message_to_the_next_once(gateway):
    message = put()
    assert worker.claim(worker="dead", now=DAY) == [message.pk]
    # claimed and never sent: nobody else takes it while the lease holds
    assert worker.claim(worker="w2", now=DAY + timedelta(seconds=30)) == []
    later = DAY + timedelta(seconds=61)
    assert worker.run_once(worker="w2", now=later).counts == {"sent": 1}
    # the dead worker coming back does not send it again
    assert worker.deliver(message.pk, worker="dead", now=later) == "skipped"
    assert len(gateway.sent("sms")) == 1
    assert Attempt.objects.filter(message=message).count() == 1


@pytest.mark.django_db
def test_r_msg_1_refusal_by_toggle_keeps_non_urgent_messages_and_sends_urgent_ones(gateway, root):
    pending = put(key="before")
    assert services.refusal_set(actor=root, phone=PHONE, refused=True) is True
    refused = put(key="after")
    urgent = put(key="call", template="ticket_called", params={"code": "A003", "window": "2"})
    assert refused.state == "refused"
    assert worker.run_once(worker="w1", now=DAY).counts == {"refused": 1, "sent": 1}
    pending.refresh_from_db()
    assert pending.state == "refused"
    assert [r["body"]["OutId"] for r in gateway.sent("sms")] == [urgent.key]
    assert services.refusal_set(actor=root, phone=PHONE, refused=False) is True
    assert put(key="again").state == "pending"


@pytest.mark.django_db
def test_r_msg_1_quiet_hours_defer_non_urgent_messages_without_dropping_them(gateway):
    night = local(2026, 3, 2, 23, 10)
    late = put(key="late", now=night)
    urgent = put(
        key="call", template="ticket_called", params={"code": "A003", "window": "2"}, now=night
    )
    morning = local(2026, 3, 3, 8, 0)
    assert (late.next_at, urgent.next_at) == (morning, night)
    assert quiet_end(local(2026, 3, 3, 7, 59)) == morning
    assert quiet_end(local(2026, 3, 3, 21, 59)) == local(2026, 3, 3, 21, 59)
    assert worker.run_once(worker="w1", now=night).counts == {"sent": 1}
    # a message due in the evening but still unsent at 22:30 waits for the morning
    evening = put(key="evening", now=local(2026, 3, 2, 21, 0))
    assert worker.run_once(worker="w1", now=local(2026, 3, 2, 22, 30)).counts == {"deferred": 1}
    evening.refresh_from_db()
    assert (evening.state, evening.next_at, evening.attempts) == ("pending", morning, 0)
    assert worker.run_once(worker="w1", now=morning).counts == {"sent": 2}
    assert Message.objects.filter(state="sent").count() == 3


def test_r_msg_1_sms_parts_are_counted_by_70_then_67_characters():
    sign = "临夏政务"  # 【临夏政务】: 6 characters
    assert texts.sms_parts("好" * 64, sign) == 1  # 70
    assert texts.sms_parts("好" * 65, sign) == 2  # 71
    assert texts.sms_parts("好" * 128, sign) == 2  # 134 = 2 × 67
    assert texts.sms_parts("好" * 129, sign) == 3  # 135
    assert texts.sms_parts("好" * 70) == 1


@pytest.mark.django_db
def test_r_msg_1_every_template_is_chinese_and_a_long_one_is_counted_in_parts():
    for template in texts.TEMPLATES.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in template.text), template.code
    long = put(
        key="long",
        template="case_correction",
        params={
            "number": "LX2026030200001",
            "items": "、".join(["经营场所使用证明"] * 5),
            "due": "2026年03月09日",
        },
    )
    assert len(long.body) + 6 > 70
    assert long.parts == texts.sms_parts(long.body, "临夏政务") == 2


@pytest.mark.django_db
def test_r_msg_1_a_bound_openid_gets_a_wechat_template_message(gateway, root):
    services.wechat_bind(actor=root, phone=PHONE, openid="oWx-123")
    message = put()
    assert (message.channel, message.openid) == ("wechat", "oWx-123")
    assert worker.run_once(worker="w1", now=DAY).counts == {"sent": 1}
    (got,) = gateway.sent("wechat")
    assert got["body"]["touser"] == "oWx-123"
    assert got["body"]["template_id"] == "case_ready"
    assert got["body"]["data"]["first"]["value"] == message.body
    assert gateway.sent("sms") == []
