"""The pure work calendar (R-CASE-4) against the official 2026 data; no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.core.workcalendar import (
    DayKind,
    LimitUnit,
    Pause,
    WorkCalendar,
    official_chinese_calendar,
    parse_schedule,
    parse_schedule_entries,
)


def official_until_2026(day: date) -> bool | None:
    """The package as it is today: 2027 not published yet (pinned so that a newer
    package does not change what these tests mean)."""
    return None if day.year >= 2027 else official_chinese_calendar(day)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(official=official_until_2026)


def test_r_case_4_design_example_accepted_tuesday_before_national_day(cal):
    due = cal.add_working_days(date(2026, 9, 29), 5)
    assert due.date == date(2026, 10, 12)
    assert not due.provisional and not due.paused


def test_r_case_4_adjusted_saturday_counts_and_holidays_do_not(cal):
    assert not cal.is_workday(date(2026, 10, 1))
    assert cal.is_workday(date(2026, 10, 10))  # Saturday worked in exchange
    assert not cal.is_workday(date(2026, 10, 11))
    # 9-30, 10-8, 10-9, 10-10 → the 4th working day is the adjusted Saturday
    assert cal.add_working_days(date(2026, 9, 29), 4).date == date(2026, 10, 10)


def test_r_case_4_pause_over_national_day_resumes_next_working_day(cal):
    # Paused on 9-30 (corrections notice) and resumed on 10-09: working days from
    # 10-01 through 10-09 are taken out; 9-30 already counted as day 1.
    pause = Pause(date(2026, 9, 30), date(2026, 10, 9))
    due = cal.add_working_days(date(2026, 9, 29), 5, [pause])
    # 9-30 (1), 10-10 (2), 10-12 (3), 10-13 (4), 10-14 (5)
    assert due.date == date(2026, 10, 14)
    assert cal.working_days_between(date(2026, 9, 29), date(2026, 10, 14), [pause]) == 5


def test_r_case_4_pause_starting_on_acceptance_day_removes_nothing_before_it(cal):
    pause = Pause(date(2026, 9, 29), date(2026, 9, 30))
    # 9-30 is inside the pause; counting resumes 10-08
    assert cal.add_working_days(date(2026, 9, 29), 1, [pause]).date == date(2026, 10, 8)


def test_r_case_4_running_pause_has_no_due_date(cal):
    due = cal.add_working_days(date(2026, 9, 29), 5, [Pause(date(2026, 9, 30))])
    assert due.date is None and due.paused


def test_r_case_4_natural_days_end_moves_off_a_holiday(cal):
    # 2026-09-25 + 7 natural days = 10-02 (National Day) → next working day 10-08
    due = cal.due(date(2026, 9, 25), 7, LimitUnit.NATURAL)
    assert due.date == date(2026, 10, 8)
    # ending on an ordinary working day stays put
    assert cal.due(date(2026, 6, 1), 3, LimitUnit.NATURAL).date == date(2026, 6, 4)


def test_r_case_4_zero_days_is_the_day_itself(cal):
    assert cal.add_working_days(date(2026, 10, 12), 0).date == date(2026, 10, 12)
    assert not cal.add_working_days(date(2026, 10, 12), 0).provisional
    assert cal.add_working_days(date(2027, 3, 1), 0).provisional


def test_r_case_4_negative_days_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 1, 5), -1)


def test_r_case_4_deadline_into_2027_counts_weekends_only_and_is_provisional(cal):
    due = cal.add_working_days(date(2026, 12, 28), 5)
    # 12-29, 12-30, 12-31, then 2027-01-01 (Friday, counted: no data yet), 01-04
    assert due.date == date(2027, 1, 4)
    assert due.provisional
    # a deadline that stays in 2026 is not provisional
    assert not cal.add_working_days(date(2026, 12, 21), 5).provisional


def test_r_case_4_loaded_schedule_replaces_weekend_rule_and_ends_provisional(cal):
    loaded = WorkCalendar(
        official=official_until_2026,
        loaded={2027: parse_schedule("2027-01-01 休 元旦\n2027-01-02 班\n", 2027)},
    )
    due = loaded.add_working_days(date(2026, 12, 28), 5)
    # 12-29, 12-30, 12-31, 2027-01-02 (adjusted Saturday), 01-04
    assert due.date == date(2027, 1, 4)
    assert not due.provisional
    assert loaded.add_working_days(date(2026, 12, 28), 4).date == date(2027, 1, 2)


def test_r_case_4_local_closure_and_extra_workday(cal):
    local = WorkCalendar(
        official=official_until_2026,
        overrides={date(2026, 9, 30): False, date(2026, 10, 11): True},
    )
    # 10-08, 10-09, 10-10, 10-11 (opened locally), 10-12
    assert local.add_working_days(date(2026, 9, 29), 5).date == date(2026, 10, 12)
    assert local.add_working_days(date(2026, 9, 29), 4).date == date(2026, 10, 11)
    assert local.describe(date(2026, 9, 30)).kind == DayKind.LOCAL_CLOSURE


def test_r_case_4_working_days_between(cal):
    assert cal.working_days_between(date(2026, 9, 29), date(2026, 10, 12)) == 5
    assert cal.working_days_between(date(2026, 10, 12), date(2026, 9, 29)) == -5
    assert cal.working_days_between(date(2026, 10, 1), date(2026, 10, 1)) == 0
    assert cal.working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0


def test_r_case_4_describe_marks_holidays_adjusted_days_and_weekends(cal):
    assert cal.describe(date(2026, 10, 1)).kind == DayKind.HOLIDAY
    assert cal.describe(date(2026, 10, 1)).name == "国庆节"
    assert cal.describe(date(2026, 10, 10)).kind == DayKind.ADJUSTED_WORKDAY
    assert cal.describe(date(2026, 10, 11)).kind == DayKind.WEEKEND
    assert cal.describe(date(2026, 10, 12)).kind == DayKind.WORKDAY
    assert cal.describe(date(2027, 1, 1)).provisional


def test_r_case_4_month_grid_starts_on_monday():
    weeks = WorkCalendar(official=official_until_2026).month(2026, 10)
    assert all(len(w) == 7 for w in weeks)
    assert weeks[0][:3] == [None, None, None]  # 2026-10-01 is a Thursday
    assert weeks[0][3].day == date(2026, 10, 1)
    days = [d.day for w in weeks for d in w if d]
    assert days[0] == date(2026, 10, 1) and days[-1] == date(2026, 10, 31) and len(days) == 31


def test_r_case_4_parse_schedule_formats_and_names():
    entries = parse_schedule_entries(
        "# 2027\n2027-02-06~2027-02-12 休 春节\n2027-02-14 班 春节\n2027-01-01,h\n\n2027-10-09\tw\n"
    )
    assert entries[date(2027, 2, 6)] == (False, "春节")
    assert entries[date(2027, 2, 12)] == (False, "春节")
    assert entries[date(2027, 2, 14)] == (True, "春节")
    assert entries[date(2027, 1, 1)] == (False, "")
    assert entries[date(2027, 10, 9)] == (True, "")
    assert len(entries) == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01", "第1行：缺少类型"),
        ("2027-01-01 放", "无法识别"),
        ("\n2027-13-01 休", "第2行：日期“2027-13-01”格式不正确"),
        ("2027-02-10~2027-02-01 休", "日期范围"),
        ("2027-01-01~2027-03-01 休", "日期范围"),
        ("2027-01-01 休\n2027-01-01 班", "第2行：2027-01-01 前后矛盾"),
        ("2026-12-31 休", "不在2027年内"),
        ("2027-12-31~2028-01-01 休", "不在2027年内"),
    ],
)
def test_r_case_4_parse_schedule_errors_name_the_line(text, message):
    with pytest.raises(ValueError) as excinfo:
        parse_schedule(text, 2027)
    assert message in str(excinfo.value)


# --- properties ---------------------------------------------------------------------

starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
counts = st.integers(min_value=1, max_value=60)
CAL = WorkCalendar(official=official_until_2026)


@settings(max_examples=150, deadline=None)
@given(start=starts, days=counts)
def test_r_case_4_property_due_is_a_working_day_and_counts_exactly(start, days):
    due = CAL.add_working_days(start, days)
    assert due.date > start
    assert CAL.is_workday(due.date)
    assert CAL.working_days_between(start, due.date) == days
    assert due.provisional == (due.date.year >= 2027)


@settings(max_examples=150, deadline=None)
@given(start=starts, days=counts)
def test_r_case_4_property_monotonic_in_days(start, days):
    assert CAL.add_working_days(start, days).date < CAL.add_working_days(start, days + 1).date


@settings(max_examples=100, deadline=None)
@given(start=starts, days=counts, offset=st.integers(0, 20), length=st.integers(0, 20))
def test_r_case_4_property_a_pause_never_brings_the_deadline_forward(start, days, offset, length):
    pause_start = start + timedelta(days=offset)
    pause = Pause(pause_start, pause_start + timedelta(days=length))
    plain = CAL.add_working_days(start, days).date
    paused = CAL.add_working_days(start, days, [pause]).date
    assert paused >= plain
    assert CAL.working_days_between(start, paused, [pause]) == days


@settings(max_examples=100, deadline=None)
@given(start=starts, days=st.integers(0, 60))
def test_r_case_4_property_natural_due_is_a_working_day_not_before_n_days(start, days):
    due = CAL.due(start, days, LimitUnit.NATURAL).date
    assert CAL.is_workday(due)
    assert due >= start + timedelta(days=days)
