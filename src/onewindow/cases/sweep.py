"""The deadline sweep (R-CASE-4), run every few minutes by `onewindow sweep`.

- A running case whose remaining working days fall to the warning threshold (default 2,
  ``ONEWINDOW_CASE_WARN_DAYS``) gets a warning; one past its due date gets an alarm.
  Each level is recorded once per case with its time (``CaseAlert``), and the case's
  ``warning_level`` only rises: running the sweep twice changes nothing.
  A matter whose whole limit is shorter is warned one working day less than its limit
  (a 2-day matter with 1 day left), so nothing is warned the moment it is accepted;
  on-the-spot matters (0 days) are only alarmed.
- Only what crossed a line since the last pass is read: every running case carries on
  its row the next day the sweep looks at it (``alert_on``, kept by
  ``cases.services.clock`` with every step that moves the clock), under a partial index
  of running cases; a pass reads the range up to today, checks each case exactly on its
  center's calendar, raises what is due and moves the line on (to the day after the
  due date once warned, to none once alarmed). A pass with nothing new reads no case.
  A line set in the past by a late step (deemed acceptance counted from receipt, a
  reopened case) is still in the range, and a paused or stopped clock is not in it.
- Two sweeps at once raise each level once: a case row is locked and its line checked
  again before anything is raised, and an alert is unique per case and level.
- The watermark (``core.sweeps``): the time of the last pass and the warning days it
  ran with; when ``ONEWINDOW_CASE_WARN_DAYS`` changes, the unwarned running cases are
  looked at again.
- A correction notice left unanswered past its date ends the case as withdrawn
  (视为撤回), with an event, once.
- An online application still in pre-review or intake past its acceptance date is
  accepted from the day it was received (逾期视为受理, 行政许可法 §32), once; see
  ``cases.services.online``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case, CaseAlert, CaseEvent, Correction, state_in
from onewindow.cases.services.clock import clock_sync, next_line, warn_days
from onewindow.cases.services.online import online_deem_accept_overdue
from onewindow.core import calendar as work_calendar
from onewindow.core import sweeps
from onewindow.core.audit import audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.locking import for_update
from onewindow.core.models import Deadline
from onewindow.org.models import Center


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0
    withdrawn: int = 0
    deemed: int = 0
    examined: int = 0  # running cases read because their line had come

    def summary(self) -> str:
        return (
            f"办件时限：新增预警 {self.warned} 件，新增超时 {self.overdue} 件，"
            f"逾期未补正视为撤回 {self.withdrawn} 件，网上申请逾期视为受理 {self.deemed} 件。"
        )


def _record(case: Case, level: int, now: datetime) -> bool:
    try:
        with transaction.atomic():
            CaseAlert.objects.create(case=case, level=level, at=now, due=case.due)
    except IntegrityError:
        return False
    case.warning_level = max(case.warning_level, level)
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
        after={"level": level, "due": case.due.isoformat()},
    )
    return True


def _withdraw_lapsed(today: date, now: datetime) -> int:
    count = 0
    lapsed = Correction.objects.filter(
        state_in(Correction, [Correction.State.OPEN]), due__lt=today
    ).values_list("pk", flat=True)
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
            case.save(update_fields=["state", *clock_sync(case)])
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


NAME = "cases"  # the name it is registered under (``apps.py``) and its watermark's


def _calendar(center_id: int, calendars: dict):
    cal = calendars.get(center_id)
    if cal is None:
        center = Center.objects.select_related("region").get(pk=center_id)
        cal = calendars[center_id] = work_calendar.calendar_for(center=center)
    return cal


def _crossed(today: date) -> list[tuple[int, int]]:
    """(case id, center id) of the running cases whose line has come: one range of the
    partial index ``case_running_alert_idx``."""
    return list(
        Case.objects.filter(clock_running=True, alert_on__isnull=False, alert_on__lte=today)
        .order_by()
        .values_list("pk", "center_id")
    )


def _look_again_if_warn_days_changed(days: int, params: dict, today: date) -> None:
    if params.get("warn_days", days) != days:
        Case.objects.filter(
            clock_running=True, warning_level__lt=CaseAlert.Level.WARNING, alert_on__gt=today
        ).update(alert_on=today)


def _raise(pk: int, cal, today: date, days: int, now: datetime, result: SweepResult) -> None:
    """Check one case whose line has come, under its row lock: raise what is due and
    move the line on."""
    with transaction.atomic():
        case = (
            for_update(Case.objects).filter(pk=pk, clock_running=True, alert_on__lte=today).first()
        )
        if case is None:
            return  # another pass took it, or a step moved its clock meanwhile
        limit = Deadline.objects.filter(pk=case.deadline_id).values_list("days", flat=True).first()
        level = case.warning_level
        if case.due < today:
            if level < CaseAlert.Level.WARNING:
                _record(case, CaseAlert.Level.WARNING, now)
            result.overdue += _record(case, CaseAlert.Level.OVERDUE, now)
        elif level < CaseAlert.Level.WARNING:
            line = next_line(level, case.due, limit, cal, days)
            if line is not None and line <= today:
                result.warned += _record(case, CaseAlert.Level.WARNING, now)
        case.alert_on = next_line(case.warning_level, case.due, limit, cal, days)
        case.save(update_fields=["warning_level", "alert_on"])
        result.examined += 1


def sweep(*, now: datetime | None = None) -> SweepResult:
    now = clock_now(now)
    today = timezone.localdate(now)
    result = SweepResult()
    result.deemed = online_deem_accept_overdue(now=now)
    days = warn_days()
    _, params = sweeps.last_pass(NAME)
    _look_again_if_warn_days_changed(days, params, today)
    calendars: dict = {}
    for pk, center_id in _crossed(today):
        _raise(pk, _calendar(center_id, calendars), today, days, now, result)
    result.withdrawn = _withdraw_lapsed(today, now)
    sweeps.record_pass(NAME, now, {"warn_days": days})
    return result
