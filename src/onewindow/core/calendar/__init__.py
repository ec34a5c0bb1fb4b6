"""The work calendar's database side (R-CASE-4).

``calendar_for`` builds the pure ``WorkCalendar`` of a place from the official
package, the schedules loaded for years the package lacks (``CalendarYear``) and
the local overrides of the place and the regions above it. Services here are the
only writes to that data and to ``Deadline``; each checks who may act, runs in one
transaction and writes its audit record in it.

``actor=None`` stands for the system (management commands, hooks of other apps);
pages and the API always pass the signed-in user.

The topics: ``official`` (the official data, the bounds of input), ``build`` (the
calendar of a place and its cache), ``access`` (who may maintain it), ``schedules``
(a year's official schedule), ``overrides`` (local closures and extra working days),
``deadlines`` (clocks counted on it), ``status`` (what is known of each year).
"""

from onewindow.core.calendar.access import can_manage_calendar, is_center_admin
from onewindow.core.calendar.build import ancestor_paths, calendar_for, calendars_for, invalidate
from onewindow.core.calendar.deadlines import (
    deadline_pause,
    deadline_recompute,
    deadline_recompute_provisional,
    deadline_resume,
    deadline_start,
    when_deadlines_recounted,
)
from onewindow.core.calendar.official import (
    MAX_DEADLINE_DAYS,
    MAX_SCHEDULE_CHARS,
    MAX_YEAR,
    MIN_YEAR,
    official_covers,
)
from onewindow.core.calendar.overrides import (
    calendar_override_check,
    calendar_override_create,
    calendar_override_delete,
    calendar_override_find,
)
from onewindow.core.calendar.schedules import calendar_year_load
from onewindow.core.calendar.status import YearStatus, calendar_status, calendar_warning

__all__ = [
    "MAX_DEADLINE_DAYS",
    "MAX_SCHEDULE_CHARS",
    "MAX_YEAR",
    "MIN_YEAR",
    "YearStatus",
    "ancestor_paths",
    "calendar_for",
    "calendars_for",
    "calendar_override_check",
    "calendar_override_create",
    "calendar_override_delete",
    "calendar_override_find",
    "calendar_status",
    "calendar_warning",
    "calendar_year_load",
    "can_manage_calendar",
    "deadline_pause",
    "deadline_recompute",
    "deadline_recompute_provisional",
    "deadline_resume",
    "deadline_start",
    "invalidate",
    "is_center_admin",
    "official_covers",
    "when_deadlines_recounted",
]
