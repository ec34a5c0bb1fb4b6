"""The demo's messages (R-MSG-1): what its history wrote to the outbox was sent through
the fake gateway, one citizen refused by replying TD, one message to a rejected number
is parked for 临夏县's center; loading again sends nothing new."""

from __future__ import annotations

import pytest

from onewindow.demo import messaging_history
from onewindow.messaging.models import Attempt, Message, Refusal

pytestmark = pytest.mark.django_db


def test_r_msg_1_the_demo_sends_its_messages_and_parks_one(demo_opened):
    assert Message.objects.filter(state="sent").count() > 10
    assert Message.objects.filter(state="pending").count() == 0
    parked = Message.objects.get(state="parked")
    assert parked.key == "demo:rejected" and parked.center.code == "C622921"
    assert list(Attempt.objects.filter(message=parked).values_list("ok", flat=True)) == [False] * 5
    assert Refusal.objects.get(phone=messaging_history.REFUSER).source == "reply"
    assert Message.objects.get(key="demo:refused").state == "refused"
    assert set(Message.objects.values_list("template", flat=True)) >= {
        "case_received",
        "case_accepted",
        "complaint_received",
    }
    assert messaging_history.load() == 0
