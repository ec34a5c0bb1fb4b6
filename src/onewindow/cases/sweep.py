"""The deadline sweep (R-CASE-4), run every few minutes by `onewindow sweep`.

- A running case whose remaining working days fall to the warning threshold (default 2,
  ``ONEWINDOW_CASE_WARN_DAYS``) gets a warning; one past its due date gets an alarm.
  Each level is recorded once per case with its time (``CaseAlert``), and the case's
  ``warning_level`` only rises: running the sweep twice changes nothing.
- Only cases whose next threshold may have passed are read: the database narrows to
  running cases below the alarm level with a due date within a generous horizon (an
  indexed range), and the exact working-day test runs on that small set.
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
from onewindow.core.locking import for_update

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


def sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = SweepResult()
    result.deemed = online_deem_accept_overdue(now=now)
    days = warn_days()
    horizon = today + timedelta(days=7 * days + 14)
    candidates = Case.objects.filter(
        state__in=RUNNING,
        warning_level__lt=CaseAlert.Level.OVERDUE,
        deadline__due__isnull=False,
        deadline__due__lte=horizon,
    ).select_related("deadline", "center__region", "department")
    calendars = {}
    for case in candidates:
        due = case.deadline.due
        if due < today:
            with transaction.atomic():
                if case.warning_level < CaseAlert.Level.WARNING:
                    _record(case, CaseAlert.Level.WARNING, now)
                result.overdue += _record(case, CaseAlert.Level.OVERDUE, now)
            continue
        if case.warning_level >= CaseAlert.Level.WARNING:
            continue
        region_id = case.center.region_id
        cal = calendars.get(region_id)
        if cal is None:
            cal = calendars[region_id] = work_calendar.calendar_for(center=case.center)
        if cal.working_days_between(today, due) <= days:
            with transaction.atomic():
                result.warned += _record(case, CaseAlert.Level.WARNING, now)
    result.withdrawn = _withdraw_lapsed(today, now)
    return result
