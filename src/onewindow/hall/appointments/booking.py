"""Booking, cancelling, check-in, no-shows and suspension (R-HALL-6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.hall.appointments.common import (
    BOOKING_HORIZON_DAYS,
    CHANNELS,
    appointment_cancelled,
    booking_suspended,
    clean_id,
    clean_name,
    clean_phone,
    cn_date,
    new_code,
    normalize_code,
    owned_by,
    person_key_for,
    public_actor,
    slot_end,
    slot_start,
)
from onewindow.hall.limits import rate_limit_hit
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    BookingSuspension,
    ServiceCategory,
    Ticket,
)
from onewindow.hall.selectors.rules import hall_settings
from onewindow.hall.services.tickets import ticket_issue
from onewindow.org.models import Center

# --- booking -----------------------------------------------------------------------------------


def _suspension_for(keys: list[str], center: Center, today: date) -> BookingSuspension | None:
    return (
        BookingSuspension.objects.filter(
            person_key__in=[k for k in keys if k], center=center, until__gte=today
        )
        .order_by("-until")
        .first()
    )


def suspension_message(s: BookingSuspension) -> str:
    return (
        f"您在{s.center.name}的网上预约已暂停至{cn_date(s.until)}（含当日）。原因：{s.reason}。"
        "暂停期间仍可到大厅现场取号办理。"
    )


@transaction.atomic
def appointment_book(
    *,
    center: Center,
    category: ServiceCategory,
    slot: AppointmentSlot,
    name: str,
    phone: str,
    id_number: str = "",
    matter: Matter | None = None,
    channel: str = "portal",
    client_key: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Book a slot (public: no actor). Returns the appointment with its 8-character code."""
    now = clock.now(now)
    name = clean_name(name, "appointment.name")
    phone = clean_phone(phone)
    number = clean_id(id_number) if (id_number or "").strip() else ""
    if channel not in CHANNELS:
        raise InvalidInput("appointment.channel", "预约渠道不正确。")
    if category.center_id != center.pk or not category.is_active or not center.is_active:
        raise NotFound("category.not_found", "未找到该业务类别。")
    if slot.center_id != center.pk or slot.category_id != category.pk:
        raise NotFound("appointment.slot_not_found", "未找到该预约时段。")
    if (
        matter is not None
        and category.matters.exists()
        and not category.matters.filter(pk=matter.pk).exists()
    ):
        msg = "所选事项不属于该业务类别。"
        raise InvalidInput("appointment.matter", msg, {"matter": msg})
    rate_limit_hit("client", client_key)
    rate_limit_hit("phone", phone)

    slot = for_update(AppointmentSlot.objects).get(pk=slot.pk)
    if now >= slot_start(slot):
        raise Conflict("appointment.past", "该时段已开始或已过，请选择其他时段。")
    if slot.day > timezone.localdate(now) + timedelta(days=BOOKING_HORIZON_DAYS):
        raise Conflict("appointment.too_early", f"只能预约{BOOKING_HORIZON_DAYS}天内的时段。")
    key = person_key_for(phone=phone, id_number=number)
    suspension = _suspension_for(
        [key, person_key_for(phone=phone)], center, timezone.localdate(now)
    )
    if suspension is not None:
        raise Conflict("appointment.suspended", suspension_message(suspension))
    duplicate = Conflict(
        "appointment.duplicate",
        f"您已预约{cn_date(slot.day)}的“{category.name}”，同一业务每人每天只能预约一次。"
        "如需改约，请先取消原预约。",
    )
    if Appointment.objects.filter(
        person_key=key,
        category=category,
        day=slot.day,
        state__in=[Appointment.State.BOOKED, Appointment.State.CHECKED_IN],
    ).exists():
        raise duplicate
    if slot.booked >= slot.capacity:
        raise Conflict(
            "appointment.full", f"{slot.start:%H:%M}-{slot.end:%H:%M}时段已约满，请选择其他时段。"
        )
    slot.booked += 1
    slot.save(update_fields=["booked"])
    appointment = Appointment(
        slot=slot,
        center=center,
        category=category,
        day=slot.day,
        matter=matter,
        name=name,
        phone=phone,
        person_key=key,
        code=new_code(),
        channel=channel,
        created_at=now,
    )
    appointment.set_id_number(number)
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:  # the same person booking in parallel through another slot
        raise duplicate from None
    audit_record(
        actor=public_actor(phone, channel),
        action="appointment.book",
        target=appointment,
        center=center,
        after={
            "state": appointment.state,
            "slot": slot.pk,
            "category": category.letter,
            "day": slot.day,
            "start": slot.start,
            "channel": channel,
        },
    )
    return appointment


def appointment_get_by_code(code: str) -> Appointment:
    found = (
        Appointment.objects.filter(code=normalize_code(code))
        .select_related("slot", "center", "category", "matter")
        .first()
    )
    if found is None:
        raise NotFound("appointment.not_found", "未找到该预约，请核对预约码。")
    return found


@transaction.atomic
def appointment_cancel(
    *, code: str, phone_or_id: str, actor=None, now: datetime | None = None
) -> Appointment:
    """The person cancels with the code and the phone or identity number they booked with;
    the slot's place is freed."""
    now = clock.now(now)
    found = Appointment.objects.filter(code=normalize_code(code)).first()
    if found is None or not owned_by(found, phone_or_id):
        raise NotFound(
            "appointment.not_found",
            "未找到该预约，请核对预约码和预约时填写的手机号（或身份证号）。",
        )
    slot = for_update(AppointmentSlot.objects).get(
        pk=found.slot_id
    )  # slot, then booking: one order
    appointment = for_update(Appointment.objects).get(pk=found.pk)
    if appointment.state != Appointment.State.BOOKED:
        raise Conflict(
            "appointment.wrong_state",
            f"该预约当前为“{appointment.get_state_display()}”，不能取消。",
        )
    if now >= slot_start(slot):
        raise Conflict("appointment.too_late", "预约时段已开始，不能再取消。")
    appointment.state, appointment.cancelled_at = Appointment.State.CANCELLED, now
    appointment.save(update_fields=["state", "cancelled_at"])
    slot.booked -= 1
    slot.save(update_fields=["booked"])
    audit_record(
        actor=actor or public_actor(appointment.phone, appointment.channel),
        action="appointment.cancel",
        target=appointment,
        center=appointment.center,
        before={"state": Appointment.State.BOOKED},
        after={"state": appointment.state, "slot": slot.pk},
    )
    appointment_cancelled.send(sender=Appointment, appointment=appointment, slot=slot)
    return appointment


def checkin_window(slot: AppointmentSlot) -> tuple[datetime, datetime]:
    rules = hall_settings(slot.center)
    return (
        slot_start(slot) - timedelta(minutes=rules.checkin_before_minutes),
        slot_end(slot) + timedelta(minutes=rules.checkin_after_minutes),
    )


@transaction.atomic
def appointment_check_in(*, code: str, now: datetime | None = None, actor=None) -> Ticket:
    """At the hall: the booking becomes a ticket that carries the slot's start (called
    before walk-ins of its category once due). A second check-in returns the same ticket."""
    now = clock.now(now)
    found = appointment_get_by_code(code)
    appointment = for_update(Appointment.objects).get(pk=found.pk)
    appointment.slot = found.slot
    if appointment.state == Appointment.State.CHECKED_IN:
        return Ticket.objects.get(appointment=appointment)
    if appointment.state != Appointment.State.BOOKED:
        raise Conflict(
            "appointment.wrong_state",
            f"该预约当前为“{appointment.get_state_display()}”，不能签到，请现场取号。",
        )
    opens, closes = checkin_window(found.slot)
    if timezone.localdate(now) != found.slot.day or now < opens:
        raise Conflict(
            "appointment.checkin_early",
            f"请在{cn_date(found.slot.day)} {timezone.localtime(opens):%H:%M}以后签到。",
        )
    if now > closes:
        raise Conflict("appointment.checkin_late", "预约时段已过，不能签到，请现场取号。")
    ticket = ticket_issue(
        actor=actor,
        center=found.center,
        category=found.category,
        channel=Ticket.Channel.APPOINTMENT,
        phone=appointment.phone,
        appointment=appointment,
        now=now,
    )
    appointment.state, appointment.checked_in_at = Appointment.State.CHECKED_IN, now
    appointment.save(update_fields=["state", "checked_in_at"])
    audit_record(
        actor=actor or public_actor(appointment.phone, appointment.channel),
        action="appointment.check_in",
        target=appointment,
        center=found.center,
        before={"state": Appointment.State.BOOKED},
        after={"state": appointment.state, "ticket": ticket.code},
    )
    return ticket


# --- no-shows and suspension -------------------------------------------------------------------


@dataclass
class NoShowResult:
    marked: list[Appointment] = field(default_factory=list)
    suspensions: list[BookingSuspension] = field(default_factory=list)


def _maybe_suspend(
    *, actor, person_key: str, center: Center, day: date
) -> BookingSuspension | None:
    rules = hall_settings(center)
    if not rules.no_show_limit:
        return None
    since = day - timedelta(days=max(1, rules.no_show_window_days) - 1)
    last = (
        BookingSuspension.objects.filter(person_key=person_key, center=center)
        .order_by("-start", "-pk")
        .first()
    )
    if last is not None and last.start is not None and last.start >= since:
        since = last.start + timedelta(days=1)  # no-shows counted once
    days = sorted(
        Appointment.objects.filter(
            person_key=person_key,
            center=center,
            state=Appointment.State.NO_SHOW,
            day__gte=since,
            day__lte=day,
        ).values_list("day", flat=True)
    )
    if len(days) < rules.no_show_limit:
        return None
    listed = "、".join(f"{d.month}月{d.day}日" for d in days)
    suspension = BookingSuspension.objects.create(
        person_key=person_key,
        center=center,
        start=day,
        until=day + timedelta(days=rules.suspension_days),
        reason=f"{rules.no_show_window_days}天内{len(days)}次预约后未到场（{listed}）",
    )
    audit_record(
        actor=actor,
        action="appointment.suspend",
        target=suspension,
        center=center,
        after={"until": suspension.until, "no_shows": days},
        note=suspension.reason,
    )
    phone = (
        Appointment.objects.filter(person_key=person_key, center=center)
        .order_by("-day")
        .values_list("phone", flat=True)
        .first()
    )
    transaction.on_commit(
        lambda: booking_suspended.send(
            sender=BookingSuspension,
            suspension=suspension,
            phone=phone,
            message=suspension_message(suspension),
        )
    )
    return suspension


@transaction.atomic
def appointments_mark_no_shows(
    *, day: date, now: datetime | None = None, center: Center | None = None, actor=None
) -> NoShowResult:
    """Bookings of ``day`` still not checked in after their slot ended become no-shows;
    repeated no-shows suspend online booking. Safe to run again."""
    now = clock.now(now)
    result = NoShowResult()
    pending = Appointment.objects.filter(day=day, state=Appointment.State.BOOKED)
    if center is not None:
        pending = pending.filter(center=center)
    ended = [a.pk for a in pending.select_related("slot") if slot_end(a.slot) <= now]
    for appointment in (
        for_update(Appointment.objects.filter(pk__in=ended, state=Appointment.State.BOOKED))
        .order_by("pk")
        .select_related("center")
    ):
        appointment.state = Appointment.State.NO_SHOW
        appointment.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="appointment.no_show",
            target=appointment,
            center=appointment.center,
            before={"state": Appointment.State.BOOKED},
            after={"state": appointment.state},
        )
        result.marked.append(appointment)
    people = Appointment.objects.filter(day=day, state=Appointment.State.NO_SHOW)
    if center is not None:
        people = people.filter(center=center)
    centers = {c.pk: c for c in Center.objects.filter(pk__in=people.values("center_id"))}
    for person_key, center_id in sorted(set(people.values_list("person_key", "center_id"))):
        found = _maybe_suspend(
            actor=actor, person_key=person_key, center=centers[center_id], day=day
        )
        if found is not None:
            result.suspensions.append(found)
    return result
