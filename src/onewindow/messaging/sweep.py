"""The messages that come from the passing of time, written by the periodic sweep: the
reminder the day before an appointment, and the warning that a correction is about to
lapse (视为撤回). Keys keep each one message however often the sweep runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from onewindow.cases.models import Correction
from onewindow.core.clock import now as clock_now
from onewindow.hall.models import Appointment
from onewindow.messaging.hooks import appointment_params, fmt_day
from onewindow.messaging.models import Message
from onewindow.messaging.outbox import conf, enqueue

NAME = "messaging"


@dataclass
class SweepResult:
    reminders: int = 0
    lapsing: int = 0

    def summary(self) -> str:
        return f"消息提醒：预约前一日提醒 {self.reminders} 条，补正即将逾期提醒 {self.lapsing} 条。"


def _new(keys: dict[str, object]) -> dict[str, object]:
    known = set(Message.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    return {k: v for k, v in keys.items() if k not in known}


def sweep(*, now: datetime | None = None) -> SweepResult:
    now = clock_now(now)
    today = timezone.localdate(now)
    result = SweepResult()
    tomorrow = Appointment.objects.filter(
        day=today + timedelta(days=1), state=Appointment.State.BOOKED
    ).select_related("slot", "center", "category")
    for key, appointment in _new({f"appointment:{a.pk}:reminder": a for a in tomorrow}).items():
        with transaction.atomic():
            enqueue(
                key=key,
                template="appointment_reminder",
                params=appointment_params(appointment, appointment.slot),
                phone=appointment.phone,
                center=appointment.center,
                now=now,
            )
        result.reminders += 1
    lapsing = Correction.objects.filter(
        state=Correction.State.OPEN,
        due__gte=today,
        due__lte=today + timedelta(days=conf("LAPSE_WARNING_DAYS")),
    ).select_related("case", "case__applicant", "case__center")
    for key, correction in _new({f"correction:{c.pk}:lapsing": c for c in lapsing}).items():
        case = correction.case
        with transaction.atomic():
            enqueue(
                key=key,
                template="case_withdraw_soon",
                params={"number": case.number, "due": fmt_day(correction.due)},
                phone=case.applicant.phone if case.applicant_id else "",
                center=case.center,
                now=now,
            )
        result.lapsing += 1
    return result
