"""Messages that come with time (R-MSG-1): the reminder the day before an appointment
and the warning before a correction lapses, each once however often the sweep runs."""

from __future__ import annotations

import datetime as dt
from datetime import time

import pytest
from django.utils import timezone

from onewindow.cases import services
from onewindow.hall.models import Appointment, AppointmentSlot, ServiceCategory
from onewindow.messaging.models import Message
from onewindow.messaging.sweep import sweep
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.messaging.conftest import local

pytestmark = pytest.mark.django_db


def test_r_msg_1_the_sweep_reminds_the_day_before_and_before_a_correction_lapses(desk):  # noqa: F811
    today = timezone.localdate()
    slot = AppointmentSlot.objects.create(
        center=desk.linxia_center,
        category=_category(desk),
        day=today + dt.timedelta(days=1),
        start=time(9, 30),
        end=time(10),
        capacity=5,
        booked=1,
    )
    booked = Appointment.objects.create(
        slot=slot,
        center=desk.linxia_center,
        category=slot.category,
        day=slot.day,
        name="马小明",
        phone="13909301234",
        person_key="p1",
        code="AB23CD45",
    )
    Appointment.objects.create(  # the day after tomorrow: not yet
        slot=AppointmentSlot.objects.create(
            center=desk.linxia_center,
            category=slot.category,
            day=today + dt.timedelta(days=2),
            start=time(9, 30),
            end=time(10),
            capacity=5,
            booked=1,
        ),
        center=desk.linxia_center,
        category=slot.category,
        day=today + dt.timedelta(days=2),
        name="马小红",
        phone="13909301235",
        person_key="p2",
        code="AB23CD46",
    )
    m = desk.materials
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_accept(actor=desk.clerk, case=case)
    services.case_start_review(actor=desk.approver, case=case)
    services.case_ask_correction(
        actor=desk.approver,
        case=case,
        due=today + dt.timedelta(days=2),
        items=[{"material_id": m["经营场所使用证明"].pk, "note": "证明已过期"}],
    )
    at = local(today.year, today.month, today.day, 10, 0)
    first = sweep(now=at)
    assert (first.reminders, first.lapsing) == (1, 1)
    again = sweep(now=at + dt.timedelta(hours=1))
    assert (again.reminders, again.lapsing) == (0, 0)
    reminder = Message.objects.get(key=f"appointment:{booked.pk}:reminder")
    assert reminder.body == (
        f"您预约了{slot.day:%Y年%m月%d日} 09:30在临夏县政务服务中心办理{slot.category.name}，"
        "预约码AB23CD45，请按时到场签到。"
    )
    lapsing = Message.objects.get(template="case_withdraw_soon")
    assert lapsing.phone == "13909301234" and case.number in lapsing.body


def _category(desk):
    return ServiceCategory.objects.create(center=desk.linxia_center, letter="A", name="企业开办")
