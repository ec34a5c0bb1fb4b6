"""R-STAFF-1 (managed by the center day to day): attendance from the window sign-ins,
days and hours per person and month against the center's working days."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from onewindow.core.scope import scope_for
from onewindow.hall.models import Window, WindowSession
from onewindow.oversight.selectors import staff as sel
from onewindow.staffing import services
from tests.conftest import clear_for_window
from tests.staffing.conftest import login, new_clerk

pytestmark = pytest.mark.django_db


def at(*args):
    return timezone.make_aware(datetime(*args))


def county_rows(world, month, now):
    """The county admin's attendance of ``month`` 2026 seen at ``now``, by profile."""
    rows = sel.attendance(scope=scope_for(world.county_admin), year=2026, month=month, now=now)
    return {r.profile.pk: r for r in rows}


def posted(world, profile, started):
    services.staff_record_set(
        actor=world.county_admin,
        profile=profile,
        establishment="",
        rank="",
        paid_by="",
        team="comprehensive",
        posting_started=started,
    )


@pytest.fixture
def march(world, db):
    clerk = world.clerk.staff_profile
    posted(world, clerk, date(2025, 1, 1))
    late = clear_for_window(world.root, new_clerk(world, "late_clerk"))
    posted(world, late, date(2026, 3, 16))
    w = Window.objects.create(center=world.linxia_center, number=41)
    for start, end in [
        (at(2026, 2, 27, 9), at(2026, 2, 27, 12)),  # February: not counted
        (at(2026, 3, 2, 9), at(2026, 3, 2, 12)),  # 3 h
        (at(2026, 3, 2, 14, 30), at(2026, 3, 2, 17, 30)),  # 3 h, same day
        (at(2026, 3, 3, 9), at(2026, 3, 3, 11, 30)),  # 2.5 h
        (at(2026, 3, 31, 16), at(2026, 4, 1, 1)),  # 8 h in March, 1 h in April
    ]:
        WindowSession.objects.create(
            window=w, clerk=world.clerk, signed_in_at=start, signed_out_at=end
        )
    return clerk, late


def test_r_staff_1_attendance_counts_hours_and_days_against_working_days(world, march):
    clerk, late = march
    rows = county_rows(world, 3, at(2026, 12, 1))
    # March 2026: 22 working days (weekdays, no holiday); sessions on the 2nd, 3rd, 31st
    assert (rows[clerk.pk].hours, rows[clerk.pk].days) == (16.5, 3)
    assert (rows[clerk.pk].expected_days, rows[clerk.pk].missed) == (22, 19)
    # posted on 16 March: 12 working days from then (16–20, 23–27, 30–31), no sign-in
    assert (rows[late.pk].expected_days, rows[late.pk].days, rows[late.pk].missed) == (12, 0, 12)
    april = county_rows(world, 4, at(2026, 12, 1))
    assert (april[clerk.pk].hours, april[clerk.pk].days) == (1.0, 1)


def test_r_staff_1_an_open_session_counts_up_to_now(world, march):
    clerk, _ = march
    w = Window.objects.create(center=world.linxia_center, number=42)
    WindowSession.objects.create(window=w, clerk=world.clerk, signed_in_at=at(2026, 3, 4, 9))
    rows = county_rows(world, 3, at(2026, 3, 4, 10, 30))
    # up to now (4 March 10:30): 6 + 2.5 h before, 1.5 h open; the 31st is still ahead
    assert (rows[clerk.pk].hours, rows[clerk.pk].days) == (10.0, 3)
    # working days up to today: 2, 3 and 4 March, each with a sign-in
    assert (rows[clerk.pk].expected_days, rows[clerk.pk].missed) == (3, 0)


def test_r_staff_1_attendance_is_scoped(world, march):
    clerk, _ = march
    kangle = {
        r.profile.pk
        for r in sel.attendance(scope=scope_for(world.kangle_admin), year=2026, month=3)
    }
    assert clerk.pk not in kangle


def test_r_staff_1_the_attendance_page_shows_the_month(world, march, client):
    page = login(client, world.county_admin).get(
        reverse("oversight:staff_attendance"), {"month": "2026-03"}
    )
    assert page.status_code == 200
    assert "16.5" in page.content.decode()
    bad = client.get(reverse("oversight:staff_attendance"), {"month": "2026-13"})
    assert bad.status_code == 400 or "月份格式" in bad.content.decode()


def test_r_staff_1_a_session_left_open_counts_to_the_end_of_its_day_only(world, march):
    clerk, _ = march
    w = Window.objects.create(center=world.linxia_center, number=43)
    WindowSession.objects.create(window=w, clerk=world.clerk, signed_in_at=at(2026, 3, 4, 9))
    rows = county_rows(world, 3, at(2026, 3, 10, 12))
    # 8.5 h on the 2nd and 3rd, then 4 March 09:00 to midnight (15 h): not the nights and
    # the days up to the 10th, and the days after the 4th are not attended
    assert (rows[clerk.pk].hours, rows[clerk.pk].days) == (23.5, 3)


def test_r_staff_1_the_daily_job_signs_out_sessions_left_open_at_the_halls_closing(world, march):
    from django.core.management import call_command

    from onewindow.core.jobs import registry
    from onewindow.core.models import AuditEvent
    from onewindow.hall import hours
    from onewindow.hall.services.windows import window_sessions_close_left_open

    clerk, late = march
    center = world.linxia_center
    left = WindowSession.objects.create(
        window=Window.objects.create(center=center, number=44),
        clerk=world.clerk,
        signed_in_at=at(2026, 3, 4, 9),
    )
    today = WindowSession.objects.create(
        window=Window.objects.create(center=center, number=45),
        clerk=late.user,
        signed_in_at=at(2026, 3, 5, 0, 10),
    )
    closing = max(p.end for p in hours.periods_on(center, date(2026, 3, 4)))
    assert window_sessions_close_left_open(now=at(2026, 3, 5, 0, 20)) == 1
    left.refresh_from_db()
    today.refresh_from_db()
    assert timezone.localtime(left.signed_out_at) == at(2026, 3, 4, closing.hour, closing.minute)
    assert today.signed_out_at is None
    event = AuditEvent.objects.get(action="window.sign_out_left_open")
    assert event.actor is None and event.center_id == center.pk
    # again: nothing left to close, nothing written
    assert window_sessions_close_left_open(now=at(2026, 3, 5, 0, 30)) == 0
    assert AuditEvent.objects.filter(action="window.sign_out_left_open").count() == 1
    rows = county_rows(world, 3, at(2026, 3, 10))
    hours_on_the_4th = (closing.hour * 60 + closing.minute - 9 * 60) / 60
    assert rows[clerk.pk].hours == pytest.approx(8.5 + hours_on_the_4th, abs=0.05)
    # the periodic jobs run it daily, and the command is the job's
    job = {j.name: j for j in registry()}["close-window-sessions"]
    assert job.command == ("close_window_sessions",) and job.schedule.at is not None
    # the command, run now (months later), signs out the session of 5 March too
    out = io.StringIO()
    call_command("close_window_sessions", stdout=out)
    assert "已签退 1 个" in out.getvalue()
    today.refresh_from_db()
    closing_5th = max(p.end for p in hours.periods_on(center, date(2026, 3, 5)))
    assert timezone.localtime(today.signed_out_at) == at(
        2026, 3, 5, closing_5th.hour, closing_5th.minute
    )


def test_r_staff_1_yesterdays_sign_in_left_open_neither_holds_the_window_nor_goes_on(world):
    from onewindow.hall.services.windows import window_sign_in

    center = world.linxia_center
    window = Window.objects.create(center=center, number=46)
    other = clear_for_window(world.root, new_clerk(world, "morning_clerk"))
    yesterday = timezone.now() - timezone.timedelta(days=1)
    stale = WindowSession.objects.create(window=window, clerk=world.clerk, signed_in_at=yesterday)
    # another clerk takes the window this morning: yesterday's sign-in is closed, not a refusal
    session = window_sign_in(actor=other.user, window=window)
    stale.refresh_from_db()
    assert session.clerk_id == other.user_id and stale.signed_out_at is not None
    assert timezone.localdate(stale.signed_out_at - timezone.timedelta(microseconds=1)) == (
        timezone.localdate(yesterday)
    )
    # the same clerk signing in again today gets a new session, not yesterday's going on
    mine = WindowSession.objects.create(
        window=Window.objects.create(center=center, number=47),
        clerk=world.clerk,
        signed_in_at=yesterday,
    )
    again = window_sign_in(actor=world.clerk, window=mine.window)
    mine.refresh_from_db()
    assert again.pk != mine.pk and mine.signed_out_at is not None
