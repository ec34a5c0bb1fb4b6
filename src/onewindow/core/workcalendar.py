"""The work calendar: which days are working days, and deadlines counted on them.

Pure: no Django. The database side (local overrides, schedules loaded for years the
official package does not cover yet) is handed in as plain mappings by
``onewindow.core.calendar.calendar_for``.

The one counting rule (DESIGN.md):
- the day of acceptance is day 0; the deadline is the end of the N-th working day
  after it;
- a pause (corrections, special procedure) takes out the working days from the day
  after it starts through the day it ends; counting resumes the next working day;
- a limit in natural days counts every day outside pauses, and when its last day is
  not a working day the deadline moves to the next working day;
- a day in a year that neither the official data nor a loaded schedule covers is
  decided by the weekend rule alone, and any deadline that crosses such a day is
  provisional.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

ONE_DAY = timedelta(days=1)
MAX_SPAN_DAYS = 366 * 20


class LimitUnit(StrEnum):
    WORKING = "working"
    NATURAL = "natural"


@dataclass(frozen=True)
class Pause:
    """A stop of the clock. ``end`` is None while the pause is still running."""

    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start < day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Due:
    date: date | None
    provisional: bool = False
    paused: bool = False


def official_chinese_calendar(day: date) -> bool | None:
    """Working day per the `chinese_calendar` package, or None for a year it lacks."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass
class WorkCalendar:
    """Working days from the official data, schedules loaded later, local overrides.

    official: returns True/False for a day the official package covers, None if not.
    loaded: per loaded year, the days that differ from the weekend rule
        (True: adjusted working day, False: holiday). A loaded year wins over the package.
    overrides: local closures (False) and extra working days (True), applied last.
    """

    official: Callable[[date], bool | None] = official_chinese_calendar
    loaded: Mapping[int, Mapping[date, bool]] = field(default_factory=dict)
    overrides: Mapping[date, bool] = field(default_factory=dict)

    def is_covered(self, day: date) -> bool:
        return day.year in self.loaded or self.official(day) is not None

    def is_workday(self, day: date) -> bool:
        return self.day_status(day)[0]

    def day_status(self, day: date) -> tuple[bool, bool]:
        """(is working day, provisional)."""
        if day.year in self.loaded:
            base, provisional = self.loaded[day.year].get(day, day.weekday() < 5), False
        else:
            official = self.official(day)
            if official is None:
                base, provisional = day.weekday() < 5, True
            else:
                base, provisional = official, False
        return self.overrides.get(day, base), provisional

    def _days_after(self, start: date) -> Iterable[date]:
        day = start
        for _ in range(MAX_SPAN_DAYS):
            day += ONE_DAY
            yield day
        raise ValueError("deadline too far away")

    def add_working_days(self, start: date, days: int, pauses: Iterable[Pause] = ()) -> Due:
        if days < 0:
            raise ValueError("days must be >= 0")
        pauses = tuple(pauses)
        if any(p.end is None for p in pauses):
            return Due(None, provisional=False, paused=True)
        if days == 0:
            return Due(start, provisional=not self.is_covered(start))
        counted = 0
        provisional = False
        for day in self._days_after(start):
            workday, unsure = self.day_status(day)
            provisional = provisional or unsure
            if workday and not any(p.covers(day) for p in pauses):
                counted += 1
                if counted == days:
                    return Due(day, provisional=provisional)
        raise AssertionError("unreachable")

    def add_natural_days(self, start: date, days: int, pauses: Iterable[Pause] = ()) -> Due:
        if days < 0:
            raise ValueError("days must be >= 0")
        pauses = tuple(pauses)
        if any(p.end is None for p in pauses):
            return Due(None, provisional=False, paused=True)
        day = start
        if days:
            counted = 0
            for day in self._days_after(start):
                if not any(p.covers(day) for p in pauses):
                    counted += 1
                    if counted == days:
                        break
        # The last day falling on a rest day moves to the next working day.
        workday, unsure = self.day_status(day)
        provisional = unsure
        while not workday:
            day += ONE_DAY
            workday, unsure = self.day_status(day)
            provisional = provisional or unsure
        return Due(day, provisional=provisional)

    def due(
        self, start: date, days: int, unit: str = LimitUnit.WORKING, pauses: Iterable[Pause] = ()
    ) -> Due:
        if unit == LimitUnit.NATURAL:
            return self.add_natural_days(start, days, pauses)
        return self.add_working_days(start, days, pauses)

    def working_days_between(self, start: date, end: date, pauses: Iterable[Pause] = ()) -> int:
        """Working days counted after ``start`` up to and including ``end``.

        Negative when ``end`` is before ``start`` (days overdue).
        """
        pauses = tuple(pauses)
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day) and not any(p.covers(day) for p in pauses):
                count += 1
        return sign * count

    def next_workday(self, day: date) -> date:
        for candidate in self._days_after(day):
            if self.is_workday(candidate):
                return candidate
        raise AssertionError("unreachable")


def parse_schedule(text: str) -> dict[date, bool]:
    """Parse a year's official schedule from text.

    One entry a line: ``YYYY-MM-DD 休`` (holiday) or ``YYYY-MM-DD 班`` (adjusted
    working day); a range ``YYYY-MM-DD~YYYY-MM-DD 休``; an optional name after the
    kind; ``#`` starts a comment. Also accepted: holiday / workday, h / w, 0 / 1.
    Raises ValueError naming the line and what is wrong (in Chinese).
    """
    kinds = {
        "休": False, "假": False, "holiday": False, "h": False, "0": False, "off": False,
        "班": True, "上班": True, "workday": True, "w": True, "1": True, "work": True,
    }
    days: dict[date, bool] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].replace(",", " ").replace("，", " ").replace("\t", " ")
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2:
            raise ValueError(f"第{number}行：缺少类型（休 或 班）。")
        span, kind = parts[0], parts[1].lower()
        if kind not in kinds:
            raise ValueError(f"第{number}行：类型“{parts[1]}”无法识别，应为“休”或“班”。")
        first_text, _, last_text = span.partition("~")
        try:
            first = date.fromisoformat(first_text)
            last = date.fromisoformat(last_text) if last_text else first
        except ValueError:
            raise ValueError(f"第{number}行：日期“{span}”格式不正确，应为 2027-01-01。") from None
        if last < first or (last - first).days > 31:
            raise ValueError(f"第{number}行：日期范围“{span}”不正确。")
        day = first
        while day <= last:
            if day in days and days[day] != kinds[kind]:
                raise ValueError(f"第{number}行：{day.isoformat()} 前后矛盾。")
            days[day] = kinds[kind]
            day += ONE_DAY
    return days
