"""The demand forecast (R-HALL-4): day patterns from the work calendar, the forecast
per pattern, and its error on held-back days, against hand counts."""

import datetime as dt

import pytest

from onewindow.planning.forecast import (
    AFTER_HOLIDAY,
    MONTH_FIRST,
    MONTH_LAST,
    backtest,
    fit,
    mape,
    pattern_of,
)

D = dt.date
# October 2026: closed 1–7 (National Day), Saturday 10 worked; else weekends closed.
CLOSED = {D(2026, 10, d) for d in range(1, 8)}
WORKED = {D(2026, 10, 10)}


def is_workday(day):
    if day in WORKED:
        return True
    return day not in CLOSED and day.weekday() < 5


def test_r_hall_4_day_patterns_follow_the_work_calendar():
    assert pattern_of(D(2026, 10, 8), is_workday) == AFTER_HOLIDAY  # after 1–7 October
    assert pattern_of(D(2026, 10, 12), is_workday) == "wd0"  # an ordinary Monday
    assert pattern_of(D(2026, 10, 30), is_workday) == MONTH_LAST  # Friday, last of month
    assert pattern_of(D(2026, 11, 2), is_workday) == MONTH_FIRST  # Monday, first of November
    assert pattern_of(D(2026, 11, 3), is_workday) == "wd1"


def test_r_hall_4_forecast_is_the_mean_of_the_same_pattern_with_fallbacks():
    history = {
        D(2026, 11, 9): {(0, 18): 4, (1, 18): 2},  # Monday
        D(2026, 11, 16): {(0, 18): 6},  # Monday
        D(2026, 11, 10): {(0, 18): 1},  # Tuesday
    }
    patterns = {d: pattern_of(d, is_workday) for d in history}
    model = fit(history, patterns)
    monday = D(2026, 11, 23)
    assert model.predict(monday, "wd0") == {(0, 18): 5, (1, 18): 1}
    # No day after a long holiday seen yet: the weekday stands in.
    assert model.predict(D(2026, 11, 24), AFTER_HOLIDAY) == {(0, 18): 1}
    assert model.basis(D(2026, 11, 24), AFTER_HOLIDAY) == "星期二"


def test_r_hall_4_mape_on_held_back_days_is_the_hand_count():
    assert mape([10, 20, 0], [12, 15, 3]) == pytest.approx((0.2 + 0.25) / 2)
    assert mape([0, 0], [1, 2]) is None
    # Three Mondays; the last two are held back and forecast from those before.
    history = {
        D(2026, 11, 9): {(0, 18): 10},
        D(2026, 11, 16): {(0, 18): 20},
        D(2026, 11, 23): {(0, 18): 12},
    }
    patterns = {d: "wd0" for d in history}
    bt = backtest(history, patterns, [0], holdout=2)
    assert bt.predicted[0] == [10, 15]
    assert bt.actual[0] == [20, 12]
    assert bt.error[0] == pytest.approx((10 / 20 + 3 / 12) / 2)
