"""The work calendar's database side (R-CASE-4): overrides by region, loading a
year's official schedule, deadlines and their pauses, audit, permission and scope."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from onewindow.core import calendar as cal
from onewindow.core.calendar import official
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import (
    AuditEvent,
    CalendarDay,
    CalendarOverride,
    CalendarYear,
    Deadline,
    DeadlinePause,
)
from onewindow.core.workcalendar import official_chinese_calendar

SCHEDULE_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（测试用）
2027-01-01 休 元旦
2027-02-06~2027-02-12 休 春节
2027-02-14 班 春节
"""


@pytest.fixture(autouse=True)
def official_until_2026(monkeypatch):
    """Pin the package to what it holds today (2026 at most), so a newer package
    does not change what these tests mean; start every test from a clean cache."""
    monkeypatch.setattr(
        official,
        "official_source",
        lambda day: None if day.year >= 2027 else official_chinese_calendar(day),
    )
    cal.invalidate()
    yield
    cal.invalidate()


def audits(action: str):
    return AuditEvent.objects.filter(action=action)


# --- overrides by region ----------------------------------------------------------------


@pytest.mark.django_db
def test_r_case_4_county_override_applies_only_to_its_subtree(net):
    day = date(2026, 11, 2)  # a Monday
    cal.calendar_override_create(
        actor=net.county_admin, date=day, is_workday=False, reason="县城停电检修", region=net.linxia
    )
    assert not cal.calendar_for(center=net.linxia_center).is_workday(day)
    assert not cal.calendar_for(center=net.hanji_center).is_workday(day)  # township below
    assert not cal.calendar_for(center=net.village_point).is_workday(day)  # village below
    assert cal.calendar_for(center=net.kangle_center).is_workday(day)  # another county
    assert cal.calendar_for(center=net.fucheng_center).is_workday(day)
    assert cal.calendar_for(center=net.pref_center).is_workday(day)
    assert cal.calendar_for().is_workday(day)


@pytest.mark.django_db
def test_r_case_4_prefecture_override_applies_everywhere_and_the_nearer_one_wins(net):
    day = date(2026, 11, 3)
    cal.calendar_override_create(
        actor=net.pref_admin, date=day, is_workday=False, reason="全州暴雪闭厅", region=None
    )
    cal.calendar_override_create(
        actor=net.county_admin,
        date=day,
        is_workday=True,
        reason="县中心照常办公",
        region=net.linxia,
    )
    assert not cal.calendar_for().is_workday(day)
    assert not cal.calendar_for(center=net.kangle_center).is_workday(day)
    assert cal.calendar_for(center=net.linxia_center).is_workday(day)
    assert cal.calendar_for(center=net.hanji_center).is_workday(day)
    info = cal.calendar_for(center=net.kangle_center).describe(day)
    assert info.name == "全州暴雪闭厅"


@pytest.mark.django_db
def test_r_case_4_override_that_changes_nothing_or_twice_is_refused(net):
    with pytest.raises(InvalidInput) as excinfo:
        cal.calendar_override_create(
            actor=net.root, date=date(2026, 10, 1), is_workday=False, reason="国庆", region=None
        )
    assert excinfo.value.code == "calendar.override_no_change"
    cal.calendar_override_create(
        actor=net.root, date=date(2026, 11, 4), is_workday=False, reason="闭厅", region=net.kangle
    )
    with pytest.raises(Conflict) as excinfo:
        cal.calendar_override_create(
            actor=net.root,
            date=date(2026, 11, 4),
            is_workday=True,
            reason="又开",
            region=net.kangle,
        )
    assert excinfo.value.code == "calendar.override_exists"
    with pytest.raises(InvalidInput) as excinfo:
        cal.calendar_override_create(
            actor=net.root, date=date(2026, 11, 5), is_workday=False, reason="  ", region=net.kangle
        )
    assert excinfo.value.code == "calendar.reason_required"
    assert CalendarOverride.objects.count() == 1


@pytest.mark.django_db
def test_r_case_4_override_recomputes_running_deadlines_over_that_day(net):
    today = timezone.localdate()
    deadline = cal.deadline_start(
        actor=net.clerk, center=net.linxia_center, purpose="case", start=today, days=10
    )
    work = cal.calendar_for(center=net.linxia_center)
    first_workday = work.next_workday(today)
    old_due = deadline.due
    cal.calendar_override_create(
        actor=net.county_admin,
        date=first_workday,
        is_workday=False,
        reason="临时闭厅",
        region=net.linxia,
    )
    deadline.refresh_from_db()
    assert deadline.due == work.next_workday(old_due)
    assert audits("deadline.recompute").filter(target_id=str(deadline.pk)).count() == 1
    # a deadline of another county is not touched
    other = cal.deadline_start(
        actor=net.kangle_admin, center=net.kangle_center, purpose="case", start=today, days=10
    )
    assert other.due == old_due
    # deleting the override puts the due date back
    override = CalendarOverride.objects.get()
    cal.calendar_override_delete(actor=net.county_admin, override_id=override.pk)
    deadline.refresh_from_db()
    assert deadline.due == old_due


# --- the official schedule of a year the package lacks ------------------------------------


@pytest.mark.django_db
def test_r_case_4_deadline_into_2027_is_provisional_and_recomputed_when_loaded(net):
    year_end = cal.deadline_start(
        actor=net.clerk, center=net.linxia_center, purpose="case", start=date(2026, 12, 28), days=5
    )
    # 12-29, 12-30, 12-31, 2027-01-01 (a Friday: counted, no data yet), 01-04
    assert (year_end.due, year_end.provisional) == (date(2027, 1, 4), True)
    festival = cal.deadline_start(
        actor=net.clerk, center=net.linxia_center, purpose="case", start=date(2027, 2, 1), days=10
    )
    assert (festival.due, festival.provisional) == (date(2027, 2, 15), True)
    autumn = cal.deadline_start(
        actor=net.clerk, center=net.linxia_center, purpose="case", start=date(2026, 9, 29), days=5
    )
    assert (autumn.due, autumn.provisional) == (date(2026, 10, 12), False)

    loaded = cal.calendar_year_load(
        actor=net.pref_admin,
        year=2027,
        text=SCHEDULE_2027,
        source="国务院办公厅关于2027年部分节假日安排的通知",
    )
    assert loaded.recomputed == 2
    year_end.refresh_from_db()
    festival.refresh_from_db()
    autumn.refresh_from_db()
    # 01-01 is a holiday now: 12-29, 12-30, 12-31, 01-04, 01-05
    assert (year_end.due, year_end.provisional) == (date(2027, 1, 5), False)
    # 02-02..02-05 (4), holiday week, 02-14 adjusted Sunday (5), 02-15..02-19 (10)
    assert (festival.due, festival.provisional) == (date(2027, 2, 19), False)
    assert (autumn.due, autumn.provisional) == (date(2026, 10, 12), False)

    assert CalendarDay.objects.filter(year=loaded).count() == 9
    assert CalendarDay.objects.get(date=date(2027, 2, 14)).is_workday
    assert CalendarDay.objects.get(date=date(2027, 2, 6)).name == "春节"
    event = audits("calendar_year.load").get()
    assert event.actor == net.pref_admin
    assert event.after["days"]["2027-01-01"] == "休" and event.after["source"].startswith("国务院")
    moved = audits("deadline.recompute")
    assert {e.target_id for e in moved} == {str(year_end.pk), str(festival.pk)}
    assert moved.get(target_id=str(year_end.pk)).after["due"] == "2027-01-05"
    status = {s.year: s.state for s in cal.calendar_status(date(2026, 11, 20))}
    assert status == {2025: "official", 2026: "official", 2027: "loaded"}


@pytest.mark.django_db
def test_r_case_4_loading_again_replaces_the_earlier_load(net):
    cal.calendar_year_load(actor=net.root, year=2027, text=SCHEDULE_2027, source="第一版")
    deadline = cal.deadline_start(
        actor=net.root, center=net.pref_center, purpose="case", start=date(2026, 12, 31), days=1
    )
    assert deadline.due == date(2027, 1, 4)
    cal.calendar_year_load(
        actor=net.root, year=2027, text="2027-01-04 休 元旦补休\n", source="更正版"
    )
    year = CalendarYear.objects.get(year=2027)
    assert year.source == "更正版"
    assert list(year.days.values_list("date", flat=True)) == [date(2027, 1, 4)]
    deadline.refresh_from_db()
    assert deadline.due == date(2027, 1, 1)  # not provisional before, recomputed anyway
    second = audits("calendar_year.load").order_by("id").last()
    assert "2027-02-06" in second.before["days"] and list(second.after["days"]) == ["2027-01-04"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "year", "code"),
    [
        ("2027-01-01 放假", 2027, "calendar.bad_schedule"),
        ("2026-12-31 休\n", 2027, "calendar.bad_schedule"),
        ("# nothing\n\n", 2027, "calendar.bad_schedule"),
        ("2027-01-04 班\n", 2027, "calendar.bad_schedule"),
        ("2027-01-01 休\n2027-01-01 班", 2027, "calendar.bad_schedule"),
        (SCHEDULE_2027, 1999, "calendar.bad_year"),
    ],
)
def test_r_case_4_bad_schedule_changes_nothing(net, text, year, code):
    cal.calendar_year_load(actor=net.root, year=2027, text=SCHEDULE_2027, source="第一版")
    deadline = cal.deadline_start(
        actor=net.root, center=net.pref_center, purpose="case", start=date(2026, 12, 28), days=5
    )
    before = (
        CalendarYear.objects.count(),
        list(CalendarDay.objects.values_list("date", "is_workday")),
        AuditEvent.objects.count(),
        deadline.due,
    )
    with pytest.raises(InvalidInput) as excinfo:
        cal.calendar_year_load(actor=net.root, year=year, text=text, source="第二版")
    assert excinfo.value.code == code
    assert excinfo.value.message  # a Chinese message for the page
    deadline.refresh_from_db()
    after = (
        CalendarYear.objects.count(),
        list(CalendarDay.objects.values_list("date", "is_workday")),
        AuditEvent.objects.count(),
        deadline.due,
    )
    assert after == before
    assert CalendarYear.objects.get().source == "第一版"


@pytest.mark.django_db
def test_r_case_4_schedule_source_is_required(net):
    with pytest.raises(InvalidInput) as excinfo:
        cal.calendar_year_load(actor=net.root, year=2027, text=SCHEDULE_2027, source=" ")
    assert excinfo.value.code == "calendar.source_required"
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_r_case_4_load_calendar_command_acts_as_system(net, tmp_path):
    deadline = cal.deadline_start(
        actor=net.root, center=net.pref_center, purpose="case", start=date(2026, 12, 31), days=1
    )
    assert deadline.provisional
    path = tmp_path / "2027.txt"
    path.write_text(SCHEDULE_2027, encoding="gb18030")
    out = StringIO()
    call_command(
        "load_calendar", "2027", str(path), "--source", "国办发明电〔2026〕测试", stdout=out
    )
    assert "重新计算了1个时限" in out.getvalue()
    event = audits("calendar_year.load").get()
    assert event.actor is None and event.actor_label == "系统"
    deadline.refresh_from_db()
    assert (deadline.due, deadline.provisional) == (date(2027, 1, 4), False)
    bad = tmp_path / "bad.txt"
    bad.write_text("2027-01-01 休\n2028-01-01 休\n", encoding="utf-8")
    with pytest.raises(CommandError, match="calendar.bad_schedule"):
        call_command("load_calendar", "2027", str(bad), "--source", "x")
    with pytest.raises(CommandError):
        call_command("load_calendar", "2027", str(tmp_path / "missing.txt"), "--source", "x")


# --- deadlines, pauses, audit ------------------------------------------------------------


@pytest.mark.django_db
def test_r_case_4_pause_over_national_day_through_the_services(net):
    deadline = cal.deadline_start(
        actor=net.clerk, center=net.linxia_center, purpose="case", start=date(2026, 9, 29), days=5
    )
    assert deadline.due == date(2026, 10, 12)
    start_event = audits("deadline.start").get(target_id=str(deadline.pk))
    assert start_event.center == net.linxia_center and start_event.after["due"] == "2026-10-12"

    cal.deadline_pause(
        actor=net.clerk, deadline=deadline, on=date(2026, 9, 30), reason="一次性告知补正"
    )
    deadline.refresh_from_db()
    assert deadline.paused and deadline.due is None
    with pytest.raises(Conflict):
        cal.deadline_pause(actor=net.clerk, deadline=deadline, on=date(2026, 10, 8), reason="again")
    pause_event = audits("deadline.pause").get(target_id=str(deadline.pk))
    assert pause_event.before["due"] == "2026-10-12" and pause_event.after["due"] is None

    with pytest.raises(InvalidInput):
        cal.deadline_resume(actor=net.clerk, deadline=deadline, on=date(2026, 9, 29))
    cal.deadline_resume(actor=net.clerk, deadline=deadline, on=date(2026, 10, 9))
    deadline.refresh_from_db()
    # 9-30 counted (1); 10-01..10-09 taken out; 10-10 (2), 10-12, 10-13, 10-14 (5)
    assert (deadline.due, deadline.paused) == (date(2026, 10, 14), False)
    resume_event = audits("deadline.resume").get(target_id=str(deadline.pk))
    assert resume_event.after["due"] == "2026-10-14"
    assert resume_event.after["pauses"][0]["end"] == "2026-10-09"
    with pytest.raises(Conflict):
        cal.deadline_resume(actor=net.clerk, deadline=deadline, on=date(2026, 10, 12))
    with pytest.raises(InvalidInput):  # before the previous pause ended
        cal.deadline_pause(actor=net.clerk, deadline=deadline, on=date(2026, 10, 8), reason="x")


@pytest.mark.django_db
def test_r_case_4_natural_days_and_zero_days(net):
    natural = cal.deadline_start(
        actor=net.root,
        center=net.pref_center,
        purpose="complaint",
        start=date(2026, 9, 25),
        days=7,
        unit="natural",
    )
    assert natural.due == date(2026, 10, 8)
    zero = cal.deadline_start(
        actor=net.root, center=net.pref_center, purpose="instant", start=date(2026, 10, 12), days=0
    )
    assert zero.due == date(2026, 10, 12)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"days": -1}, "deadline.bad_days"),
        ({"days": 5000}, "deadline.bad_days"),
        ({"unit": "hours"}, "deadline.bad_unit"),
        ({"purpose": ""}, "deadline.bad_purpose"),
        ({"start": date(1990, 1, 1)}, "calendar.date_out_of_range"),
        ({"start": "2026-10-01"}, "calendar.bad_date"),
    ],
)
def test_r_case_4_bad_deadline_input_changes_nothing(net, kwargs, code):
    args = {"purpose": "case", "start": date(2026, 10, 12), "days": 5} | kwargs
    with pytest.raises(InvalidInput) as excinfo:
        cal.deadline_start(actor=net.root, center=net.pref_center, **args)
    assert excinfo.value.code == code
    assert not Deadline.objects.exists() and not audits("deadline.start").exists()


@pytest.mark.django_db
def test_r_case_4_recompute_services(net):
    deadline = cal.deadline_start(
        actor=net.root, center=net.pref_center, purpose="case", start=date(2026, 12, 30), days=3
    )
    assert (deadline.due, deadline.provisional) == (date(2027, 1, 4), True)
    assert cal.deadline_recompute_provisional() == 0  # nothing changed yet
    CalendarYear.objects.create(year=2027, source="direct")  # loaded without the service
    CalendarDay.objects.create(
        year=CalendarYear.objects.get(), date=date(2027, 1, 1), is_workday=False
    )
    assert cal.deadline_recompute(deadline).due == date(2027, 1, 5)
    assert audits("deadline.recompute").get().note == "重新计算"
    with pytest.raises(NotFound):
        cal.deadline_recompute(999999)


# --- permission and scope -----------------------------------------------------------------


@pytest.mark.django_db
def test_r_case_4_county_admin_cannot_touch_another_county_or_the_prefecture(net):
    day = date(2026, 11, 9)
    with pytest.raises(NotFound):
        cal.calendar_override_create(
            actor=net.county_admin, date=day, is_workday=False, reason="越权", region=net.kangle
        )
    with pytest.raises(NotFound):
        cal.calendar_override_create(
            actor=net.county_admin, date=day, is_workday=False, reason="越权", region=net.fucheng
        )
    with pytest.raises(Forbidden) as excinfo:
        cal.calendar_override_create(
            actor=net.county_admin, date=day, is_workday=False, reason="越权", region=None
        )
    assert excinfo.value.code == "calendar.prefecture_only"
    with pytest.raises(Forbidden):
        cal.calendar_year_load(actor=net.county_admin, year=2027, text=SCHEDULE_2027, source="x")
    with pytest.raises(Forbidden) as excinfo:
        cal.calendar_override_create(
            actor=net.clerk, date=day, is_workday=False, reason="越权", region=net.linxia
        )
    assert excinfo.value.code == "calendar.not_manager"
    with pytest.raises(Forbidden):
        cal.calendar_year_load(actor=net.pref_supervisor, year=2027, text=SCHEDULE_2027, source="x")
    assert not CalendarOverride.objects.exists() and not CalendarYear.objects.exists()
    assert not audits("calendar_override.create").exists()

    # within its subtree the county admin may act
    own = cal.calendar_override_create(
        actor=net.county_admin, date=day, is_workday=False, reason="镇中心闭厅", region=net.hanji
    )
    other = cal.calendar_override_create(
        actor=net.kangle_admin, date=day, is_workday=False, reason="康乐闭厅", region=net.kangle
    )
    wide = cal.calendar_override_create(
        actor=net.pref_admin, date=date(2026, 11, 10), is_workday=False, reason="全州", region=None
    )
    with pytest.raises(NotFound):
        cal.calendar_override_delete(actor=net.county_admin, override_id=other.pk)
    with pytest.raises(Forbidden):
        cal.calendar_override_delete(actor=net.county_admin, override_id=wide.pk)
    with pytest.raises(NotFound):
        cal.calendar_override_delete(actor=net.county_admin, override_id=999999)
    cal.calendar_override_delete(actor=net.county_admin, override_id=own.pk)
    assert set(CalendarOverride.objects.values_list("pk", flat=True)) == {other.pk, wide.pk}
    created = audits("calendar_override.create")
    assert created.count() == 3
    assert created.get(target_id=str(own.pk)).after["region_path"] == net.hanji.path
    deleted = audits("calendar_override.delete").get()
    assert deleted.target_id == str(own.pk) and deleted.actor == net.county_admin
    assert deleted.before["reason"] == "镇中心闭厅"


@pytest.mark.django_db
def test_r_case_4_deadline_of_another_county_is_not_found(net):
    deadline = cal.deadline_start(
        actor=net.clerk, center=net.linxia_center, purpose="case", start=date(2026, 10, 12), days=5
    )
    with pytest.raises(NotFound):
        cal.deadline_start(
            actor=net.kangle_admin,
            center=net.linxia_center,
            purpose="case",
            start=date(2026, 10, 12),
            days=5,
        )
    with pytest.raises(NotFound):
        cal.deadline_pause(
            actor=net.kangle_admin, deadline=deadline, on=date(2026, 10, 13), reason="x"
        )
    with pytest.raises(NotFound):
        cal.deadline_pause(
            actor=net.township_clerk, deadline=deadline, on=date(2026, 10, 13), reason="x"
        )
    assert not DeadlinePause.objects.exists()
    # the county admin manages the township below it
    cal.deadline_start(
        actor=net.county_admin,
        center=net.hanji_center,
        purpose="case",
        start=date(2026, 10, 12),
        days=5,
    )


# --- selectors -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_r_case_4_warning_in_last_quarter_until_next_year_is_loaded(net):
    assert cal.calendar_warning(date(2026, 9, 30)) is None
    warning = cal.calendar_warning(date(2026, 10, 1))
    assert warning and "2027年" in warning and "尚未载入" in warning
    assert "2027年的官方节假日安排尚未载入" in cal.calendar_warning(date(2027, 3, 1))
    status = {s.year: s.state for s in cal.calendar_status(date(2026, 11, 20))}
    assert status == {2025: "official", 2026: "official", 2027: "missing"}
    cal.calendar_year_load(actor=net.root, year=2027, text=SCHEDULE_2027, source="通知")
    assert cal.calendar_warning(date(2026, 12, 1)) is None
    assert cal.calendar_warning(date(2027, 3, 1)) is None


# --- the cache -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_r_case_4_calendar_cache_is_reused_and_invalidated_on_commit(
    net, django_assert_num_queries
):
    first = cal.calendar_for(center=net.kangle_center)
    with django_assert_num_queries(0):
        assert cal.calendar_for(center=net.kangle_center) is first
    day = timezone.localdate() + timedelta(days=400)
    while not first.is_workday(day):
        day += timedelta(days=1)
    cal.calendar_override_create(
        actor=net.kangle_admin, date=day, is_workday=False, reason="闭厅", region=net.kangle
    )
    fresh = cal.calendar_for(center=net.kangle_center)
    assert fresh is not first and not fresh.is_workday(day)
    assert cal.calendar_for(center=net.linxia_center).is_workday(day)


def _workday_after(calendar, days: int) -> date:
    day = timezone.localdate() + timedelta(days=days)
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def test_r_case_4_calendar_is_built_once_per_transaction_and_follows_its_writes(
    net, django_assert_num_queries
):
    from django.db import transaction

    with transaction.atomic():
        first = cal.calendar_for(center=net.kangle_center)
        with django_assert_num_queries(0):
            assert cal.calendar_for(center=net.kangle_center) is first
        day = _workday_after(first, 400)
        # A closure written in the same transaction is seen at once.
        cal.calendar_override_create(
            actor=net.kangle_admin, date=day, is_workday=False, reason="闭厅", region=net.kangle
        )
        closed = cal.calendar_for(center=net.kangle_center)
        assert closed is not first and not closed.is_workday(day)
        # So is a row written without the service.
        other = _workday_after(closed, 420)
        CalendarOverride.objects.create(
            date=other, is_workday=False, reason="停电", region=net.kangle
        )
        assert not cal.calendar_for(center=net.kangle_center).is_workday(other)
        # A savepoint rolled back takes the calendar built in it along.
        third = _workday_after(closed, 440)
        with pytest.raises(RuntimeError), transaction.atomic():
            cal.calendar_override_create(
                actor=net.kangle_admin,
                date=third,
                is_workday=False,
                reason="检修",
                region=net.kangle,
            )
            assert not cal.calendar_for(center=net.kangle_center).is_workday(third)
            raise RuntimeError
        assert cal.calendar_for(center=net.kangle_center).is_workday(third)
        assert not cal.calendar_for(center=net.kangle_center).is_workday(day)
