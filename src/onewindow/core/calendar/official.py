"""The official holiday data and the bounds of what the calendar accepts (R-CASE-4)."""

from __future__ import annotations

from datetime import date

from onewindow.core import workcalendar

# Bounds of what the calendar accepts from people: far enough for any legal limit,
# near enough that no input runs the counting loop for long.
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_DEADLINE_DAYS = 1000
MAX_SCHEDULE_CHARS = 20_000


def official_source(day: date) -> bool | None:
    """The official package; a seam so tests can pin which years it covers."""
    return workcalendar.official_chinese_calendar(day)


def official_name_source(day: date) -> str:
    return workcalendar.official_holiday_name(day)


def official_day(day: date) -> bool | None:
    return official_source(day)


def official_name(day: date) -> str:
    return official_name_source(day)


def official_covers(year: int) -> bool:
    return official_day(date(year, 7, 1)) is not None
