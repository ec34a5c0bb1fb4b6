"""R-CPL-1 demo data: months of complaints from every channel in every state, with a
trend on the hot-topic page, and consultations with handovers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.complaints import selectors, states
from onewindow.complaints.models import Complaint, Inquiry, InquiryHandover
from onewindow.complaints.sweep import sweep
from onewindow.core.scope import Scope
from onewindow.demo import complaints_history as demo
from tests.demo.test_demo_cases import demo as demo_data  # noqa: F401

pytestmark = pytest.mark.django_db


def test_r_cpl_1_demo_complaints_in_every_state_from_every_channel(demo_data):  # noqa: F811
    assert Complaint.objects.count() >= 100
    assert set(Complaint.objects.values_list("state", flat=True)) >= {
        states.RECEIVED,
        states.DISPATCHED,
        states.ANSWERED,
        states.CLOSED,
    }
    assert set(Complaint.objects.values_list("source", flat=True)) == set(Complaint.Source.values)
    assert Complaint.objects.exclude(hotline_order="").exists()
    assert Complaint.objects.filter(returns=1).exists()
    assert Complaint.objects.filter(extension="approved").exists()
    assert Inquiry.objects.count() >= 8 and InquiryHandover.objects.exists()
    assert sweep(now=demo_data.started).overdue == 0  # the loader already swept
    assert demo.load() == 0  # loading twice changes nothing
    today = timezone.localdate()
    period = selectors.Period(today - dt.timedelta(days=59), today)
    hot = selectors.hot_topics(scope=Scope.all(), period=period)
    assert hot.total > 0 and hot.words
    rising = next(t for t in hot.words if t.word == "不动产登记")
    assert rising.count > rising.previous
