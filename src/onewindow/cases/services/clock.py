"""The promised clock on the case row (R-CASE-4).

The deadline records (``core.models.Deadline`` and its pauses) are the truth; the case
row carries what lists read through one index each: the due date (none while the clock
is paused) and whether the clock runs (accepted or in review, not paused); the case's
``CaseLine`` row (``cases.models.lines``) the next line the sweep looks at:

- not yet warned, and the limit is at least one working day: the first day on which
  ``warn_days()`` or fewer working days are left (a short matter: one less than its
  whole limit, so nothing is warned the moment it is accepted);
- warned (or an on-the-spot matter): the day after the due date (the alarm);
- alarmed, or the clock stands: none (no ``CaseLine`` row).

``clock_sync`` sets these from the case's state and its deadline as stored now; every
step that moves a clock (acceptance, deemed acceptance, a correction notice and its
answer, a special procedure and its end, a decision, a supervisor's reopen or move on,
withdrawal) calls it before it saves the case, in its transaction. A recount of the
deadlines on changed calendar data (a local override, a year's schedule) reaches the
rows through ``clocks_recounted``, registered with the calendar in ``apps.py``.

The line is never later than the true one: the sweep reads every running case whose
line has come, checks it exactly on the calendar of the day and moves the line on.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery

from onewindow.cases import states
from onewindow.cases.models import Case, CaseAlert, CaseLine
from onewindow.core import calendar as work_calendar
from onewindow.core.locking import for_update
from onewindow.core.models import Deadline
from onewindow.core.workcalendar import WorkCalendar

ONE_DAY = timedelta(days=1)
CLOCK_FIELDS = ["due", "clock_running"]
CHUNK = 1000
# No calendar has this many days off in a row; the walk back stops there.
MAX_WALK = 400


def warn_days() -> int:
    """Working days left at which a case is warned (``ONEWINDOW_CASE_WARN_DAYS``)."""
    return int(getattr(settings, "ONEWINDOW_CASE_WARN_DAYS", 2))


def warn_threshold(limit_days: int | None, days: int) -> int | None:
    """The working days left at which a case with this limit is warned (None: never,
    an on-the-spot matter is only alarmed)."""
    if not limit_days or limit_days <= 0:
        return None
    return min(days, limit_days - 1)


def warn_day(cal: WorkCalendar, due: date, threshold: int) -> date:
    """The first day with ``threshold`` or fewer working days after it up to ``due``."""
    day, left = due, 0
    for _ in range(MAX_WALK):
        left += cal.is_workday(day)  # working days in (day - 1, due]
        if left > threshold:
            return day
        day -= ONE_DAY
    return day


def warned_through(cal: WorkCalendar, today: date, threshold: int) -> date:
    """The last due date warned by ``today`` at this threshold: ``warn_day`` only moves
    forward with the due date, so the cases warned by today are those due on or before
    it (the sweep's set-based step, ``cases.crossings``)."""
    due = today
    for _ in range(MAX_WALK):
        if warn_day(cal, due + ONE_DAY, threshold) > today:
            return due
        due += ONE_DAY
    return due


def next_line(
    level: int, due: date | None, limit_days: int | None, cal: WorkCalendar | None, days: int
) -> date | None:
    """The next day the sweep looks at a running case at ``level`` (see the module)."""
    if due is None or level >= CaseAlert.Level.OVERDUE:
        return None
    threshold = warn_threshold(limit_days, days)
    if level < CaseAlert.Level.WARNING and threshold is not None and cal is not None:
        return warn_day(cal, due, threshold)
    return due + ONE_DAY


_STANDS = object()  # the line is left as it is


def _line(case: Case, due, limit_days, calendars: dict | None = None, *, reline: bool = False):
    """The case's next line (None: none), or ``_STANDS`` when the clock ran on as it
    was and the line it has stands."""
    running = case.state in states.CLOCK_RUNNING and due is not None
    if not running:
        return None
    if not reline and case.clock_running and case.due == due:
        return _STANDS
    cal = None
    if case.warning_level < CaseAlert.Level.WARNING:
        cal = _calendar(case, calendars)
    return next_line(case.warning_level, due, limit_days, cal, warn_days())


def _apply(
    case: Case, due, limit_days, calendars: dict | None = None, *, reline: bool = False
) -> tuple[list[str], object]:
    """Set the case row's clock fields; (the names changed, its next line or
    ``_STANDS``)."""
    line = _line(case, due, limit_days, calendars, reline=reline)
    running = case.state in states.CLOCK_RUNNING and due is not None
    changed = [
        name
        for name, value in (("due", due), ("clock_running", running))
        if getattr(case, name) != value
    ]
    case.due, case.clock_running = due, running
    return changed, line


def set_lines(lines: dict[int, date | None]) -> None:
    """Write the next lines of these cases (None: the case has none)."""
    gone = [pk for pk, line in lines.items() if line is None]
    kept = [CaseLine(case_id=pk, alert_on=line) for pk, line in lines.items() if line]
    if gone:
        CaseLine.objects.filter(case_id__in=gone).delete()
    if kept:
        CaseLine.objects.bulk_create(
            kept, update_conflicts=True, unique_fields=["case"], update_fields=["alert_on"]
        )


def line_of(case: Case) -> date | None:
    """The next day the sweep looks at ``case`` (None: none)."""
    return CaseLine.objects.filter(case_id=case.pk).values_list("alert_on", flat=True).first()


def _calendar(case: Case, calendars: dict | None) -> WorkCalendar:
    if calendars is None:
        return work_calendar.calendar_for(center=case.center)
    cal = calendars.get(case.center_id)
    if cal is None:
        cal = calendars[case.center_id] = work_calendar.calendar_for(center=case.center)
    return cal


def clock_sync(case: Case) -> list[str]:
    """Set the case row's due date, running flag and next line from its state and its
    promised deadline as stored now (call it before saving the case, in the step's
    transaction). Returns the names of the fields it changed."""
    due = limit_days = None
    if case.deadline_id:
        due, limit_days = (
            Deadline.objects.filter(pk=case.deadline_id).values_list("due", "days").get()
        )
    changed, line = _apply(case, due, limit_days)
    if line is _STANDS:
        if not CaseLine.objects.filter(case_id=case.pk).exists():
            # A running clock without a line: worked out again.
            set_lines({case.pk: _line(case, due, limit_days, reline=True)})
    else:
        set_lines({case.pk: line})
    return changed


def clock_sync_save(case: Case) -> None:
    """``clock_sync`` and save what it changed (for a step that saved the case already)."""
    changed = clock_sync(case)
    if changed:
        case.save(update_fields=changed)


def _with_deadline(cases):
    deadlines = Deadline.objects.filter(pk=OuterRef("deadline_id"))
    return cases.annotate(
        clock_due=Subquery(deadlines.values("due")[:1]),
        clock_days=Subquery(deadlines.values("days")[:1]),
    ).select_related("center__region")


def clocks_recounted(deadline_ids: list[int]) -> int:
    """The calendar recounted these deadlines (in its transaction): the case rows that
    hold them follow. Returns how many rows changed."""
    calendars: dict = {}
    changed = 0
    for i in range(0, len(deadline_ids), CHUNK):
        chunk = deadline_ids[i : i + CHUNK]
        locked = for_update(Case.objects).filter(deadline_id__in=chunk).order_by("pk")
        ids = list(locked.values_list("pk", flat=True))
        old = dict(CaseLine.objects.filter(case_id__in=ids).values_list("case_id", "alert_on"))
        lines = {}
        for case in _with_deadline(Case.objects.filter(pk__in=ids)).order_by("pk"):
            # The calendar changed: the line is worked out again.
            fields, lines[case.pk] = _apply(
                case, case.clock_due, case.clock_days, calendars, reline=True
            )
            if fields:
                case.save(update_fields=fields)
            if fields or old.get(case.pk) != lines[case.pk]:
                changed += 1
        set_lines(lines)
    return changed


def clocks_rebuild(cases=None) -> int:
    """Work out the clock fields of ``cases`` (all cases: None) again from their
    deadlines, in bulk (loading data, an upgrade). Returns how many rows changed."""
    cases = Case.objects.all() if cases is None else cases
    calendars: dict = {}
    changed, lines = [], {}
    for case in _with_deadline(cases.order_by("pk")).iterator(chunk_size=CHUNK):
        fields, lines[case.pk] = _apply(
            case, case.clock_due, case.clock_days, calendars, reline=True
        )
        if fields:
            changed.append(case)
        if len(lines) >= CHUNK:
            set_lines(lines)
            lines = {}
    set_lines(lines)
    Case.objects.bulk_update(changed, CLOCK_FIELDS, batch_size=CHUNK)
    return len(changed)
