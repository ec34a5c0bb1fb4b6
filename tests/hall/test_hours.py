"""R-HALL-2, R-HALL-6: one opening schedule per center, read by ticket issue on every
channel, by the appointment slots and by the public pages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.catalog.models import Listing
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.models import AuditEvent
from onewindow.hall import appointments as appt
from onewindow.hall import hours, services
from onewindow.hall.models import AppointmentSlot, HallSchedule, Ticket
from onewindow.portal.views.hall import terminal as terminal_views
from tests.hall.conftest import enroll_terminal, set_posted_hours


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


THURSDAY = date(2026, 12, 3)
SATURDAY = date(2026, 12, 5)


@pytest.fixture
def open_hours(hall, settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = True
    cache.clear()
    set_posted_hours(hall, saturday_categories=[hall.cat_a])
    yield hall
    cache.clear()


def test_r_hall_2_a_ticket_at_lunch_in_december_is_refused_naming_the_next_opening(
    open_hours, monkeypatch
):
    hall = open_hours
    with pytest.raises(Conflict) as exc:
        services.ticket_issue(
            center=hall.linxia_center, category=hall.cat_a, now=at(THURSDAY, 12, 30)
        )
    assert exc.value.code == "ticket.closed"
    assert (
        "现在不是办公时间" in exc.value.message and "下次开始取号：今天14:00" in exc.value.message
    )
    assert "14:00-17:00（冬季" in exc.value.message
    ticket = services.ticket_issue(
        center=hall.linxia_center, category=hall.cat_a, now=at(THURSDAY, 9, 5)
    )
    assert ticket.code == "A001"
    # the terminal refuses at lunch with the same words
    monkeypatch.setattr(terminal_views, "clock", lambda: at(THURSDAY, 12, 30))
    kiosk = Client()
    enroll_terminal(kiosk, hall.linxia_center)
    response = kiosk.post(
        reverse("portal:terminal_take", args=[hall.linxia_center.pk, hall.cat_b.pk]), {}
    )
    assert response.status_code == 409 and "下次开始取号" in response.content.decode()
    # and so does the portal (网上取号)
    monkeypatch.setattr(timezone, "now", lambda: at(THURSDAY, 17, 10))
    response = Client().post(
        reverse("portal:queue"),
        {"center": hall.linxia_center.pk, "category": hall.cat_b.pk, "phone": "13800000009"},
    )
    html = response.content.decode()
    assert response.status_code == 409 and "下次开始取号：明天9:00" in html
    assert Ticket.objects.count() == 1


def test_r_hall_2_saturday_extended_service_issues_for_its_categories_only(open_hours):
    hall = open_hours
    ticket = services.ticket_issue(
        center=hall.linxia_center, category=hall.cat_a, now=at(SATURDAY, 10)
    )
    assert ticket.code == "A001"
    with pytest.raises(Conflict) as exc:
        services.ticket_issue(center=hall.linxia_center, category=hall.cat_b, now=at(SATURDAY, 10))
    assert "社保医保暂不取号" in exc.value.message and "12月7日（星期一）9:00" in exc.value.message
    with pytest.raises(Conflict):  # the National Day holiday is closed, Saturday or not
        services.ticket_issue(
            center=hall.linxia_center, category=hall.cat_a, now=at(date(2026, 10, 3), 10)
        )


def test_r_hall_6_december_slots_follow_winter_hours_and_a_holiday_has_none(open_hours):
    hall = open_hours
    made = appt.slots_create_from_template(
        actor=hall.county_admin,
        center=hall.linxia_center,
        category=hall.cat_b,
        day=date(2026, 12, 1),
        template="all",
        capacity=3,
    )
    starts = [s.start for s in made]
    assert min(starts) == time(9) and not [t for t in starts if time(12) <= t < time(14)]
    assert max(s.end for s in made) == time(17)
    holiday = appt.slots_create_from_template(
        actor=hall.county_admin,
        center=hall.linxia_center,
        category=hall.cat_b,
        day=date(2026, 10, 1),
        template="all",
        capacity=3,
    )
    assert holiday == []


def test_r_hall_6_saturday_slots_are_offered_for_booking(open_hours):
    hall = open_hours
    today = timezone.localdate()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    admin = Client()
    admin.force_login(hall.county_admin)
    response = admin.post(
        reverse("hall:appointments_staff", args=[hall.linxia_center.pk]),
        {
            "action": "template",
            "day": saturday.isoformat(),
            "t-category": hall.cat_a.pk,
            "t-template": "all",
            "t-capacity": 3,
            "t-duty_staff": [hall.clerk.pk],
        },
    )
    assert response.status_code == 302
    slots = AppointmentSlot.objects.filter(day=saturday, category=hall.cat_a)
    if hours.day_kind(hall.linxia_center, saturday).holiday:
        assert not slots.exists()
        return
    assert slots.count() == 6 and all(s.extended for s in slots)
    page = Client().get(
        reverse("portal:book"), {"center": hall.linxia_center.pk, "category": hall.cat_a.pk}
    )
    assert saturday.isoformat() in page.content.decode()


def test_r_hall_2_the_center_hours_on_public_pages_come_from_the_schedule(open_hours, cat):
    hall = open_hours
    winter = "周一至周五 9:00-12:00，14:00-17:00（冬季，10月1日至次年4月30日）"
    home = Client().get(reverse("home")).content.decode()
    assert winter in home
    Listing.objects.create(
        matter=hall.matter,
        center=hall.linxia_center,
        department=hall.linxia_market,
        code="622921-TEST-0001",
        status=Listing.Status.ACTIVE,
    )
    guide = Client().get(
        reverse("portal:matter_detail", args=[hall.matter.pk]),
        {"center": hall.linxia_center.pk},
    )
    assert winter in guide.content.decode()
    staff = Client()
    staff.force_login(hall.county_admin)
    page = staff.get(reverse("org:center_detail", args=[hall.linxia_center.pk]))
    assert winter in page.content.decode()
    booking = Client().get(reverse("portal:book"), {"center": hall.linxia_center.pk})
    assert "周六 9:00-12:00 错时延时服务（企业开办）" in booking.content.decode()


def test_r_hall_2_schedule_changes_are_checked_and_audited(hall):
    with pytest.raises(InvalidInput) as exc:
        hours.hall_schedule_set(
            actor=hall.county_admin,
            center=hall.linxia_center,
            periods=[
                hours.PeriodInput(time(9), time(12), frozenset(range(5))),
                hours.PeriodInput(time(11), time(13), frozenset({0})),
            ],
        )
    assert "重叠" in exc.value.message and not HallSchedule.objects.exists()
    with pytest.raises(InvalidInput):
        hours.hall_schedule_set(
            actor=hall.county_admin,
            center=hall.linxia_center,
            periods=[hours.PeriodInput(time(9), time(12), frozenset({5}))],
        )
    set_posted_hours(hall)
    event = AuditEvent.objects.get(action="hall_schedule.set")
    assert event.before is None and "法定节假日休息" in event.after["hours"]
