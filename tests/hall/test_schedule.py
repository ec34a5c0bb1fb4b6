"""R-HALL-2, R-HALL-6: the opening schedule as pure logic (no database)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from onewindow.hall import schedule as s

WEEK = frozenset(range(5))
POSTED = s.Schedule(
    periods=(
        s.Period(time(9), time(12), WEEK),
        s.Period(time(14, 30), time(17, 30), WEEK, season=s.SUMMER),
        s.Period(time(14), time(17), WEEK, season=s.WINTER),
        s.Period(time(9), time(12), frozenset({5}), extended=True, categories=frozenset({1})),
    )
)
WORKDAY = s.DayKind(workday=True, holiday=False)
WEEKEND = s.DayKind(workday=False, holiday=False)
HOLIDAY = s.DayKind(workday=False, holiday=True)


def spans(periods):
    return [(f"{p.start:%H:%M}", f"{p.end:%H:%M}") for p in periods]


def test_r_hall_2_winter_and_summer_hours_by_date():
    assert spans(s.periods_on(POSTED, date(2026, 12, 1), WORKDAY)) == [
        ("09:00", "12:00"),
        ("14:00", "17:00"),
    ]
    assert spans(s.periods_on(POSTED, date(2026, 5, 1), WORKDAY))[1] == ("14:30", "17:30")
    assert spans(s.periods_on(POSTED, date(2026, 9, 30), WORKDAY))[1] == ("14:30", "17:30")
    assert spans(s.periods_on(POSTED, date(2026, 10, 1), WORKDAY))[1] == ("14:00", "17:00")


def test_r_hall_6_saturday_extended_holiday_closed_adjusted_workday_open():
    saturday = date(2026, 12, 5)
    periods = s.periods_on(POSTED, saturday, WEEKEND)
    assert spans(periods) == [("09:00", "12:00")] and periods[0].extended
    assert periods[0].serves(1) and not periods[0].serves(2)
    assert s.periods_on(POSTED, date(2026, 12, 6), WEEKEND) == []  # Sunday
    assert s.periods_on(POSTED, date(2026, 10, 1), HOLIDAY) == []
    assert s.periods_on(POSTED, date(2026, 10, 3), HOLIDAY) == []  # a Saturday in the holiday
    adjusted = s.periods_on(POSTED, date(2026, 10, 10), WORKDAY)  # 调休上班, a Saturday
    assert spans(adjusted) == [("09:00", "12:00"), ("14:00", "17:00")]


def test_r_hall_2_open_period_and_the_next_opening():
    kind = {date(2026, 12, 5): WEEKEND, date(2026, 12, 6): WEEKEND}

    def kind_of(day):
        return kind.get(day, WORKDAY)

    lunch = datetime(2026, 12, 3, 12, 30)
    assert s.open_period(POSTED, lunch, WORKDAY) is None
    assert s.open_period(POSTED, datetime(2026, 12, 3, 9, 5), WORKDAY) is not None
    assert s.next_opening(POSTED, lunch, kind_of) == datetime(2026, 12, 3, 14)
    friday_evening = datetime(2026, 12, 4, 17, 30)
    assert s.next_opening(POSTED, friday_evening, kind_of, category_id=1) == datetime(
        2026, 12, 5, 9
    )
    assert s.next_opening(POSTED, friday_evening, kind_of, category_id=2) == datetime(
        2026, 12, 7, 9
    )
    assert s.moment_text(datetime(2026, 12, 7, 9), date(2026, 12, 4)) == "12月7日（星期一）9:00"
    assert s.moment_text(datetime(2026, 12, 3, 14), date(2026, 12, 3)) == "今天14:00"


def test_r_hall_6_slots_are_cut_from_the_periods():
    slots = s.split(s.periods_on(POSTED, date(2026, 12, 1), WORKDAY), 30)
    starts = [f"{a:%H:%M}" for a, _, _ in slots]
    assert starts[0] == "09:00" and "12:00" not in starts and "13:30" not in starts
    assert len(slots) == 12 and starts[6] == "14:00"


def test_r_hall_2_the_schedule_in_words():
    words = s.describe(POSTED)
    assert words[0] == "周一至周五 9:00-12:00，14:30-17:30（夏季，5月1日至9月30日）"
    assert words[1] == "周一至周五 9:00-12:00，14:00-17:00（冬季，10月1日至次年4月30日）"
    assert words[2].startswith("周六 9:00-12:00 错时延时服务")
    assert words[-1] == "法定节假日休息"


def test_r_hall_2_overlapping_or_backward_periods_are_refused():
    with pytest.raises(s.ScheduleError, match="重叠"):
        s.check(s.Schedule(periods=(s.Period(time(9), time(12)), s.Period(time(11), time(13)))))
    with pytest.raises(s.ScheduleError, match="晚于"):
        s.check(s.Schedule(periods=(s.Period(time(12), time(9)),)))
    s.check(POSTED)  # summer and winter afternoons do not overlap each other
