"""A center's opening hours as one schedule (R-HALL-2, R-HALL-6). Pure: no Django.

A schedule is a list of periods. Each period has a time of day, the weekdays it
applies to, a season (all year, summer or winter) and whether it is regular office
hours or extended service (错时延时: a Saturday morning, a weekday evening), and for
extended service which service categories (and windows) serve then; no categories
means every category.

The work calendar decides the kind of a day: a holiday (or a local closure) is
closed; a working day has its regular periods (an adjusted working day on a weekend,
调休上班, has a Monday's); every day that is not a holiday has the extended periods of
its weekday. Ticket issue, appointment slots and the public pages all read this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

ALL = "all"
SUMMER = "summer"
WINTER = "winter"
SEASON_LABELS = {ALL: "全年", SUMMER: "夏季", WINTER: "冬季"}
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAY_LONG = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WORKWEEK = frozenset(range(5))
HOLIDAY_LINE = "法定节假日休息"


@dataclass(frozen=True)
class Period:
    start: time
    end: time
    weekdays: frozenset[int] = WORKWEEK  # 0 = Monday
    season: str = ALL
    extended: bool = False
    categories: frozenset[int] = frozenset()  # category ids; empty: every category
    windows: frozenset[int] = frozenset()  # window numbers serving then (extended service)
    category_names: tuple[str, ...] = ()  # for the text of the public pages

    def serves(self, category_id: int | None) -> bool:
        return category_id is None or not self.categories or category_id in self.categories

    def covers(self, moment: time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class DayKind:
    """What the work calendar says of a day: working or not, and a holiday or not."""

    workday: bool
    holiday: bool


@dataclass(frozen=True)
class Schedule:
    periods: tuple[Period, ...] = ()
    summer_start: tuple[int, int] = (5, 1)  # (month, day), inclusive
    summer_end: tuple[int, int] = (9, 30)  # (month, day), inclusive
    stored: bool = field(default=False, compare=False)  # set by the center, not the default

    @property
    def has_seasons(self) -> bool:
        return any(p.season != ALL for p in self.periods)


# Used for a center that has not set its hours: weekdays 9:00–12:00 and 14:00–17:00.
DEFAULT = Schedule(
    periods=(Period(time(9), time(12)), Period(time(14), time(17))),
)


class ScheduleError(ValueError):
    """A schedule that cannot be: the message is for people (Chinese)."""


def check(schedule: Schedule) -> None:
    """Raise ScheduleError for periods that end before they start or overlap each other."""
    for m, d in (schedule.summer_start, schedule.summer_end):
        try:
            date(2024, m, d)
        except ValueError:
            raise ScheduleError("夏季起止日期不正确。") from None
    if schedule.summer_start > schedule.summer_end:
        raise ScheduleError("夏季开始日期应早于结束日期。")
    for p in schedule.periods:
        if p.end <= p.start:
            raise ScheduleError(f"{_hm(p.start)}-{_hm(p.end)}：结束时间应晚于开始时间。")
        if not p.weekdays:
            raise ScheduleError(f"{_hm(p.start)}-{_hm(p.end)}：请至少选择一天。")
        if p.season not in SEASON_LABELS:
            raise ScheduleError("季节不正确。")
    periods = list(schedule.periods)
    for i, a in enumerate(periods):
        for b in periods[i + 1 :]:
            same_days = a.weekdays & b.weekdays
            same_season = ALL in (a.season, b.season) or a.season == b.season
            if same_days and same_season and a.start < b.end and b.start < a.end:
                days = "、".join(WEEKDAY_NAMES[d] for d in sorted(same_days))
                raise ScheduleError(
                    f"{days}的{_hm(a.start)}-{_hm(a.end)}与{_hm(b.start)}-{_hm(b.end)}重叠。"
                )


def season_of(schedule: Schedule, day: date) -> str:
    return (
        SUMMER if schedule.summer_start <= (day.month, day.day) <= schedule.summer_end else WINTER
    )


def periods_on(schedule: Schedule, day: date, kind: DayKind) -> list[Period]:
    """The periods a center is open on ``day``, by start time."""
    if kind.holiday:
        return []
    season = season_of(schedule, day)
    weekday = day.weekday()
    if kind.workday and weekday >= 5:
        weekday = 0  # an adjusted working day keeps a Monday's hours
    found = [
        p
        for p in schedule.periods
        if p.season in (ALL, season) and weekday in p.weekdays and (p.extended or kind.workday)
    ]
    return sorted(found, key=lambda p: p.start)


def open_period(
    schedule: Schedule, moment: datetime, kind: DayKind, category_id: int | None = None
) -> Period | None:
    """The period serving ``category_id`` at ``moment`` (local, naive or aware), if any."""
    for p in periods_on(schedule, moment.date(), kind):
        if p.covers(moment.time()) and p.serves(category_id):
            return p
    return None


def next_opening(
    schedule: Schedule,
    moment: datetime,
    kind_of: Callable[[date], DayKind],
    category_id: int | None = None,
    horizon_days: int = 31,
) -> datetime | None:
    """The next start of a period serving ``category_id`` after ``moment``."""
    for offset in range(horizon_days + 1):
        day = moment.date() + timedelta(days=offset)
        for p in periods_on(schedule, day, kind_of(day)):
            if not p.serves(category_id):
                continue
            start = datetime.combine(day, p.start, tzinfo=moment.tzinfo)
            if start > moment:
                return start
    return None


def split(periods: Iterable[Period], minutes: int = 30) -> list[tuple[time, time, Period]]:
    """Appointment slots of ``minutes`` inside the periods (a remainder is dropped)."""
    out = []
    for p in periods:
        t = datetime.combine(date(2000, 1, 1), p.start)
        stop = datetime.combine(date(2000, 1, 1), p.end)
        step = timedelta(minutes=minutes)
        while t + step <= stop:
            out.append((t.time(), (t + step).time(), p))
            t += step
    return out


# --- words ----------------------------------------------------------------------------------


def _hm(t: time) -> str:
    return f"{t.hour}:{t.minute:02d}"


def weekdays_text(days: Iterable[int]) -> str:
    days = sorted(set(days))
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_NAMES[days[0]]}至{WEEKDAY_NAMES[days[-1]]}"
    return "、".join(WEEKDAY_NAMES[d] for d in days)


def _md(md: tuple[int, int]) -> str:
    return f"{md[0]}月{md[1]}日"


def season_text(schedule: Schedule, season: str) -> str:
    if season == SUMMER:
        return f"夏季，{_md(schedule.summer_start)}至{_md(schedule.summer_end)}"
    if season == WINTER:
        after = date(2024, *schedule.summer_end) + timedelta(days=1)
        before = date(2024, *schedule.summer_start) - timedelta(days=1)
        return f"冬季，{after.month}月{after.day}日至次年{before.month}月{before.day}日"
    return ""


def describe(schedule: Schedule) -> list[str]:
    """The schedule in words, one line per group of days and season, e.g.
    "周一至周五 9:00-12:00，14:00-17:00（冬季，10月1日至次年4月30日）"."""
    groups: dict[tuple, list[Period]] = {}
    for p in sorted(schedule.periods, key=lambda p: (p.extended, min(p.weekdays), p.start)):
        key = (p.extended, tuple(sorted(p.weekdays)), p.categories)
        groups.setdefault(key, []).append(p)
    lines = []
    for (extended, days, _), periods in groups.items():
        seasons = [x for x in (SUMMER, WINTER) if any(p.season == x for p in periods)]
        for season in seasons or [ALL]:
            chosen = [p for p in periods if p.season in (ALL, season)]
            times = "，".join(f"{_hm(p.start)}-{_hm(p.end)}" for p in chosen)
            line = f"{weekdays_text(days)} {times}"
            if extended:
                names = chosen[0].category_names
                line += " 错时延时服务" + (f"（{'、'.join(names)}）" if names else "")
            if season != ALL:
                line += f"（{season_text(schedule, season)}）"
            lines.append(line)
    lines.append(HOLIDAY_LINE)
    return lines


def moment_text(moment: datetime, today: date | None = None) -> str:
    """ "今天14:00", "明天9:00" or "12月7日（星期一）9:00"."""
    day = moment.date()
    if today is not None and day == today:
        prefix = "今天"
    elif today is not None and day == today + timedelta(days=1):
        prefix = "明天"
    else:
        prefix = f"{day.month}月{day.day}日（{WEEKDAY_LONG[day.weekday()]}）"
    return f"{prefix}{_hm(moment.time())}"
