"""Staff figures over the hall and the reviews, in the caller's scope (R-STAFF-1,
R-STAFF-2, R-STAFF-4).

Attendance (考勤) per person and month, from the window sign-ins (``hall.WindowSession``),
for each window clerk (窗口工作人员) and anyone else who signed in at a window:
- hours at the window: the sum of the person's sessions, each cut to the month (a
  session still open counts up to now);
- days at the window: the days of the month on which a session of the person ran;
- expected days: the center's working days (``core.calendar``: official holidays,
  adjusted working days, local closures) in the month, from the posting date on and up
  to today. There is no duty roster of window clerks yet, so the working days are what
  attendance is held against; ``missed`` is the expected working days without a
  sign-in.

Conduct per person and month (to feed assessment):
- spot-check failures: the person's spot checks in the month with any item failed;
- bad reviews on conduct: the person's reviews (not excluded) with a bad level (差评:
  1–2) that tick "服务态度差" or "窗口无人或离岗", or rate the attitude indicator bad.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from onewindow.core.calendar import calendar_for
from onewindow.core.errors import InvalidInput
from onewindow.core.roles import Role
from onewindow.evaluation import scheme
from onewindow.evaluation.models import Review
from onewindow.hall.models import WindowSession
from onewindow.org.models import StaffProfile
from onewindow.staffing import selectors as staffing
from onewindow.staffing.models import SpotCheck

CONDUCT_REASONS = frozenset({"rude", "absent"})
CONDUCT_INDICATOR = "attitude"


def parse_month(value: str | None, *, today: dt.date | None = None) -> tuple[int, int]:
    """``YYYY-MM`` (this month when empty); anything else is a clear error."""
    today = today or timezone.localdate()
    if not value:
        return today.year, today.month
    try:
        year, month = (int(x) for x in str(value).split("-"))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        raise InvalidInput("month.invalid", "月份格式应为 2026-03。") from None
    if not 2000 <= year <= 2100:
        raise InvalidInput("month.invalid", "月份格式应为 2026-03。")
    return year, month


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class AttendanceRow:
    profile: StaffProfile
    expected_days: int
    days: int
    hours: float
    missed: int
    day_list: list[dt.date] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return (
            None
            if not self.expected_days
            else min(self.days, self.expected_days) / self.expected_days
        )


def _end_of_day(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=local.tzinfo)


def _session_days(sessions, start: dt.datetime, end: dt.datetime, now: dt.datetime):
    """(seconds, set of local days) of sessions cut to [start, end). A session still open
    from an earlier day (the daily ``close_window_sessions`` job had not yet signed it
    out) counts to the end of the day it began, never the night and the days after."""
    seconds, days = 0.0, set()
    for s in sessions:
        a = max(s.signed_in_at, start)
        b = min(s.signed_out_at or _end_of_day(s.signed_in_at), end, now)
        if b <= a:
            continue
        seconds += (b - a).total_seconds()
        day, last = (
            timezone.localtime(a).date(),
            timezone.localtime(b - dt.timedelta(microseconds=1)).date(),
        )
        while day <= last:
            days.add(day)
            day += dt.timedelta(days=1)
    return seconds, days


def attendance(
    *, scope, year: int, month: int, center=None, now=None, profiles=None
) -> list[AttendanceRow]:
    """Per window clerk (窗口工作人员), and anyone else who signed in at a window in the
    month, in scope."""
    now = now or timezone.now()
    first, last = month_bounds(year, month)
    start, end = _aware(first), _aware(last + dt.timedelta(days=1))
    if profiles is None:
        profiles = list(staffing.people(scope=scope, center=center))
    by_user = {p.user_id: p for p in profiles}
    sessions = defaultdict(list)
    for s in (
        WindowSession.objects.filter(clerk_id__in=list(by_user), signed_in_at__lt=end)
        .exclude(signed_out_at__lte=start)
        .only("clerk_id", "signed_in_at", "signed_out_at")
    ):
        sessions[s.clerk_id].append(s)
    today = timezone.localtime(now).date()
    calendars = {}
    rows = []
    for user_id, p in by_user.items():
        if not (Role.CLERK in p.roles or sessions.get(user_id)):
            continue
        seconds, days = _session_days(sessions.get(user_id, []), start, end, now)
        center_obj = p.center or (p.department.center if p.department_id else None)
        expected = set()
        if center_obj is not None:
            cal = calendars.get(center_obj.pk) or calendars.setdefault(
                center_obj.pk, calendar_for(center=center_obj)
            )
            day = max(first, p.posting_started)
            while day <= min(last, today):
                if cal.is_workday(day):
                    expected.add(day)
                day += dt.timedelta(days=1)
        rows.append(
            AttendanceRow(
                profile=p,
                expected_days=len(expected),
                days=len(days),
                hours=round(seconds / 3600, 1),
                missed=len(expected - days),
                day_list=sorted(days),
            )
        )
    return rows


@dataclass
class ConductRow:
    profile: StaffProfile
    checks: int
    failures: int
    failed_items: dict[str, int]
    bad_reviews: int
    review_reasons: dict[str, int]

    @property
    def flagged(self) -> bool:
        return bool(self.failures or self.bad_reviews)


def is_conduct_review(review: Review) -> bool:
    if review.level not in scheme.BAD:
        return False
    if CONDUCT_REASONS & set(review.reasons or []):
        return True
    level = (review.indicators or {}).get(CONDUCT_INDICATOR)
    return isinstance(level, int) and level in scheme.BAD


def conduct(*, scope, year: int, month: int, center=None, profiles=None) -> list[ConductRow]:
    """Per person in scope with a spot check or a bad review in the month."""
    first, last = month_bounds(year, month)
    start, end = _aware(first), _aware(last + dt.timedelta(days=1))
    profiles = (
        profiles if profiles is not None else list(staffing.people(scope=scope, center=center))
    )
    by_id = {p.pk: p for p in profiles}
    by_user = {p.user_id: p for p in profiles}
    rows: dict[int, ConductRow] = {}

    def row(p):
        return rows.setdefault(p.pk, ConductRow(p, 0, 0, defaultdict(int), 0, defaultdict(int)))

    for check in SpotCheck.objects.filter(
        profile_id__in=list(by_id), checked_at__gte=start, checked_at__lt=end
    ):
        r = row(by_id[check.profile_id])
        r.checks += 1
        if not check.passed:
            r.failures += 1
            for item in check.failed_items:
                r.failed_items[item] += 1
    reviews = Review.objects.filter(
        staff_id__in=list(by_user),
        created_at__gte=start,
        created_at__lt=end,
        excluded=False,
        level__in=sorted(scheme.BAD),
    ).only("staff_id", "level", "reasons", "indicators")
    for review in reviews:
        if not is_conduct_review(review):
            continue
        r = row(by_user[review.staff_id])
        r.bad_reviews += 1
        codes = CONDUCT_REASONS & set(review.reasons or [])
        for code in codes:
            r.review_reasons[scheme.REASON_LABELS[code]] += 1
        if not codes:
            r.review_reasons[f"{scheme.INDICATOR_LABELS[CONDUCT_INDICATOR]}分项差"] += 1
    out = sorted(rows.values(), key=lambda r: (-r.failures - r.bad_reviews, r.profile.staff_no))
    for r in out:
        r.failed_items, r.review_reasons = dict(r.failed_items), dict(r.review_reasons)
    return out


@dataclass
class PersonPage:
    records: staffing.PersonRecords
    months: list[tuple[str, AttendanceRow | None, ConductRow | None]]


def person_page(*, scope, profile: StaffProfile, months: int = 6, now=None) -> PersonPage:
    """One person's records, and their attendance and conduct of the last months."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    out = []
    year, month = today.year, today.month
    for _ in range(months):
        att = attendance(scope=scope, year=year, month=month, now=now, profiles=[profile])
        con = conduct(scope=scope, year=year, month=month, profiles=[profile])
        out.append((f"{year}\u2011{month:02d}", att[0] if att else None, con[0] if con else None))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return PersonPage(records=staffing.person_records(profile=profile, on=today), months=out)
