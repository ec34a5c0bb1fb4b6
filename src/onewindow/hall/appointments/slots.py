"""Appointment slots: per category and day, from templates, with duty rosters (R-HALL-6)."""

from __future__ import annotations

from datetime import date, time

from django.db import IntegrityError, transaction

from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.hall import hours, schedule
from onewindow.hall.access import require_center_admin
from onewindow.hall.appointments.common import (
    SLOT_MINUTES,
    SLOT_TEMPLATES,
    cn_date,
    is_off_hours,
    require_center_staff,
)
from onewindow.hall.models import (
    AppointmentSlot,
    ServiceCategory,
)
from onewindow.org.models import Center

# --- slots -------------------------------------------------------------------------------------


def _slot_create(
    *, actor, center, category, day, start, end, capacity, extended, duty_staff, periods=None
) -> AppointmentSlot:
    if category.center_id != center.pk:
        raise NotFound("category.not_found", "未找到该业务类别。")
    if not isinstance(capacity, int) or not 1 <= capacity <= 999:
        raise InvalidInput(
            "slot.capacity", "可约人数应为1-999。", {"capacity": "可约人数应为1-999。"}
        )
    if end <= start:
        raise InvalidInput(
            "slot.times", "结束时间应晚于开始时间。", {"end": "结束时间应晚于开始时间。"}
        )
    duty_staff = list(duty_staff)
    for user in duty_staff:
        require_center_staff(user, center)
    extended = bool(extended) or is_off_hours(center, day, start, end, periods=periods)
    if extended and not duty_staff:
        msg = "错时延时（午间、傍晚、周末及节假日）时段须安排至少一名本中心值班人员。"
        raise InvalidInput("slot.duty_roster", msg, {"duty_staff": msg})
    if AppointmentSlot.objects.filter(
        category=category, day=day, start__lt=end, end__gt=start
    ).exists():
        raise Conflict(
            "slot.overlap",
            f"{category.name}在{cn_date(day)}已有与{start:%H:%M}-{end:%H:%M}重叠的时段。",
        )
    try:
        with transaction.atomic():
            slot = AppointmentSlot.objects.create(
                center=center,
                category=category,
                day=day,
                start=start,
                end=end,
                capacity=capacity,
                extended=extended,
            )
    except IntegrityError:
        raise Conflict("slot.overlap", "该时段已存在。") from None
    slot.duty_staff.set(duty_staff)
    audit_record(
        actor=actor,
        action="appointment_slot.create",
        target=slot,
        center=center,
        after={
            "category": category.letter,
            "day": day,
            "start": start,
            "end": end,
            "capacity": capacity,
            "extended": extended,
            "duty_staff": sorted(u.pk for u in duty_staff),
        },
    )
    return slot


@transaction.atomic
def slots_create(
    *,
    actor,
    center: Center,
    category: ServiceCategory,
    day: date,
    start: time,
    end: time,
    capacity: int,
    extended: bool = False,
    duty_staff=(),
) -> AppointmentSlot:
    require_center_admin(actor, center)
    return _slot_create(
        actor=actor,
        center=center,
        category=category,
        day=day,
        start=start,
        end=end,
        capacity=capacity,
        extended=extended,
        duty_staff=duty_staff,
    )


@transaction.atomic
def slots_create_from_template(
    *,
    actor,
    center: Center,
    category: ServiceCategory,
    day: date,
    template: str,
    capacity: int,
    duty_staff=(),
) -> list[AppointmentSlot]:
    """A day's slots cut from the center's schedule (the periods of that day that serve
    the category, regular and/or extended as the template says); periods that already
    have a slot are left alone. A closed day (a holiday, a weekend without extended
    service) gets none."""
    require_center_admin(actor, center)
    found = SLOT_TEMPLATES.get(template)
    if found is None:
        raise InvalidInput("slot.template", "请选择时段模板。", {"template": "请选择时段模板。"})
    if category.center_id != center.pk:
        raise NotFound("category.not_found", "未找到该业务类别。")
    day_periods = hours.periods_on(center, day)  # read once for the day's slots
    periods = [
        p
        for p in day_periods
        if p.serves(category.pk) and (found.extended if p.extended else found.regular)
    ]
    existing = list(
        AppointmentSlot.objects.filter(category=category, day=day).values_list("start", "end")
    )
    created = []
    for start, end, period in schedule.split(periods, SLOT_MINUTES):
        if any(s < end and e > start for s, e in existing):
            continue
        created.append(
            _slot_create(
                actor=actor,
                center=center,
                category=category,
                day=day,
                start=start,
                end=end,
                capacity=capacity,
                extended=period.extended,
                duty_staff=duty_staff,
                periods=day_periods,
            )
        )
    return created


@transaction.atomic
def slot_update(*, actor, slot: AppointmentSlot, capacity: int, duty_staff=()) -> AppointmentSlot:
    """Change a slot's capacity (0 closes it to new bookings) and its duty roster."""
    slot = for_update(AppointmentSlot.objects).get(pk=slot.pk)
    require_center_admin(actor, slot.center)
    if not isinstance(capacity, int) or not 0 <= capacity <= 999:
        raise InvalidInput(
            "slot.capacity", "可约人数应为0-999。", {"capacity": "可约人数应为0-999。"}
        )
    if capacity < slot.booked:
        msg = f"已有{slot.booked}人预约，可约人数不能少于已约人数。"
        raise Conflict("slot.capacity_below_booked", msg, {"capacity": msg})
    duty_staff = list(duty_staff)
    for user in duty_staff:
        require_center_staff(user, slot.center)
    if slot.extended and not duty_staff:
        msg = "错时延时时段须安排至少一名本中心值班人员。"
        raise InvalidInput("slot.duty_roster", msg, {"duty_staff": msg})
    before = {
        "capacity": slot.capacity,
        "duty_staff": sorted(slot.duty_staff.values_list("pk", flat=True)),
    }
    slot.capacity = capacity
    slot.save(update_fields=["capacity"])
    slot.duty_staff.set(duty_staff)
    audit_record(
        actor=actor,
        action="appointment_slot.update",
        target=slot,
        center=slot.center,
        before=before,
        after={"capacity": capacity, "duty_staff": sorted(u.pk for u in duty_staff)},
    )
    return slot
