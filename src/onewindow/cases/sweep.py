"""The deadline sweep (R-CASE-4), run every few minutes by `onewindow sweep`.

- A running case whose remaining working days fall to the warning threshold (default 2,
  ``ONEWINDOW_CASE_WARN_DAYS``) gets a warning; one past its due date gets an alarm.
  Each level is recorded once per case with its time (``CaseAlert``), and the case's
  ``warning_level`` only rises: running the sweep twice changes nothing.
  A matter whose whole limit is shorter is warned one working day less than its limit
  (a 2-day matter with 1 day left), so nothing is warned the moment it is accepted;
  on-the-spot matters (0 days) are only alarmed.
- Only what crossed a line since the last pass is read: every running case has a row in
  the narrow ``CaseLine`` table with the next day the sweep looks at it (``alert_on``,
  kept by ``cases.services.clock`` with every step that moves the clock), under its own
  small index; a pass reads the range up to today, checks each case exactly on its
  center's calendar, raises what is due and moves the line on (to the day after the
  due date once warned, to none once alarmed: the row is deleted). A pass with nothing
  new reads no case and writes nothing (its watermark is rewritten only when the day or
  the warning days changed).
  A line set in the past by a late step (deemed acceptance counted from receipt, a
  reopened case) is still in the range, and a paused or stopped clock is not in it.
- The cases whose line has come are taken in ranges of ids (``CHUNK`` of them on
  SQLite, ``PG_CHUNK`` on PostgreSQL), each in one transaction under the sweep's claim:
  the levels reached are moved set-based (``cases.crossings``: on PostgreSQL one
  statement for the whole range, alerts, events, audit rows, lines and open-case counts
  included; on SQLite a few ``UPDATE … RETURNING`` and ``INSERT … SELECT``); what is
  left in the range with its line come is checked one case at a time under its row
  lock. The first pass of a day runs its ranges, the lapsed notices, the fold of the
  counts and the watermark in one transaction: one commit.
- Two sweeps at once raise each level once: the claim (an advisory lock on PostgreSQL,
  the ``IMMEDIATE`` transaction on SQLite) makes the second pass over a range wait for
  the first and find nothing; a case row is locked and its line checked again before
  anything is raised one at a time, and an alert is unique per case and level.
- The watermark (``core.sweeps``): the time of the last pass and the warning days it
  ran with. Lapsed correction notices and online applications past their acceptance
  date cross their line when the day changes (a notice's date is after the day it is
  issued, an acceptance date after the day of receipt), so they are read on the first
  pass of a day only; when ``ONEWINDOW_CASE_WARN_DAYS`` changes, the unwarned running
  cases are looked at again.
- A correction notice left unanswered past its date ends the case as withdrawn
  (视为撤回), with an event, once.
- An online application still in pre-review or intake past its acceptance date is
  accepted from the day it was received (逾期视为受理, 行政许可法 §32), once; see
  ``cases.services.online``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from onewindow.cases import crossings, horizon, open_counts, states
from onewindow.cases.models import (
    Case,
    CaseAlert,
    CaseEvent,
    CaseLine,
    Correction,
    state_in,
)
from onewindow.cases.services.clock import clock_sync, next_line, set_lines, warn_days
from onewindow.cases.services.online import online_deem_accept_overdue
from onewindow.cases.signals import case_alerted, case_stepped
from onewindow.core import calendar as work_calendar
from onewindow.core import sweeps
from onewindow.core.audit import audit_event, audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.locking import for_update
from onewindow.core.models import AuditEvent, Deadline
from onewindow.core.statements import serial_plans
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


def _withdraw_lapsed(today: date, now: datetime) -> int:
    count = 0
    # Unordered: one range of ``correction_open_due_idx``, not the notices' default
    # order (by issue time) over every open notice.
    lapsed = (
        Correction.objects.filter(state_in(Correction, [Correction.State.OPEN]), due__lt=today)
        .order_by()
        .values_list("pk", flat=True)
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
            case.save(update_fields=["state", *clock_sync(case)])
            step = CaseEvent.objects.create(
                case=case,
                action="withdraw",
                from_state=before,
                to_state=case.state,
                actor_label="系统",
                note=f"逾期未补正（期限{correction.due:%Y-%m-%d}），视为撤回",
                at=now,
            )
            case_stepped.send(
                sender=Case,
                case=case,
                action="withdraw",
                before=before,
                note="",
                data={},
                at=now,
                event=step,
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


CHUNK = 500
# PostgreSQL: the ids go as one array parameter and each range is one statement, so a
# range is as large as a transaction should hold row locks for.
PG_CHUNK = 20_000
NAME = "cases"  # the name it is registered under (``apps.py``) and its watermark's


def _crossed(today: date) -> list[tuple[int, int]]:
    """(case id, center id) of the running cases whose line has come: one range of the
    index on ``CaseLine.alert_on``, each joined to its case by primary key."""
    lines = CaseLine.objects.filter(alert_on__lte=today, case__clock_running=True)
    months = horizon.window()
    if months is not None:  # partitioned by month: only the months open cases are in
        lines = lines.filter(case__received_at__gte=months[0], case__received_at__lt=months[1])
    # Planned serially: on millions of cases the planner expects many lines to have
    # come and starts parallel workers for what is a few thousand index entries (the
    # first pass of a day runs in one transaction, so its later statements are too).
    with serial_plans():
        return list(lines.order_by().values_list("case_id", "case__center_id"))


def _calendars(center_ids) -> dict:
    centers = Center.objects.select_related("region").filter(pk__in=set(center_ids))
    return work_calendar.calendars_for(centers)


def _look_again_if_warn_days_changed(days: int, params: dict, today: date) -> None:
    if params.get("warn_days", days) != days:
        CaseLine.objects.filter(
            alert_on__gt=today,
            case__clock_running=True,
            case__warning_level__lt=CaseAlert.Level.WARNING,
        ).update(alert_on=today)


def _levels_due(case: Case, limit, cal, today: date, days: int) -> list[int]:
    """The levels a case whose line has come reaches today (warning before alarm)."""
    level = case.warning_level
    if case.due < today:
        return [lv for lv in (CaseAlert.Level.WARNING, CaseAlert.Level.OVERDUE) if lv > level]
    line = next_line(level, case.due, limit, cal, days)
    if level < CaseAlert.Level.WARNING and line is not None and line <= today:
        return [CaseAlert.Level.WARNING]
    return []


def _raise_chunk(
    pks: list[int], calendars: dict, today: date, days: int, now: datetime, result: SweepResult
) -> None:
    """Check cases whose line has come under their row locks (a case another pass took
    meanwhile is no longer in the range): record each level reached once, with its
    event and audit row, and move each line on; a few statements for the whole chunk."""
    with transaction.atomic():
        cases = list(
            for_update(Case.objects)
            .select_related("center", "department")
            .filter(pk__in=pks, clock_running=True, line__alert_on__lte=today)
            .order_by("pk")
        )
        if not cases:
            return
        limits = dict(
            Deadline.objects.filter(pk__in=[c.deadline_id for c in cases]).values_list("pk", "days")
        )
        known = set(CaseAlert.objects.filter(case__in=cases).values_list("case_id", "level"))
        alerts, events, audits = [], [], []
        levels_of: dict[int, list[int]] = {}
        lines: dict[int, date | None] = {}
        for case in cases:
            limit, cal = limits.get(case.deadline_id), calendars[case.center_id]
            levels = _levels_due(case, limit, cal, today, days)
            for level in levels:
                case.warning_level = level
                if (case.pk, level) in known:
                    continue
                alerts.append(CaseAlert(case=case, level=level, at=now, due=case.due))
                events.append(
                    CaseEvent(
                        case=case,
                        action="alert",
                        from_state=case.state,
                        to_state=case.state,
                        actor_label="系统",
                        note=CaseAlert.Level(level).label,
                        data={"level": level},
                        at=now,
                    )
                )
                audits.append(
                    audit_event(
                        actor=None,
                        action="case.alert",
                        target=case,
                        center=case.center,
                        department=case.department,
                        after={"level": level, "due": case.due.isoformat()},
                    )
                )
                if level == CaseAlert.Level.OVERDUE:
                    result.overdue += 1
                elif CaseAlert.Level.OVERDUE not in levels:  # a warning on its own
                    result.warned += 1
            lines[case.pk] = next_line(case.warning_level, case.due, limit, cal, days)
            levels_of.setdefault(case.warning_level, []).append(case.pk)
        CaseAlert.objects.bulk_create(alerts)
        if alerts:
            recorded = [(alert.case_id, alert.level) for alert in alerts]
            case_alerted.send(sender=Case, recorded=recorded, at=now)
        CaseEvent.objects.bulk_create(events)
        AuditEvent.objects.bulk_create(audits)
        # One statement per level, and the lines in two (moved on, or deleted).
        for level, ids in levels_of.items():
            Case.objects.filter(pk__in=ids).exclude(warning_level=level).update(warning_level=level)
        set_lines(lines)
        result.examined += len(cases)


def _raise_range(
    pks: list[int], groups, calendars: dict, today: date, days: int, now: datetime, result
) -> None:
    """The cases of one id range whose line has come, under the sweep's claim: the
    levels reached moved in a few statements (``cases.crossings``); what is left in the
    range with its line come checked one case at a time (``_raise_chunk``). Inside the
    first pass of a day's transaction no savepoint of its own: an error undoes it all."""
    with transaction.atomic(savepoint=False):
        crossings.claim()
        moved = crossings.move_range(pks, groups, today, now)
        if moved.recorded:
            case_alerted.send(sender=Case, recorded=moved.recorded, at=now)
        result.warned += moved.warned
        result.overdue += moved.overdue
        result.examined += moved.cases
        if moved.cases == len(pks):
            return
        rest = list(
            CaseLine.objects.filter(case_id__in=pks, alert_on__lte=today, case__clock_running=True)
            .order_by("case_id")
            .values_list("case_id", flat=True)
        )
        if rest:
            _raise_chunk(rest, calendars, today, days, now, result)


def _crossings(today: date, days: int, now: datetime, result: SweepResult) -> None:
    crossed = _crossed(today)
    if not crossed:
        return
    calendars = _calendars(center_id for _, center_id in crossed)
    groups = crossings.cutoffs(calendars, today, days)
    pks = sorted(pk for pk, _ in crossed)
    size = PG_CHUNK if connection.vendor == "postgresql" else CHUNK
    for i in range(0, len(pks), size):
        _raise_range(pks[i : i + size], groups, calendars, today, days, now, result)


def sweep(*, now: datetime | None = None) -> SweepResult:
    now = clock_now(now)
    today = timezone.localdate(now)
    result = SweepResult()
    last, params = sweeps.last_pass(NAME)
    # Notice dates and acceptance dates are days: crossed only when the day changes.
    new_day = last is None or timezone.localdate(last) != today
    if new_day:
        result.deemed = online_deem_accept_overdue(now=now)
    days = warn_days()
    _look_again_if_warn_days_changed(days, params, today)
    if not new_day:
        _crossings(today, days, now, result)
        if params.get("warn_days") != days:
            sweeps.record_pass(NAME, now, {"warn_days": days})
        return result
    # The first pass of a day: the crossings, the lapsed notices, the counts and the
    # watermark in one transaction (one commit to wait for).
    with transaction.atomic():
        _crossings(today, days, now, result)
        result.withdrawn = _withdraw_lapsed(today, now)
        # The open-case counts of past due dates, all overdue now, into one row each.
        open_counts.fold(today)
        horizon.move_on(now)
        # Only the day and the warning days are read back: a pass on the same day with
        # the same days has nothing to write (no commit to wait for).
        sweeps.record_pass(NAME, now, {"warn_days": days})
    return result
