"""Shared pieces of appointments: constants, slot templates, validation, rate limits."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time

from django.dispatch import Signal
from django.utils import timezone

from onewindow.core import crypto, idnumber
from onewindow.core.errors import InvalidInput
from onewindow.core.ratelimit import RateLimited  # noqa: F401  (re-exported)
from onewindow.hall import hours
from onewindow.hall.limits import DEFAULT_RATE_LIMITS, rate_limit_hit  # noqa: F401  (re-exported)
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
)
from onewindow.org.models import Center

# Sent after commit when a person's online booking is suspended (for SMS and the like).
booking_suspended = Signal()
# Sent inside the transaction that cancels a booking (appointment), for the outbox.
appointment_cancelled = Signal()

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1
CODE_LENGTH = 8
PHONE_RE = re.compile(r"^1\d{10}$")
CONTACT_PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
TRACKING_RE = re.compile(r"^[A-Z0-9-]{6,40}$")
CHANNELS = {
    "portal": "网上预约",
    "api": "接口预约",
    "mobile": "手机预约",
    "phone": "电话预约",
    "window": "窗口代约",
}
BOOKING_HORIZON_DAYS = 30


# --- slot templates (data) --------------------------------------------------------------------
# Slots are cut from the center's schedule (``hall.hours``): a template picks which of
# the day's periods, so December slots follow winter hours and a Saturday has slots
# where the schedule offers extended service there.


@dataclass(frozen=True)
class SlotTemplate:
    key: str
    label: str
    regular: bool  # takes the regular office periods
    extended: bool  # takes the extended-service periods (错时延时)


SLOT_MINUTES = 30
SLOT_TEMPLATES: dict[str, SlotTemplate] = {
    t.key: t
    for t in (
        SlotTemplate("all", "按办公时间：当天全部时段（每30分钟）", True, True),
        SlotTemplate("regular", "按办公时间：正常办公时段（每30分钟）", True, False),
        SlotTemplate("extended", "按办公时间：错时延时时段（每30分钟）", False, True),
    )
}


# --- small helpers ------------------------------------------------------------------------------


def slot_start(slot: AppointmentSlot) -> datetime:
    return timezone.make_aware(datetime.combine(slot.day, slot.start))


def slot_end(slot: AppointmentSlot) -> datetime:
    return timezone.make_aware(datetime.combine(slot.day, slot.end))


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def normalize_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", (raw or "")).upper()[:12]


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Appointment.objects.filter(code=code).exists():
            return code


def clean_phone(raw: str, code: str = "appointment.phone") -> str:
    phone = re.sub(r"[\s-]", "", raw or "")
    if not PHONE_RE.match(phone):
        msg = "请填写11位手机号码（以1开头）。"
        raise InvalidInput(code, msg, {"phone": msg})
    return phone


def clean_id(raw: str) -> str:
    try:
        return idnumber.validate(raw)
    except idnumber.IdNumberError as exc:
        raise InvalidInput(exc.code, exc.message, {"id_number": exc.message}) from None


def clean_name(raw: str, code: str, label: str = "姓名") -> str:
    name = (raw or "").replace("\x00", "").strip()
    if not name or len(name) > 50:
        msg = f"请填写{label}（不超过50个字）。"
        raise InvalidInput(code, msg, {"name": msg})
    return name


def owned_by(appointment: Appointment, phone_or_id: str) -> bool:
    """Whether the phone or identity number typed is the one the booking was made with."""
    raw = re.sub(r"[\s-]", "", phone_or_id or "")
    if not raw:
        return False
    if PHONE_RE.match(raw):
        return raw == appointment.phone
    if not appointment.id_number_digest or not idnumber.is_valid(raw):
        return False
    return crypto.lookup_digest(idnumber.normalize(raw)) == appointment.id_number_digest


def person_key_for(*, phone: str, id_number: str = "") -> str:
    """The keyed digest that names a person: of the identity number if given, else of the phone."""
    return crypto.lookup_digest(id_number or phone)


def public_actor(phone: str, channel: str = "portal") -> str:
    return f"{CHANNELS.get(channel, '预约')}（手机尾号{phone[-4:]}）"


def require_center_staff(user, center: Center) -> None:
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.active or profile.center_id != center.pk:
        raise InvalidInput(
            "slot.duty_staff",
            "值班人员须为本中心在岗工作人员。",
            {"duty_staff": "值班人员须为本中心在岗工作人员。"},
        )


def is_off_hours(center: Center, day: date, start: time, end: time, *, periods=None) -> bool:
    """Outside the regular office periods of the day (in the center's schedule;
    ``periods``: that day's periods when the caller has them already)."""
    if periods is None:
        periods = hours.periods_on(center, day)
    return not any(p.start <= start and end <= p.end and not p.extended for p in periods)
