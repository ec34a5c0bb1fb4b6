"""The deadline sweep (R-CASE-4), run every few minutes by `onewindow sweep`.

- A running case whose remaining working days fall to the warning threshold (default 2,
  ``ONEWINDOW_CASE_WARN_DAYS``) gets a warning; one past its due date gets an alarm.
  Each level is recorded once per case with its time (``CaseAlert``), and the case's
  ``warning_level`` only rises: running the sweep twice changes nothing.
  A matter whose whole limit is shorter is warned one working day less than its limit
  (a 2-day matter with 1 day left), so nothing is warned the moment it is accepted;
  on-the-spot matters (0 days) are only alarmed.
- Only cases whose next threshold has passed are touched: running cases below the alarm
  level are read from their state index with their deadlines by primary key; the
  working-day threshold is one date per center (no per-case counting); only the cases
  that cross a threshold are loaded and written.
- A correction notice left unanswered past its date ends the case as withdrawn
  (视为撤回), with an event, once.
- An online application still in pre-review or intake past its acceptance date is
  accepted from the day it was received (逾期视为受理, 行政许可法 §32), once; see
  ``cases.services.online``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case, CaseAlert, CaseEvent, Correction
from onewindow.cases.services.online import online_deem_accept_overdue
from onewindow.core import calendar as work_calendar
from onewindow.core.audit import audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.locking import for_update
from onewindow.core.models import Deadline
from onewindow.org.models import Center

RUNNING = [states.ACCEPTED, states.IN_REVIEW]


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0
    withdrawn: int = 0
    deemed: int = 0

    def summary(self) -> str:
        return (
            f"办件时限：新增预警 {self.warned} 件，新增超时 {self.overdue} 件，"
            f"逾期未补正视为撤回 {self.withdrawn} 件，网上申请逾期视为受理 {self.deemed} 件。"
        )


def warn_days() -> int:
    return int(getattr(settings, "ONEWINDOW_CASE_WARN_DAYS", 2))


def _record(case: Case, level: int, now: datetime) -> bool:
    try:
        with transaction.atomic():
            CaseAlert.objects.create(case=case, level=level, at=now, due=case.deadline.due)
    except IntegrityError:
        return False
    Case.objects.filter(pk=case.pk, warning_level__lt=level).update(warning_level=level)
    label = CaseAlert.Level(level).label
    CaseEvent.objects.create(
        case=case,
        action="alert",
        from_state=case.state,
        to_state=case.state,
        actor_label="系统",
        note=label,
        data={"level": level},
        at=now,
    )
    audit_record(
        actor=None,
        action="case.alert",
        target=case,
        center=case.center,
        department=case.department,
        after={"level": level, "due": case.deadline.due.isoformat()},
    )
    return True


def _withdraw_lapsed(today: date, now: datetime) -> int:
    count = 0
    lapsed = Correction.objects.filter(state=Correction.State.OPEN, due__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(lapsed):
        with transaction.atomic():
            correction = (
                for_update(Correction.objects).filter(pk=pk, state=Correction.State.OPEN).first()
            )
            if correction is None:
                continue
            case = for_update(Case.objects).get(pk=correction.case_id)
            if case.state not in states.ACTIONS["withdraw"].sources:
                continue
            correction.state = Correction.State.LAPSED
            correction.save(update_fields=["state"])
            before = case.state
            case.state = states.WITHDRAWN
            case.save(update_fields=["state"])
            CaseEvent.objects.create(
                case=case,
                action="withdraw",
                from_state=before,
                to_state=case.state,
                actor_label="系统",
                note=f"逾期未补正（期限{correction.due:%Y-%m-%d}），视为撤回",
                at=now,
            )
            audit_record(
                actor=None,
                action="case.withdraw",
                target=case,
                center=case.center,
                department=case.department,
                before={"state": before},
                after={"state": case.state},
            )
            count += 1
    return count


CHUNK = 2000


def _running_dues(today: date, horizon: date) -> list[tuple[int, int, int, date, int]]:
    """(case id, warning level, center id, due, limit days) of running cases below the
    alarm level whose due date is within the horizon.

    Driven from the cases (their state index), then their deadlines by primary key in
    chunks: almost every deadline in the table belongs to a closed case and is in the
    past, so a due-date range gives the database nothing to narrow by."""
    running = list(
        Case.objects.filter(
            state__in=RUNNING,
            warning_level__lt=CaseAlert.Level.OVERDUE,
            deadline__isnull=False,
        )
        .order_by()
        .values_list("pk", "deadline_id", "warning_level", "center_id")
    )
    dues: dict[int, tuple[date, int]] = {}
    ids = [row[1] for row in running]
    for i in range(0, len(ids), CHUNK):
        dues.update(
            (pk, (due, limit))
            for pk, due, limit in Deadline.objects.filter(
                pk__in=ids[i : i + CHUNK], due__isnull=False, due__lte=horizon
            )
            .order_by()
            .values_list("pk", "due", "days")
        )
    return [
        (pk, level, center_id, *dues[deadline_id])
        for pk, deadline_id, level, center_id in running
        if deadline_id in dues
    ]


def _warn_limit(today: date, center_id: int, threshold: int, cache: dict) -> date:
    """The first day that is more than ``threshold`` working days after today at this
    center: a case due before it has ``threshold`` or fewer working days left."""
    key = (center_id, threshold)
    if key not in cache:
        center = Center.objects.select_related("region").get(pk=center_id)
        cal = work_calendar.calendar_for(center=center)
        cache[key] = cal.add_working_days(today, threshold + 1).date
    return cache[key]


def sweep(*, now: datetime | None = None) -> SweepResult:
    now = clock_now(now)
    today = timezone.localdate(now)
    result = SweepResult()
    result.deemed = online_deem_accept_overdue(now=now)
    days = warn_days()
    horizon = today + timedelta(days=7 * days + 14)
    limits: dict = {}
    to_alarm, to_warn = [], []
    for pk, level, center_id, due, limit_days in _running_dues(today, horizon):
        if due < today:
            to_alarm.append(pk)
        elif level < CaseAlert.Level.WARNING and limit_days > 0:
            # A short matter is not warned the moment it is accepted: at most one
            # working day less than its whole limit.
            threshold = min(days, limit_days - 1)
            if due < _warn_limit(today, center_id, threshold, limits):
                to_warn.append(pk)
    found = Case.objects.select_related("deadline", "center", "department").order_by("pk")
    for case in found.filter(pk__in=to_alarm):
        with transaction.atomic():
            if case.warning_level < CaseAlert.Level.WARNING:
                _record(case, CaseAlert.Level.WARNING, now)
            result.overdue += _record(case, CaseAlert.Level.OVERDUE, now)
    for case in found.filter(pk__in=to_warn):
        with transaction.atomic():
            result.warned += _record(case, CaseAlert.Level.WARNING, now)
    result.withdrawn = _withdraw_lapsed(today, now)
    return result
