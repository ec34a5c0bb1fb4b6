"""The month the oldest open case was received in, on an install whose cases are
partitioned by month (``onewindow partition``, docs/scale.md).

The department queue and the deadline sweep read open cases only, and no step leads a
case from a closed state back to an open one (``states.ACTIONS``): a case opens when it
is received. So every open case was received in this month or later, and the queue and
the sweep say so (``received_at >= since()``): the planner then reads only the
partitions from that month on, instead of planning and probing every month since the
install. Recomputed by the first sweep of a day and after partitions change; read
through a per-process memo of a few minutes (a memo older than the mark only reads a
month more). None (no condition) on a plain table, SQLite included.

A case entered with a received time before the mark (an import of old open cases) needs
the mark recomputed: ``onewindow partition --ensure``.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.core import partitions
from onewindow.core.models import SweepMark

NAME = "cases_open_since"
MEMO_SECONDS = 300
_memo: list = []  # [(expires, value)]


def since() -> datetime | None:
    if _memo and _memo[0][0] > time.monotonic():
        return _memo[0][1]
    value = SweepMark.objects.filter(name=NAME).values_list("last_pass", flat=True).first()
    _memo[:] = [(time.monotonic() + MEMO_SECONDS, value)]
    return value


def window() -> tuple[datetime, datetime] | None:
    """(the mark, the start of the day after tomorrow): the received times of every open
    case on a partitioned install (none is received in the future), else None. Both
    bounds are literals, so the planner leaves out the months before and after."""
    since_at = since()
    if since_at is None:
        return None
    tomorrow = timezone.localdate() + timedelta(days=2)
    until = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    return since_at, until


def forget() -> None:
    _memo.clear()


def recompute(now: datetime | None = None) -> datetime | None:
    """The first moment of the month of the oldest open case (of this month when none),
    recorded when the cases are partitioned; the mark dropped otherwise (after
    ``partition --apply`` and ``--ensure``)."""
    at = None
    if partitions.is_partitioned(connection, Case._meta.db_table):
        open_cases = Case.objects.filter(state__in=sorted(states.OPEN))
        oldest = open_cases.aggregate(at=Min("received_at"))["at"]
        local = timezone.localtime(oldest or now or timezone.now())
        at = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        SweepMark.objects.update_or_create(name=NAME, defaults={"last_pass": at, "params": {}})
    else:
        SweepMark.objects.filter(name=NAME).delete()
    _memo[:] = [(time.monotonic() + MEMO_SECONDS, at)]
    return at


def move_on(now: datetime) -> None:
    """The first sweep of a day: the mark moved to the oldest open case's month, where
    there is a mark (nothing read on a plain table beyond the memo)."""
    if since() is not None:
        recompute(now)
