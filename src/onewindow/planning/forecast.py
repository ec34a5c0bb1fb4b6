"""Forecast of a hall's arrivals per category and half hour (R-HALL-4). Pure.

Each working day has a pattern: the first working day after a long holiday (three or
more days closed in a row; an ordinary weekend is two), the month's first and last
working days, else its weekday. A day's forecast is the mean of the past days of its
pattern, per category and half hour; a pattern not yet seen falls back to the weekday,
then to all days. Its error is measured on held-back history: the last days are
forecast from the days before them only, and the mean absolute percentage error of
the daily count is given per category.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

AFTER_HOLIDAY, MONTH_FIRST, MONTH_LAST = "after_holiday", "month_first", "month_last"
WEEKDAYS = "一二三四五六日"
LONG_BREAK = 3  # days closed in a row before a day for it to count as "after a holiday"

Counts = Mapping[tuple[int, int], float]  # (category, half-hour slot of the day) → people


def pattern_label(pattern: str) -> str:
    return {
        AFTER_HOLIDAY: "长假后首个工作日",
        MONTH_FIRST: "月初首个工作日",
        MONTH_LAST: "月末最后工作日",
    }.get(pattern) or f"星期{WEEKDAYS[int(pattern[2:])]}"


def pattern_of(day: dt.date, is_workday: Callable[[dt.date], bool]) -> str:
    closed, prev = 0, day - dt.timedelta(days=1)
    while closed < 30 and not is_workday(prev):
        closed += 1
        prev -= dt.timedelta(days=1)
    if closed >= LONG_BREAK:
        return AFTER_HOLIDAY
    first = day.replace(day=1)
    if all(not is_workday(first + dt.timedelta(days=k)) for k in range((day - first).days)):
        return MONTH_FIRST
    nxt = day + dt.timedelta(days=1)
    while nxt.month == day.month and not is_workday(nxt):
        nxt += dt.timedelta(days=1)
    if nxt.month != day.month:
        return MONTH_LAST
    return f"wd{day.weekday()}"


@dataclass
class Model:
    by_pattern: dict[str, list[Counts]] = field(default_factory=dict)
    by_weekday: dict[int, list[Counts]] = field(default_factory=dict)
    every: list[Counts] = field(default_factory=list)

    def predict(self, day: dt.date, pattern: str) -> dict[tuple[int, int], float]:
        days = self.by_pattern.get(pattern) or self.by_weekday.get(day.weekday()) or self.every
        return mean_counts(days)

    def basis(self, day: dt.date, pattern: str) -> str:
        if self.by_pattern.get(pattern):
            return pattern_label(pattern)
        if self.by_weekday.get(day.weekday()):
            return f"星期{WEEKDAYS[day.weekday()]}"
        return "全部历史"


def mean_counts(days: list[Counts]) -> dict[tuple[int, int], float]:
    if not days:
        return {}
    total: dict[tuple[int, int], float] = defaultdict(float)
    for counts in days:
        for key, n in counts.items():
            total[key] += n
    return {key: n / len(days) for key, n in total.items()}


def fit(history: Mapping[dt.date, Counts], patterns: Mapping[dt.date, str]) -> Model:
    model = Model()
    for day in sorted(history):
        counts = history[day]
        model.by_pattern.setdefault(patterns[day], []).append(counts)
        model.by_weekday.setdefault(day.weekday(), []).append(counts)
        model.every.append(counts)
    return model


def daily_totals(counts: Counts, categories: Iterable[int]) -> dict[int, float]:
    out = dict.fromkeys(categories, 0.0)
    for (cat, _slot), n in counts.items():
        if cat in out:
            out[cat] += n
    return out


def mape(actual: Iterable[float], predicted: Iterable[float]) -> float | None:
    """Mean absolute percentage error over the days that had arrivals (None: none)."""
    errors = [abs(a - p) / a for a, p in zip(actual, predicted, strict=True) if a > 0]
    return statistics.fmean(errors) if errors else None


@dataclass
class Backtest:
    days: list[dt.date]
    actual: dict[int, list[float]]  # category → daily counts on the held-back days
    predicted: dict[int, list[float]]
    error: dict[int, float | None]  # category → MAPE


def backtest(
    history: Mapping[dt.date, Counts],
    patterns: Mapping[dt.date, str],
    categories: Iterable[int],
    holdout: int = 5,
) -> Backtest:
    """Forecast each of the last ``holdout`` days (fewer when the history is short:
    at least one day stays to learn from) from the days before it only."""
    cats = list(categories)
    days = sorted(history)
    held = days[len(days) - min(holdout, len(days) - 1) :] if len(days) > 1 else []
    actual = {c: [] for c in cats}
    predicted = {c: [] for c in cats}
    for day in held:
        before = {d: history[d] for d in days if d < day}
        model = fit(before, patterns)
        guess = daily_totals(model.predict(day, patterns[day]), cats)
        real = daily_totals(history[day], cats)
        for c in cats:
            actual[c].append(real[c])
            predicted[c].append(guess[c])
    return Backtest(
        days=held,
        actual=actual,
        predicted=predicted,
        error={c: mape(actual[c], predicted[c]) for c in cats},
    )
