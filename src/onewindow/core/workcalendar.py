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
from functools import lru_cache

ONE_DAY = timedelta(days=1)
MAX_SPAN_DAYS = 366 * 20


class LimitUnit(StrEnum):
    WORKING = "working"
    NATURAL = "natural"


class DayKind(StrEnum):
    """What a day is, for showing a month: the reason behind working or not."""

    WORKDAY = "workday"  # an ordinary weekday
    WEEKEND = "weekend"  # an ordinary Saturday or Sunday
    HOLIDAY = "holiday"  # an official holiday (法定节假日/调休放假)
    ADJUSTED_WORKDAY = "adjusted_workday"  # a weekend day worked in exchange (调休上班)
    LOCAL_CLOSURE = "local_closure"  # closed by a local decision
    LOCAL_WORKDAY = "local_workday"  # opened by a local decision


DAY_KIND_LABELS = {
    DayKind.WORKDAY: "工作日",
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "节假日",
    DayKind.ADJUSTED_WORKDAY: "调休上班",
    DayKind.LOCAL_CLOSURE: "本地休息",
    DayKind.LOCAL_WORKDAY: "本地加班",
}

# The English names of ``chinese_calendar.Holiday``, in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class DayInfo:
    day: date
    workday: bool
    kind: DayKind
    provisional: bool
    name: str = ""

    @property
    def kind_label(self) -> str:
        return DAY_KIND_LABELS[self.kind]


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


@lru_cache(maxsize=1)
def official_years() -> frozenset[int]:
    """The years the `chinese_calendar` package has official data for."""
    import chinese_calendar

    return frozenset(d.year for d in chinese_calendar.holidays) | frozenset(
        d.year for d in chinese_calendar.workdays
    )


@lru_cache(maxsize=16384)
def official_chinese_calendar(day: date) -> bool | None:
    """Working day per the `chinese_calendar` package, or None for a year it lacks."""
    if day.year not in official_years():
        return None
    import chinese_calendar

    return bool(chinese_calendar.is_workday(day))


def official_holiday_name(day: date) -> str:
    """The Chinese name of the festival a day belongs to in the package, or ""."""
    if day.year not in official_years():
        return ""
    import chinese_calendar

    _, holiday = chinese_calendar.get_holiday_detail(day)
    if holiday is None:
        return ""
    return HOLIDAY_NAMES.get(str(holiday), str(holiday))


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
    # For display only: names of loaded schedule days, reasons of local overrides,
    # and the festival names of the official data.
    names: Mapping[date, str] = field(default_factory=dict)
    override_reasons: Mapping[date, str] = field(default_factory=dict)
    official_name: Callable[[date], str] = official_holiday_name
    # Answers already worked out; a calendar is built from fixed data and never changes.
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def is_covered(self, day: date) -> bool:
        return day.year in self.loaded or self.official(day) is not None

    def is_workday(self, day: date) -> bool:
        return self.day_status(day)[0]

    def day_status(self, day: date) -> tuple[bool, bool]:
        """(is working day, provisional)."""
        known = self._memo.get(day)
        if known is not None:
            return known
        known = self._memo[day] = self._day_status(day)
        return known

    def _day_status(self, day: date) -> tuple[bool, bool]:
        if day.year in self.loaded:
            base, provisional = self.loaded[day.year].get(day, day.weekday() < 5), False
        else:
            official = self.official(day)
            if official is None:
                base, provisional = day.weekday() < 5, True
            else:
                base, provisional = official, False
        return self.overrides.get(day, base), provisional

    def describe(self, day: date) -> DayInfo:
        """The day with the reason it is (or is not) a working day."""
        workday, provisional = self.day_status(day)
        weekday = day.weekday() < 5
        if day in self.overrides:
            kind = DayKind.LOCAL_WORKDAY if workday else DayKind.LOCAL_CLOSURE
            return DayInfo(day, workday, kind, provisional, self.override_reasons.get(day, ""))
        if day.year in self.loaded:
            name = self.names.get(day, "")
            listed = day in self.loaded[day.year]
        elif provisional:
            name, listed = "", False
        else:
            name = self.official_name(day)
            listed = bool(name)
        if workday:
            kind = DayKind.WORKDAY if weekday else DayKind.ADJUSTED_WORKDAY
        else:
            kind = DayKind.HOLIDAY if weekday or listed else DayKind.WEEKEND
        return DayInfo(day, workday, kind, provisional, name)

    def month(self, year: int, month: int) -> list[list[DayInfo | None]]:
        """The weeks of a month, Monday first; days outside the month are None."""
        first = date(year, month, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - ONE_DAY
        weeks: list[list[DayInfo | None]] = []
        week: list[DayInfo | None] = [None] * first.weekday()
        day = first
        while day <= last:
            week.append(self.describe(day))
            if len(week) == 7:
                weeks.append(week)
                week = []
            day += ONE_DAY
        if week:
            weeks.append(week + [None] * (7 - len(week)))
        return weeks

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


def parse_schedule(text: str, year: int | None = None) -> dict[date, bool]:
    """Parse a year's official schedule from text: day → is working day.

    See ``parse_schedule_entries`` for the format.
    """
    return {day: workday for day, (workday, _) in parse_schedule_entries(text, year).items()}


def parse_schedule_entries(text: str, year: int | None = None) -> dict[date, tuple[bool, str]]:
    """Parse a year's official schedule from text: day → (is working day, name).

    One entry a line: ``YYYY-MM-DD 休`` (holiday) or ``YYYY-MM-DD 班`` (adjusted
    working day); a range ``YYYY-MM-DD~YYYY-MM-DD 休``; an optional name after the
    kind; ``#`` starts a comment. Also accepted: holiday / workday, h / w, 0 / 1.
    With ``year``, every date must fall in that year.
    Raises ValueError naming the line and what is wrong (in Chinese).
    """
    kinds = {
        "休": False,
        "假": False,
        "holiday": False,
        "h": False,
        "0": False,
        "off": False,
        "班": True,
        "上班": True,
        "workday": True,
        "w": True,
        "1": True,
        "work": True,
    }
    days: dict[date, tuple[bool, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].replace(",", " ").replace("，", " ").replace("\t", " ")
        line = line.replace("\u3000", " ").replace("～", "~").replace("\ufeff", "")
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2:
            raise ValueError(f"第{number}行：缺少类型（休 或 班）。")
        span, kind = parts[0], parts[1].lower()
        name = " ".join(parts[2:])[:50]
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
        if year is not None and (first.year != year or last.year != year):
            raise ValueError(f"第{number}行：日期“{span}”不在{year}年内。")
        day = first
        while day <= last:
            if day in days and days[day][0] != kinds[kind]:
                raise ValueError(f"第{number}行：{day.isoformat()} 前后矛盾。")
            days[day] = (kinds[kind], name or (days[day][1] if day in days else ""))
            day += ONE_DAY
    return days
