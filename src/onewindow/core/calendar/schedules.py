"""Loading a year's official holiday schedule (R-CASE-4)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from onewindow.core import workcalendar
from onewindow.core.audit import audit_record, snapshot
from onewindow.core.calendar.access import require_calendar_admin
from onewindow.core.calendar.build import forget_in_transaction, invalidate
from onewindow.core.calendar.deadlines import recompute_all
from onewindow.core.calendar.official import MAX_SCHEDULE_CHARS, MAX_YEAR, MIN_YEAR, official_covers
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.models import CalendarDay, CalendarYear, Deadline


def _schedule_snapshot(calendar_year: CalendarYear | None) -> dict | None:
    if calendar_year is None:
        return None
    data = snapshot(calendar_year)
    data["days"] = {
        d.date.isoformat(): ("班" if d.is_workday else "休") for d in calendar_year.days.all()
    }
    return data


@transaction.atomic
def calendar_year_load(*, actor, year: int, text: str, source: str) -> CalendarYear:
    """Load (or replace) the official holiday schedule of a year, then recompute the
    deadlines it touches. ``.recomputed`` on the result counts the changed ones."""
    require_calendar_admin(actor, region=None)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        message = f"年份须在{MIN_YEAR}年至{MAX_YEAR}年之间。"
        raise InvalidInput("calendar.bad_year", message, {"year": message})
    source = (source or "").strip()
    if not source:
        raise InvalidInput(
            "calendar.source_required",
            "请填写依据（如国务院办公厅通知的名称和文号）。",
            {"source": "请填写依据。"},
        )
    if len(source) > 200:
        raise InvalidInput(
            "calendar.source_too_long", "依据不能超过200字。", {"source": "依据不能超过200字。"}
        )
    text = text or ""
    if len(text) > MAX_SCHEDULE_CHARS:
        message = f"安排内容过长（不超过{MAX_SCHEDULE_CHARS}字）。"
        raise InvalidInput("calendar.bad_schedule", message, {"text": message})
    try:
        entries = workcalendar.parse_schedule_entries(text, year)
    except ValueError as exc:
        raise InvalidInput("calendar.bad_schedule", str(exc), {"text": str(exc)}) from None
    if not entries:
        message = "未找到任何日期，请按“2027-01-01 休 元旦”的格式每行填写一条。"
        raise InvalidInput("calendar.bad_schedule", message, {"text": message})
    if all(workday for workday, _ in entries.values()):
        message = "安排中没有放假日期，请核对后再载入。"
        raise InvalidInput("calendar.bad_schedule", message, {"text": message})

    existing = for_update(CalendarYear.objects).filter(year=year).first()
    before = _schedule_snapshot(existing)
    user = actor if getattr(actor, "is_authenticated", False) else None
    if existing is None:
        try:
            with transaction.atomic():
                calendar_year = CalendarYear.objects.create(
                    year=year, source=source, loaded_by=user
                )
        except IntegrityError:
            raise Conflict(
                "calendar.load_in_progress", f"{year}年的安排正在由他人载入，请稍后刷新查看。"
            ) from None
    else:
        calendar_year = existing
        calendar_year.days.all().delete()
        calendar_year.source = source
        calendar_year.loaded_at = timezone.now()
        calendar_year.loaded_by = user
        calendar_year.save(update_fields=["source", "loaded_at", "loaded_by"])
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(year=calendar_year, date=day, is_workday=workday, name=name)
            for day, (workday, name) in sorted(entries.items())
        ]
    )
    forget_in_transaction()
    audit_record(
        actor=actor,
        action="calendar_year.load",
        target=calendar_year,
        before=before,
        after=_schedule_snapshot(calendar_year),
        note="替换已载入的安排" if existing else "",
    )
    transaction.on_commit(invalidate)

    first, last = date(year, 1, 1), date(year, 12, 31)
    touching = Deadline.objects.filter(start__lte=last).filter(
        Q(due__isnull=True) | Q(due__gte=first)
    )
    if existing is None and not official_covers(year):
        # A first load of a year nobody had data for changes only provisional clocks.
        touching = touching.filter(provisional=True)
    calendar_year.recomputed = recompute_all(touching, reason=f"载入{year}年节假日安排")
    return calendar_year
