"""R-HALL-6: appointments by slot with capacity, extended hours with duty rosters,
check-in into the queue, no-shows and suspension, rate limits, and door-to-door visits."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.idnumber import make as make_id
from onewindow.core.models import AuditEvent
from onewindow.hall import appointments as appt
from onewindow.hall import services
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    BookingSuspension,
    HomeVisit,
    ServiceCategory,
    Ticket,
)
from tests.hall.conftest import set_posted_hours
from tests.hall.test_concurrency import run_threads

DAY = date(2026, 12, 1)  # a Tuesday
ID_NUMBER = make_id("62292119900101123")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


BEFORE = at(DAY - timedelta(days=1), 10)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def make_slot(
    net, *, day=DAY, start=time(10), end=time(10, 30), capacity=5, category=None
) -> AppointmentSlot:
    category = category or net.cat_a
    return AppointmentSlot.objects.create(
        center=category.center, category=category, day=day, start=start, end=end, capacity=capacity
    )


def book(net, slot, *, phone="13800000001", now=BEFORE, **kw) -> Appointment:
    return appt.appointment_book(
        center=slot.center,
        category=slot.category,
        slot=slot,
        name="马建国",
        phone=phone,
        now=now,
        **kw,
    )


def actions(target) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- capacity and one booking per person, also in parallel ---------------------------------------


@pytest.mark.django_db(transaction=True)
def test_r_hall_6_capacity_is_never_exceeded_under_parallel_booking(hall):
    slot = make_slot(hall, capacity=5)
    barrier = threading.Barrier(12)
    outcomes: list[str] = []
    lock = threading.Lock()

    def booker(i):
        barrier.wait()
        try:
            book(hall, slot, phone=f"1390000{i:04d}")
            result = "ok"
        except Conflict as exc:
            result = exc.code
        with lock:
            outcomes.append(result)

    run_threads([lambda i=i: booker(i) for i in range(12)])
    assert sorted(outcomes) == ["appointment.full"] * 7 + ["ok"] * 5
    slot.refresh_from_db()
    assert slot.booked == 5
    assert Appointment.objects.filter(slot=slot, state="booked").count() == 5
    assert AuditEvent.objects.filter(action="appointment.book").count() == 5


@pytest.mark.django_db(transaction=True)
def test_r_hall_6_one_booking_per_person_per_category_per_day_also_in_parallel(hall, settings):
    settings.ONEWINDOW_BOOKING_RATE_LIMITS = {
        "phone": (100, 3600)
    }  # the rate limit has its own tests
    slots = [make_slot(hall, start=time(9 + i), end=time(9 + i, 30), capacity=5) for i in range(6)]
    barrier = threading.Barrier(6)
    outcomes: list[str] = []
    lock = threading.Lock()

    def booker(slot):
        barrier.wait()
        try:
            book(hall, slot, phone="13912345678")
            result = "ok"
        except Conflict as exc:
            result = exc.code
        with lock:
            outcomes.append(result)

    run_threads([lambda s=s: booker(s) for s in slots])
    assert sorted(outcomes) == ["appointment.duplicate"] * 5 + ["ok"]
    assert (
        Appointment.objects.filter(person_key=appt.person_key_for(phone="13912345678")).count() == 1
    )
    assert (
        sum(
            AppointmentSlot.objects.filter(pk__in=[s.pk for s in slots]).values_list(
                "booked", flat=True
            )
        )
        == 1
    )


def test_r_hall_6_one_booking_per_person_by_identity_number_and_another_category_is_fine(hall):
    slot_a, slot_b = make_slot(hall), make_slot(hall, category=hall.cat_b)
    first = book(hall, slot_a, phone="13800000001", id_number=ID_NUMBER)
    assert len(first.code) == 8 and not set(first.code) & set("ILO01")
    assert first.id_number_masked.startswith("622921") and "*" in first.id_number_masked
    with pytest.raises(Conflict) as exc:  # the same person with another phone
        book(
            hall,
            make_slot(hall, start=time(11), end=time(11, 30)),
            phone="13800000002",
            id_number=ID_NUMBER,
        )
    assert exc.value.code == "appointment.duplicate" and "每人每天只能预约一次" in exc.value.message
    book(hall, slot_b, phone="13800000001", id_number=ID_NUMBER)  # another category the same day
    book(
        hall, make_slot(hall, day=DAY + timedelta(days=1)), phone="13800000001", id_number=ID_NUMBER
    )


# --- cancel, check-in, the queue -----------------------------------------------------------------


def test_r_hall_6_cancel_frees_capacity(hall):
    slot = make_slot(hall, capacity=1)
    first = book(hall, slot, phone="13800000001", id_number=ID_NUMBER)
    with pytest.raises(Conflict) as exc:
        book(hall, slot, phone="13800000002")
    assert exc.value.code == "appointment.full"
    with pytest.raises(NotFound):  # the wrong phone: nothing changes
        appt.appointment_cancel(code=first.code, phone_or_id="13800000009", now=BEFORE)
    slot.refresh_from_db()
    assert slot.booked == 1
    cancelled = appt.appointment_cancel(code=first.code.lower(), phone_or_id=ID_NUMBER, now=BEFORE)
    assert cancelled.state == "cancelled"
    slot.refresh_from_db()
    assert slot.booked == 0
    assert actions(first) == ["appointment.book", "appointment.cancel"]
    with pytest.raises(Conflict):
        appt.appointment_cancel(code=first.code, phone_or_id="13800000001", now=BEFORE)
    book(hall, slot, phone="13800000002")
    slot.refresh_from_db()
    assert slot.booked == 1
    book(
        hall,
        slot.__class__.objects.create(
            center=slot.center,
            category=slot.category,
            day=DAY,
            start=time(15),
            end=time(15, 30),
            capacity=2,
        ),
        phone="13800000001",
        id_number=ID_NUMBER,
    )  # the cancelled person may book again


def test_r_hall_6_check_in_creates_a_ticket_with_appointment_at_and_is_idempotent(hall):
    slot = make_slot(hall, start=time(10), end=time(10, 30))
    booking = book(hall, slot)
    with pytest.raises(Conflict) as exc:
        appt.appointment_check_in(code=booking.code, now=at(DAY, 8, 59))
    assert exc.value.code == "appointment.checkin_early" and "09:00" in exc.value.message
    ticket = appt.appointment_check_in(code=booking.code, now=at(DAY, 9, 30))
    assert ticket.channel == Ticket.Channel.APPOINTMENT
    assert ticket.appointment_id == booking.pk
    assert ticket.appointment_at == at(DAY, 10)
    assert ticket.code == "A001" and ticket.day == DAY
    again = appt.appointment_check_in(code=booking.code, now=at(DAY, 9, 35))
    assert again.pk == ticket.pk and Ticket.objects.count() == 1
    booking.refresh_from_db()
    assert booking.state == "checked_in"
    assert actions(booking) == ["appointment.book", "appointment.check_in"]
    late = book(hall, make_slot(hall, start=time(11), end=time(11, 30), category=hall.cat_b))
    with pytest.raises(Conflict) as exc:
        appt.appointment_check_in(code=late.code, now=at(DAY, 11, 31))
    assert exc.value.code == "appointment.checkin_late"
    with pytest.raises(NotFound):
        appt.appointment_check_in(code="ZZZZZZZZ", now=at(DAY, 9, 30))


def test_r_hall_6_checked_in_appointment_is_called_before_walk_ins_of_its_category_once_due(hall):
    slot = make_slot(hall, start=time(10), end=time(10, 30))
    booking = book(hall, slot)
    first_walk_in = services.ticket_issue(
        center=hall.linxia_center, category=hall.cat_a, now=at(DAY, 9, 20)
    )
    booked_ticket = appt.appointment_check_in(code=booking.code, now=at(DAY, 9, 30))
    second_walk_in = services.ticket_issue(
        center=hall.linxia_center, category=hall.cat_a, now=at(DAY, 9, 45)
    )
    # not yet due: arrival order
    called = services.ticket_call_next(actor=hall.clerk2, window=hall.w2, now=at(DAY, 9, 40))
    assert called.pk == first_walk_in.pk
    services.ticket_finish(actor=hall.clerk2, window=hall.w2, ticket=called, now=at(DAY, 9, 50))
    # due: before the walk-in who came earlier
    called = services.ticket_call_next(actor=hall.clerk2, window=hall.w2, now=at(DAY, 9, 58))
    assert called.pk == booked_ticket.pk
    services.ticket_finish(actor=hall.clerk2, window=hall.w2, ticket=called, now=at(DAY, 10, 5))
    assert (
        services.ticket_call_next(actor=hall.clerk2, window=hall.w2, now=at(DAY, 10, 6)).pk
        == second_walk_in.pk
    )


# --- no-shows and suspension ---------------------------------------------------------------------


def test_r_hall_6_three_no_shows_in_30_days_suspend_online_booking_with_the_reason_and_end_date(
    hall,
):
    days = [DAY, DAY + timedelta(days=7), DAY + timedelta(days=14)]
    for n, day in enumerate(days):
        booking = book(hall, make_slot(hall, day=day), phone="13800000001", now=at(day, 8))
        assert (
            appt.appointments_mark_no_shows(day=day, now=at(day, 10, 29)).marked == []
        )  # not over yet
        result = appt.appointments_mark_no_shows(day=day, now=at(day, 18))
        assert [a.pk for a in result.marked] == [booking.pk]
        assert len(result.suspensions) == (1 if n == 2 else 0)
    suspension = BookingSuspension.objects.get()
    assert suspension.until == days[-1] + timedelta(days=30)
    assert suspension.reason == "30天内3次预约后未到场（12月1日、12月8日、12月15日）"
    # running again changes nothing
    again = appt.appointments_mark_no_shows(day=days[-1], now=at(days[-1], 19))
    assert again.marked == [] and again.suspensions == []
    assert BookingSuspension.objects.count() == 1
    assert AuditEvent.objects.filter(action="appointment.no_show").count() == 3
    assert AuditEvent.objects.filter(action="appointment.suspend").count() == 1
    later = days[-1] + timedelta(days=5)
    with pytest.raises(Conflict) as exc:
        book(hall, make_slot(hall, day=later), phone="13800000001", now=at(later, 8))
    assert exc.value.code == "appointment.suspended"
    assert "2027年1月14日" in exc.value.message and "3次预约后未到场" in exc.value.message
    assert "现场取号" in exc.value.message
    # the same person giving an identity number is still the phone's person
    with pytest.raises(Conflict):
        book(
            hall,
            make_slot(hall, day=later, category=hall.cat_b),
            phone="13800000001",
            id_number=ID_NUMBER,
            now=at(later, 8),
        )
    # after the suspension ends, booking works again
    cache.clear()  # (the rate limit counts in real time)
    after = suspension.until + timedelta(days=1)
    book(hall, make_slot(hall, day=after), phone="13800000001", now=at(after, 8))


def test_r_hall_6_two_no_shows_and_a_check_in_suspend_nobody(hall):
    for n, day in enumerate([DAY, DAY + timedelta(days=1), DAY + timedelta(days=2)]):
        booking = book(hall, make_slot(hall, day=day), phone="13800000001", now=at(day, 8))
        if n == 1:
            appt.appointment_check_in(code=booking.code, now=at(day, 9, 30))
        appt.appointments_mark_no_shows(day=day, now=at(day, 18))
    assert not BookingSuspension.objects.exists()
    assert Appointment.objects.filter(state="no_show").count() == 2


def test_r_hall_6_mark_no_shows_command(hall):
    yesterday = timezone.localdate() - timedelta(days=1)
    booking = book(hall, make_slot(hall, day=yesterday), now=at(yesterday, 8))
    call_command("mark_no_shows", yesterday.isoformat())
    booking.refresh_from_db()
    assert booking.state == "no_show"
    call_command("mark_no_shows")  # today, nothing to do; safe to run any time


# --- slots, templates, duty rosters --------------------------------------------------------------


def test_r_hall_6_extended_hours_slots_need_a_duty_roster_of_the_centers_staff(hall):
    admin = hall.county_admin
    with pytest.raises(InvalidInput) as exc:
        appt.slots_create(
            actor=admin,
            center=hall.linxia_center,
            category=hall.cat_a,
            day=DAY,
            start=time(12),
            end=time(12, 30),
            capacity=3,
            extended=True,
        )
    assert exc.value.code == "slot.duty_roster" and "值班人员" in exc.value.message
    with pytest.raises(InvalidInput) as exc:  # evening: outside opening hours is extended by itself
        appt.slots_create(
            actor=admin,
            center=hall.linxia_center,
            category=hall.cat_a,
            day=DAY,
            start=time(18),
            end=time(18, 30),
            capacity=3,
        )
    assert exc.value.code == "slot.duty_roster"
    with pytest.raises(InvalidInput) as exc:  # a township clerk is not staff of this center
        appt.slots_create(
            actor=admin,
            center=hall.linxia_center,
            category=hall.cat_a,
            day=DAY,
            start=time(18),
            end=time(18, 30),
            capacity=3,
            duty_staff=[hall.township_clerk],
        )
    assert exc.value.code == "slot.duty_staff"
    slot = appt.slots_create(
        actor=admin,
        center=hall.linxia_center,
        category=hall.cat_a,
        day=DAY,
        start=time(18),
        end=time(18, 30),
        capacity=3,
        duty_staff=[hall.clerk],
    )
    assert slot.extended and list(slot.duty_staff.all()) == [hall.clerk]
    assert actions(slot) == ["appointment_slot.create"]
    saturday = date(2026, 12, 5)
    set_posted_hours(hall)
    with pytest.raises(InvalidInput):
        appt.slots_create_from_template(
            actor=admin,
            center=hall.linxia_center,
            category=hall.cat_a,
            day=saturday,
            template="extended",
            capacity=4,
        )
    made = appt.slots_create_from_template(
        actor=admin,
        center=hall.linxia_center,
        category=hall.cat_a,
        day=saturday,
        template="extended",
        capacity=4,
        duty_staff=[hall.clerk2],
    )
    assert len(made) == 6 and all(s.extended for s in made)
    with pytest.raises(InvalidInput):  # the roster cannot be emptied
        appt.slot_update(actor=admin, slot=made[0], capacity=4, duty_staff=[])


def test_r_hall_6_slots_from_the_schedule_and_capacity_changes(hall):
    admin = hall.county_admin
    set_posted_hours(hall)
    made = appt.slots_create_from_template(
        actor=admin,
        center=hall.linxia_center,
        category=hall.cat_a,
        day=DAY,
        template="regular",
        capacity=5,
    )
    # 1 December: winter hours, 9:00–12:00 and 14:00–17:00, nothing over lunch
    assert [f"{s.start:%H:%M}" for s in made] == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
        "14:00",
        "14:30",
        "15:00",
        "15:30",
        "16:00",
        "16:30",
    ]
    assert not any(s.extended for s in made)
    assert (
        appt.slots_create_from_template(
            actor=admin,
            center=hall.linxia_center,
            category=hall.cat_a,
            day=DAY,
            template="regular",
            capacity=5,
        )
        == []
    )
    with pytest.raises(Conflict) as exc:
        appt.slots_create(
            actor=admin,
            center=hall.linxia_center,
            category=hall.cat_a,
            day=DAY,
            start=time(9, 15),
            end=time(9, 45),
            capacity=2,
        )
    assert exc.value.code == "slot.overlap"
    book(hall, made[0])
    book(hall, made[0], phone="13800000002")
    with pytest.raises(Conflict) as exc:
        appt.slot_update(actor=admin, slot=made[0], capacity=1)
    assert exc.value.code == "slot.capacity_below_booked"
    appt.slot_update(actor=admin, slot=made[0], capacity=2)
    with pytest.raises(Forbidden):
        appt.slots_create(
            actor=hall.clerk,
            center=hall.linxia_center,
            category=hall.cat_a,
            day=DAY,
            start=time(13),
            end=time(13, 30),
            capacity=2,
            duty_staff=[hall.clerk],
        )
    with pytest.raises(NotFound):
        appt.slots_create(
            actor=hall.kangle_admin,
            center=hall.linxia_center,
            category=hall.cat_a,
            day=DAY,
            start=time(13),
            end=time(13, 30),
            capacity=2,
            duty_staff=[hall.clerk],
        )


# --- the API: rate limits and bad input --------------------------------------------------------------


def future_slot(net, *, capacity=20, category=None, days=2) -> AppointmentSlot:
    return make_slot(
        net, day=timezone.localdate() + timedelta(days=days), capacity=capacity, category=category
    )


def api_book(client, slot, **overrides):
    body = {
        "center_id": slot.center_id,
        "category_id": slot.category_id,
        "slot_id": slot.pk,
        "name": "马建国",
        "phone": "13800000001",
        **overrides,
    }
    return client.post("/api/v1/hall/appointments/", body, content_type="application/json")


def test_r_hall_6_rate_limit_refuses_the_eleventh_booking_in_an_hour_from_one_client_with_429(hall):
    slot = future_slot(hall, capacity=30)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(10):
        response = api_book(client, slot, phone=f"1370000{i:04d}")
        assert response.status_code == 201, response.content
    response = api_book(client, slot, phone="13799999999")
    assert response.status_code == 429
    assert (
        response.json()["code"] == "appointment.rate_limited"
        and "频繁" in response.json()["message"]
    )
    assert Appointment.objects.count() == 10
    # another client is not affected
    assert api_book(Client(REMOTE_ADDR="203.0.113.8"), slot, phone="13799999999").status_code == 201


def test_r_hall_6_rate_limit_per_phone(hall):
    slots = [future_slot(hall, days=d) for d in range(1, 8)]
    for n, slot in enumerate(slots[:5]):
        book(hall, slot, phone="13800000001", now=timezone.now(), client_key=f"ip:10.0.0.{n}")
    with pytest.raises(Conflict) as exc:
        book(hall, slots[5], phone="13800000001", now=timezone.now(), client_key="ip:10.0.0.99")
    assert exc.value.code == "appointment.rate_limited" and exc.value.status == 429


def test_r_hall_6_api_book_cancel_check_in_and_list_slots(hall):
    slot = future_slot(hall, capacity=2)
    listed = Client().get("/api/v1/hall/appointments/slots", {"center_id": hall.linxia_center.pk})
    assert listed.status_code == 200 and [s["remaining"] for s in listed.json()] == [2]
    response = api_book(Client(), slot)
    assert response.status_code == 201
    code = response.json()["code"]
    assert (
        Client()
        .get("/api/v1/hall/appointments/slots", {"center_id": hall.linxia_center.pk})
        .json()[0]["remaining"]
        == 1
    )
    early = Client().post(f"/api/v1/hall/appointments/{code}/check-in")
    assert early.status_code == 409 and early.json()["code"] == "appointment.checkin_early"
    wrong = Client().post(
        f"/api/v1/hall/appointments/{code}/cancel",
        {"phone_or_id": "13800000009"},
        content_type="application/json",
    )
    assert wrong.status_code == 404 and wrong.json()["code"] == "appointment.not_found"
    done = Client().post(
        f"/api/v1/hall/appointments/{code}/cancel",
        {"phone_or_id": "13800000001"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "cancelled"
    slot.refresh_from_db()
    assert slot.booked == 0
    categories = Client().get(
        "/api/v1/hall/appointments/categories", {"center_id": hall.linxia_center.pk}
    )
    assert [c["letter"] for c in categories.json()] == ["A", "B"]


def _bad_inputs(net):
    yesterday = timezone.localdate() - timedelta(days=1)
    past = make_slot(net, day=yesterday)
    good = future_slot(net)
    kangle_cat = ServiceCategory.objects.create(
        center=net.kangle_center, letter="A", name="企业开办"
    )
    bad_id = ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] != "1" else "2")
    return [
        # (slot, overrides, api status, api code, words on the page)
        (good, {"phone": "12345"}, 422, "appointment.phone", "11位手机号码"),
        (good, {"id_number": bad_id}, 422, "id_number.check_digit", "校验位不正确"),
        (past, {}, 409, "appointment.past", "已过"),
        (good, {"category_id": kangle_cat.pk}, 404, "category.not_found", "未找到"),
    ]


def test_r_hall_6_bad_input_gets_a_chinese_message_and_4xx_with_code_and_changes_nothing(hall):
    for slot, overrides, status, code, words in _bad_inputs(hall):
        response = api_book(Client(), slot, **overrides)
        assert response.status_code == status, (code, response.content)
        assert response.json()["code"] == code
        # the same on the page
        category = overrides.get("category_id", slot.category_id)
        url = (
            f"{reverse('portal:book')}?center={slot.center_id}&category={category}"
            f"&day={slot.day:%Y-%m-%d}&slot={slot.pk}"
        )
        form = {
            "slot": slot.pk,
            "name": "马建国",
            "phone": overrides.get("phone", "13800000001"),
            "id_number": overrides.get("id_number", ""),
        }
        page = Client().post(url, form)
        assert 400 <= page.status_code < 500, (code, page.status_code)
        assert words in page.content.decode(), code
    assert Appointment.objects.count() == 0
    assert set(AppointmentSlot.objects.values_list("booked", flat=True)) == {0}
    assert not AuditEvent.objects.filter(action__startswith="appointment.").exists()


# --- pages -------------------------------------------------------------------------------------------


def test_r_hall_6_booking_cancel_and_check_in_through_the_pages(hall, cat):
    hall.cat_a.matters.add(cat.matter)
    slot = future_slot(hall, capacity=3)
    c = Client()
    assert hall.linxia_center.name in c.get(reverse("portal:book")).content.decode()
    assert (
        "企业开办"
        in c.get(reverse("portal:book"), {"center": hall.linxia_center.pk}).content.decode()
    )
    days = c.get(
        reverse("portal:book"), {"center": hall.linxia_center.pk, "category": hall.cat_a.pk}
    )
    assert f"{slot.day.month}月{slot.day.day}日" in days.content.decode()
    slots = c.get(
        reverse("portal:book"),
        {"center": hall.linxia_center.pk, "category": hall.cat_a.pk, "day": slot.day.isoformat()},
    )
    assert "余3个" in slots.content.decode()
    url = (
        f"{reverse('portal:book')}?center={hall.linxia_center.pk}&category={hall.cat_a.pk}"
        f"&day={slot.day:%Y-%m-%d}&slot={slot.pk}"
    )
    assert "个体工商户登记" in c.get(url).content.decode()
    response = c.post(
        url, {"slot": slot.pk, "name": "马建国", "phone": "13800000001", "matter": cat.matter.pk}
    )
    booking = Appointment.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "portal:booking_done", args=[booking.code]
    )
    assert booking.matter == cat.matter and booking.channel == "portal"
    done = c.get(response.url).content.decode()
    assert booking.code in done and "138****0001" in done and "马**" in done
    # the booking's own link: a short text with copy button and QR code, not a raw URL
    assert 'data-testid="keep-link"' in done and ">我的预约链接</a>" in done and "<svg" in done
    assert f'data-copy="http://testserver{response.url}"' in done
    again = c.post(url, {"slot": slot.pk, "name": "马建国", "phone": "13800000001"})
    assert again.status_code == 409 and "每人每天只能预约一次" in again.content.decode()
    cancel = c.post(
        reverse("portal:booking_cancel"), {"code": booking.code, "phone_or_id": "13800000001"}
    )
    assert cancel.status_code == 200 and "已取消" in cancel.content.decode()
    # check-in on the day, inside the window
    today = timezone.localdate()
    whole_day = make_slot(hall, day=today, start=time(0, 0), end=time(23, 59), category=hall.cat_b)
    mine = book(hall, whole_day, now=at(today, 0) - timedelta(minutes=1))
    page = c.post(reverse("portal:checkin"), {"code": mine.code})
    assert page.status_code == 200 and "B001" in page.content.decode()
    wrong = c.post(reverse("portal:checkin"), {"code": "XXXXXXXX"})
    assert wrong.status_code == 404 and "未找到该预约" in wrong.content.decode()


def test_r_hall_6_a_suspended_person_is_told_why_on_the_page(hall):
    slot = future_slot(hall)
    BookingSuspension.objects.create(
        person_key=appt.person_key_for(phone="13800000001"),
        center=hall.linxia_center,
        start=DAY,
        until=slot.day + timedelta(days=3),
        reason="30天内3次预约后未到场（12月1日、12月8日、12月15日）",
    )
    url = (
        f"{reverse('portal:book')}?center={hall.linxia_center.pk}&category={hall.cat_a.pk}"
        f"&day={slot.day:%Y-%m-%d}&slot={slot.pk}"
    )
    page = Client().post(url, {"slot": slot.pk, "name": "马建国", "phone": "13800000001"})
    text = page.content.decode()
    until = slot.day + timedelta(days=3)
    assert (
        page.status_code == 409
        and "网上预约已暂停至" in text
        and f"{until.year}年{until.month}月{until.day}日" in text
    )
    assert "3次预约后未到场" in text


def test_r_hall_6_staff_pages_slots_and_home_visits(hall, cat):
    c = Client()
    c.force_login(hall.county_admin)
    url = reverse("hall:appointments_staff", args=[hall.linxia_center.pk])
    assert c.get(reverse("hall:appointments_staff_home")).status_code == 200
    assert c.get(url, {"day": DAY.isoformat()}).status_code == 200
    response = c.post(
        url,
        {
            "action": "template",
            "day": DAY.isoformat(),
            "t-category": hall.cat_a.pk,
            "t-template": "regular",
            "t-capacity": 4,
        },
    )
    assert response.status_code == 302
    assert AppointmentSlot.objects.filter(day=DAY, category=hall.cat_a).count() == 12
    set_posted_hours(hall)
    lunch = c.post(
        url,
        {
            "action": "template",
            "day": "2026-12-05",
            "t-category": hall.cat_a.pk,
            "t-template": "extended",
            "t-capacity": 2,
        },
    )
    assert lunch.status_code == 422 and "值班人员" in lunch.content.decode()
    ok = c.post(
        url,
        {
            "action": "slot",
            "day": DAY.isoformat(),
            "s-category": hall.cat_b.pk,
            "s-start": "12:00",
            "s-end": "12:30",
            "s-capacity": 2,
            "s-extended": "on",
            "s-duty_staff": [hall.clerk.pk],
        },
    )
    assert ok.status_code == 302
    slot = AppointmentSlot.objects.get(category=hall.cat_b)
    assert slot.extended and list(slot.duty_staff.all()) == [hall.clerk]
    c.post(
        url,
        {
            "action": "update",
            "day": DAY.isoformat(),
            "slot": slot.pk,
            f"u{slot.pk}-capacity": 6,
            f"u{slot.pk}-duty_staff": [hall.clerk.pk, hall.clerk2.pk],
        },
    )
    slot.refresh_from_db()
    assert slot.capacity == 6 and slot.duty_staff.count() == 2
    page = c.get(url, {"day": DAY.isoformat()}).content.decode()
    assert "错时延时" in page and "0/6" in page
    # home visits: taken by phone, assigned, visited, mailed
    visits = reverse("hall:home_visits_staff", args=[hall.linxia_center.pk])
    hall.cat_a.matters.add(cat.matter)
    response = c.post(
        visits,
        {
            "action": "request",
            "n-matter": cat.matter.pk,
            "n-name": "马奶奶",
            "n-phone": "0930-1234567",
            "n-address": "韩集镇韩集村3社12号",
        },
    )
    assert response.status_code == 302
    visit = HomeVisit.objects.get()
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert (
        c.post(
            visits,
            {
                "action": "assign",
                "visit": visit.pk,
                f"assign{visit.pk}-staff": hall.agent.pk,
                f"assign{visit.pk}-visit_on": tomorrow.isoformat(),
            },
        ).status_code
        == 302
    )
    assert c.post(visits, {"action": "visit", "visit": visit.pk}).status_code == 302
    missing = c.post(
        visits, {"action": "mail", "visit": visit.pk, f"mail{visit.pk}-tracking_number": "x"}
    )
    assert missing.status_code == 422 and "邮寄单号" in missing.content.decode()
    assert (
        c.post(
            visits,
            {
                "action": "mail",
                "visit": visit.pk,
                f"mail{visit.pk}-tracking_number": "ems1234567890",
            },
        ).status_code
        == 302
    )
    visit.refresh_from_db()
    assert (
        visit.state == "mailed"
        and visit.tracking_number == "EMS1234567890"
        and visit.staff == hall.agent
    )
    assert "EMS1234567890" in c.get(visits).content.decode()


def test_r_hall_6_another_countys_admin_gets_404_on_the_staff_pages(hall, cat):
    visit = HomeVisit.objects.create(
        center=hall.linxia_center,
        matter=cat.matter,
        name="马奶奶",
        phone="13800000001",
        address="韩集镇韩集村3社12号",
    )
    urls = [
        reverse("hall:appointments_staff", args=[hall.linxia_center.pk]),
        reverse("hall:home_visits_staff", args=[hall.linxia_center.pk]),
    ]
    for user in (hall.kangle_admin, hall.clerk):
        c = Client()
        c.force_login(user)
        for url in urls:
            assert c.get(url).status_code == 404
            assert (
                c.post(
                    url, {"action": "cancel", "visit": visit.pk, f"cancel{visit.pk}-reason": "x"}
                ).status_code
                == 404
            )
    c = Client()
    c.force_login(hall.kangle_admin)
    assert (
        c.get(reverse("hall:appointments_staff", args=[hall.kangle_center.pk])).status_code == 200
    )
    visit.refresh_from_db()
    assert visit.state == "requested"
    assert Client().get(urls[0]).status_code == 302  # anonymous: to the login page


# --- home visits -------------------------------------------------------------------------------------


def test_r_hall_6_home_visit_life_with_audit_rows(hall, cat):
    visit = appt.home_visit_request(
        center=hall.linxia_center,
        matter=cat.matter,
        name="马奶奶",
        phone="13800000001",
        address="韩集镇韩集村3社12号",
        note="行动不便",
        client_key="ip:198.51.100.1",
    )
    assert visit.state == "requested"
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(Conflict):
        appt.home_visit_mark_mailed(
            actor=hall.county_admin, visit=visit, tracking_number="EMS123456"
        )
    with pytest.raises(NotFound):
        appt.home_visit_assign(
            actor=hall.kangle_admin, visit=visit, staff=hall.clerk, visit_on=tomorrow
        )
    with pytest.raises(InvalidInput) as exc:
        appt.home_visit_assign(
            actor=hall.county_admin, visit=visit, staff=hall.township_clerk, visit_on=tomorrow
        )
    assert exc.value.code == "home_visit.staff"
    with pytest.raises(InvalidInput):
        appt.home_visit_assign(
            actor=hall.county_admin,
            visit=visit,
            staff=hall.clerk,
            visit_on=timezone.localdate() - timedelta(days=1),
        )
    appt.home_visit_assign(
        actor=hall.county_admin, visit=visit, staff=hall.clerk, visit_on=tomorrow
    )
    with pytest.raises(
        Forbidden
    ):  # another clerk of the center is neither the assignee nor an admin
        appt.home_visit_mark_visited(actor=hall.clerk2, visit=visit)
    appt.home_visit_mark_visited(actor=hall.clerk, visit=visit, note="已收取材料")
    with pytest.raises(InvalidInput) as exc:
        appt.home_visit_mark_mailed(actor=hall.clerk, visit=visit, tracking_number="  ")
    assert exc.value.code == "home_visit.tracking_number" and "邮寄单号" in exc.value.message
    visit = appt.home_visit_mark_mailed(
        actor=hall.clerk, visit=visit, tracking_number="EMS 1234 5678 9"
    )
    assert visit.state == "mailed" and visit.tracking_number == "EMS123456789" and visit.mailed_at
    assert actions(visit) == [
        "home_visit.request",
        "home_visit.assign",
        "home_visit.visit",
        "home_visit.mail",
    ]
    mail = AuditEvent.objects.get(action="home_visit.mail")
    assert mail.actor == hall.clerk and mail.after["tracking_number"] == "EMS123456789"
    with pytest.raises(Conflict):
        appt.home_visit_cancel(actor=hall.county_admin, visit=visit, reason="重复申请")
    other = appt.home_visit_request(
        center=hall.linxia_center,
        matter=cat.matter,
        name="马爷爷",
        phone="13800000002",
        address="韩集镇韩集村3社13号",
        actor=hall.county_admin,
    )
    with pytest.raises(InvalidInput):
        appt.home_visit_cancel(actor=hall.county_admin, visit=other, reason="")
    other = appt.home_visit_cancel(
        actor=hall.county_admin, visit=other, reason="申请人已到大厅办理"
    )
    assert other.state == "cancelled" and actions(other) == [
        "home_visit.request",
        "home_visit.cancel",
    ]


def test_r_hall_6_home_visit_request_rejects_bad_input(hall, cat):
    for kwargs, code in [
        ({"phone": "123"}, "home_visit.phone"),
        ({"address": "韩集"}, "home_visit.address"),
        ({"name": " "}, "home_visit.name"),
    ]:
        fields = {
            "name": "马奶奶",
            "phone": "13800000001",
            "address": "韩集镇韩集村3社12号",
            **kwargs,
        }
        with pytest.raises(InvalidInput) as exc:
            appt.home_visit_request(center=hall.linxia_center, matter=cat.matter, **fields)
        assert exc.value.code == code
    assert not HomeVisit.objects.exists()


def test_r_hall_6_home_visit_request_page(hall, cat):
    hall.cat_a.matters.add(cat.matter)
    c = Client(REMOTE_ADDR="198.51.100.9")
    assert hall.linxia_center.name in c.get(reverse("portal:home_visit_request")).content.decode()
    url = f"{reverse('portal:home_visit_request')}?center={hall.linxia_center.pk}"
    assert "个体工商户登记" in c.get(url).content.decode()
    bad = c.post(
        url,
        {
            "matter": cat.matter.pk,
            "name": "马奶奶",
            "phone": "123",
            "address": "韩集镇韩集村3社12号",
        },
    )
    assert bad.status_code == 422 and "固定电话" in bad.content.decode()
    assert not HomeVisit.objects.exists()
    done = c.post(
        url,
        {
            "matter": cat.matter.pk,
            "name": "马奶奶",
            "phone": "13800000001",
            "address": "韩集镇韩集村3社12号",
            "note": "行动不便",
        },
    )
    assert done.status_code == 200 and "已收到您的申请" in done.content.decode()
    assert HomeVisit.objects.get().state == "requested"
    assert c.get(f"{reverse('portal:home_visit_request')}?center=999999").status_code == 404
    assert c.get(reverse("portal:booking_done", args=["NOSUCHCD"])).status_code == 404
    assert c.get(f"{reverse('portal:book')}?center=abc").status_code == 404


def test_r_hall_6_home_visit_form_offers_a_chinese_placeholder(hall, cat):
    c = Client()
    html = c.get(reverse("portal:home_visit_request"), {"center": hall.linxia_center.pk}).content
    html = html.decode()
    assert "---------" not in html and "请选择办理事项…" in html
    c.force_login(hall.county_admin)
    staff = c.get(reverse("hall:home_visits_staff", args=[hall.linxia_center.pk])).content.decode()
    assert "---------" not in staff
