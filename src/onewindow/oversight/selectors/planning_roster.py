"""The clerks at the windows per half hour, for window planning (R-HALL-4). Reads only.

In order: the roster the center set (``RosterSlot``, per half hour); else the window
sign-ins of the past weeks: per half hour the median number of windows with a clerk
signed in at its middle, over the past days of the same weekday (all days when that
weekday has none); else the clerks signed in now (or ever), the same all day. Half
hours outside the hall's opening periods (the lunch break) are not planned at all. No
half hour has more clerks than the hall has windows.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from onewindow.hall.models import WindowSession
from onewindow.oversight.models import RosterSlot

SLOT_MIN = 30

SET, SIGN_INS, NOW = "set", "sign_ins", "now"
SOURCE_LABELS = {
    SET: "中心设置的排班",
    SIGN_INS: "近期签到记录（同星期几的中位数）",
    NOW: "当前签到的窗口人员",
}


@dataclass
class Roster:
    clerks: list[int]  # per planned half hour
    sources: list[str]  # per planned half hour: SET, SIGN_INS or NOW

    @property
    def label(self) -> str:
        return "；".join(SOURCE_LABELS[s] for s in dict.fromkeys(self.sources)) or "—"


def start_of(slot: int) -> dt.time:
    return dt.time(slot * SLOT_MIN // 60, slot * SLOT_MIN % 60)


def center_roster(center) -> dict[dt.time, int]:
    return dict(RosterSlot.objects.filter(center=center).values_list("start", "clerks"))


def signed_in(center, day: dt.date, today: dt.date, days: int) -> dict[int, int] | None:
    """Per half hour, the median windows with a clerk signed in at its middle on the
    past days (``days`` back from ``today``) of ``day``'s weekday; None: no sign-ins."""
    start = today - dt.timedelta(days=days)
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    per_day: dict[dt.date, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    rows = WindowSession.objects.filter(
        window__center=center, signed_in_at__gte=lo, signed_in_at__lt=hi
    ).values_list("window_id", "signed_in_at", "signed_out_at")
    for wid, came, left in rows.iterator():
        came = timezone.localtime(came)
        left = timezone.localtime(left) if left else None
        begin = came.hour * 60 + came.minute
        end = left.hour * 60 + left.minute if left and left.date() == came.date() else 24 * 60
        for slot in range(begin // SLOT_MIN, (end - 1) // SLOT_MIN + 1):
            if begin <= slot * SLOT_MIN + SLOT_MIN // 2 < end:
                per_day[came.date()][slot].add(wid)
    if not per_day:
        return None
    same = [d for d in per_day if d.weekday() == day.weekday()] or list(per_day)
    slots = set().union(*(per_day[d].keys() for d in same))
    return {s: statistics.median_low([len(per_day[d].get(s, ())) for d in same]) for s in slots}


def roster_for(
    center, day: dt.date, slots: list[int], *, windows: int, now_clerks: int, today, days: int
) -> Roster:
    chosen = center_roster(center)
    history = None if len(chosen) >= len(slots) else signed_in(center, day, today, days)
    clerks, sources = [], []
    for s in slots:
        if start_of(s) in chosen:
            n, src = chosen[start_of(s)], SET
        elif history is not None:
            n, src = history.get(s, 0), SIGN_INS
        else:
            n, src = now_clerks, NOW
        clerks.append(max(0, min(n, windows)))
        sources.append(src)
    return Roster(clerks, sources)
