"""The demo's provincial exchange (R-MSG-3): its cases' steps and its reviews are pushed
and acknowledged by the fake province; the records older than two weeks are shown as not pushed; loading again does
nothing."""

from __future__ import annotations

import pytest

from onewindow.core.scope import Scope
from onewindow.demo import exchange_history
from onewindow.messaging import selectors_exchange
from onewindow.messaging.models import Message

pytestmark = pytest.mark.django_db


def test_r_msg_3_the_demo_pushes_its_cases_and_reviews_and_the_province_acknowledges(
    demo_opened,
):
    pushes = Message.objects.filter(channel="province")
    assert pushes.filter(record_type="case").count() > 10
    assert pushes.filter(record_type="review").count() > 10
    assert not pushes.exclude(state="sent").exists()
    assert all(pushes.values_list("receipt", flat=True))
    case, review, total = selectors_exchange.reconciliation(scope=Scope.all())
    assert total.acknowledged == pushes.count()
    assert total.unpushed > 0  # the history's records older than two weeks
    assert case.acknowledged and review.acknowledged
    assert exchange_history.load() == 0
