"""How much leader duty is enough (R-SUP-1, R-SUP-3): the one place the rule is defined.

Pure: no Django. The selectors feed it the hours signed in per day of a leader and the
working days of the quarter; pages show ``RULE_TEXT`` next to the figures.

- A day counts by the hours signed in on it (sign-in to sign-out, added up over the
  day): at least ``FULL_DAY_HOURS`` is a full day, at least ``HALF_DAY_HOURS`` a half
  day, less counts nothing.
- A department head (主要领导): at least 2 full days in the quarter (每季度不少于2次、
  时间不少于1天).
- A deputy (分管领导): a half day in every week of the quarter that has a working day
  (每周不少于1次、时间不少于半天); the current week is due only once it is over.
- A county leader (县级领导坐班, where the county adopts it): the number of half days
  the county sets per quarter, a full day counting as two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

HALF_DAY_HOURS = 4.0
FULL_DAY_HOURS = 7.0
HEAD_FULL_DAYS = 2

HEAD, DEPUTY, COUNTY = "head", "deputy", "county"

RULE_TEXT = {
    HEAD: f"部门主要领导每季度坐班不少于{HEAD_FULL_DAYS}次、每次不少于1天",
    DEPUTY: "部门分管领导每周坐班不少于1次、每次不少于半天（本季度内有工作日的每一周）",
    COUNTY: "县级领导按本县规定的每季度半天数坐班（1个全天按2个半天计）",
}
DAY_TEXT = (
    f"按当日签到至签退的累计时长计：满{FULL_DAY_HOURS:g}小时为1天，"
    f"满{HALF_DAY_HOURS:g}小时为半天，不足{HALF_DAY_HOURS:g}小时不计。"
)


def day_credit(hours: float) -> float:
    """A day's worth in days: 1, 0.5 or 0."""
    if hours >= FULL_DAY_HOURS:
        return 1.0
    if hours >= HALF_DAY_HOURS:
        return 0.5
    return 0.0


@dataclass(frozen=True)
class Assessment:
    kind: str
    days: float  # days credited in the quarter (full 1, half 0.5)
    hours: float
    done: int  # what the rule counts: full days, weeks met, half days
    required: int
    unit: str
    over: bool  # the quarter is over

    @property
    def short(self) -> bool:
        return self.done < self.required

    @property
    def flagged(self) -> bool:
        """Short in a finished quarter, or short with no time left to catch up."""
        return self.short and self.over

    @property
    def rule(self) -> str:
        return RULE_TEXT[self.kind]


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    nxt = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, nxt - timedelta(days=1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def assess(
    kind: str,
    day_hours: Mapping[date, float],
    *,
    start: date,
    end: date,
    today: date,
    is_workday: Callable[[date], bool],
    county_half_days: int = 0,
) -> Assessment:
    """A leader's quarter from the hours signed in per day (days outside are ignored)."""
    hours = {d: h for d, h in day_hours.items() if start <= d <= end}
    credits = {d: day_credit(h) for d, h in hours.items()}
    days = sum(credits.values())
    total = sum(hours.values())
    over = today > end
    if kind == HEAD:
        done = sum(1 for c in credits.values() if c >= 1)
        return Assessment(kind, days, total, done, HEAD_FULL_DAYS, "全天", over)
    if kind == DEPUTY:
        met = {_week(d) for d, c in credits.items() if c >= 0.5}
        due: set[tuple[int, int]] = set()
        day = start
        while day <= min(end, today):
            week = _week(day)
            week_over = day + timedelta(days=6 - day.weekday()) < today
            if is_workday(day) and (week_over or week in met):
                due.add(week)
            day += timedelta(days=1)
        return Assessment(kind, days, total, len(met & due), len(due), "周", over)
    units = int(sum(2 if c >= 1 else 1 if c > 0 else 0 for c in credits.values()))
    return Assessment(kind, days, total, units, county_half_days, "个半天", over)


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso[0], iso[1]
