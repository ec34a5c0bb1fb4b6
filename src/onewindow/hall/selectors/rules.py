"""The hall's rules as read by everyone: the center's queue settings and call policy,
its opening hours, and the key its screens' version lives under."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from onewindow.hall import hours, schedule
from onewindow.hall.models import HallSettings
from onewindow.org.models import Center
from onewindow.planning import queueing


def hall_settings(center: Center) -> HallSettings:
    """The center's queue rules; the defaults (unsaved) until the center sets its own.
    Reading never writes, so the hot path of calling takes no extra lock."""
    return HallSettings.objects.filter(center=center).first() or HallSettings(center=center)


def policy_for(center: Center) -> queueing.Policy:
    s = hall_settings(center)
    return queueing.Policy(mode=s.priority_mode, k=s.priority_k, aging_minutes=s.aging_minutes)


def display_version_key(center_id: int) -> str:
    return f"hall:display:{center_id}"


def hall_is_open(center: Center, now: datetime) -> bool:
    """Whether tickets for categories that need a clerk are issued now (the rule the
    services apply when issuing, from the center's schedule; they remain the guard)."""
    if not getattr(settings, "ONEWINDOW_HALL_ENFORCE_HOURS", True):
        return True
    return hours.is_open(center, now)


def office_hours_text(center: Center) -> str:
    """The center's opening hours in words, from its schedule (the terminal adds that
    holidays are closed)."""
    lines = hours.hours_lines(center)
    return "；".join(line for line in lines if line != schedule.HOLIDAY_LINE)


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
