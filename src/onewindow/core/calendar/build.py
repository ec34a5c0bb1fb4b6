"""Building and caching the work calendar of a place (R-CASE-4): the official package,
the schedules loaded for years it lacks, the local overrides of the place and the
regions above it."""

from __future__ import annotations

import threading
import time
from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q

from onewindow.core.calendar.official import official_day, official_name
from onewindow.core.models import CalendarDay, CalendarOverride, CalendarYear
from onewindow.core.workcalendar import WorkCalendar

VERSION_KEY = "onewindow:calendar:version"
LOCAL_TTL_SECONDS = 300  # bounds staleness where no shared cache carries the version

_local: dict[str, tuple[object, float, WorkCalendar]] = {}
_local_lock = threading.Lock()


def invalidate() -> None:
    """Forget every built calendar, here and (through the shared cache) elsewhere."""
    forget_in_transaction()
    with _local_lock:
        _local.clear()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def ancestor_paths(path: str) -> list[str]:
    codes = [c for c in path.strip("/").split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def _loaded_days() -> tuple[dict[int, dict[date, bool]], dict[date, str]]:
    loaded: dict[int, dict[date, bool]] = {}
    names: dict[date, str] = {}
    for year in CalendarYear.objects.values_list("year", flat=True):
        loaded[year] = {}
    for day in CalendarDay.objects.select_related("year").only(
        "date", "is_workday", "name", "year__year"
    ):
        loaded.setdefault(day.year.year, {})[day.date] = day.is_workday
        if day.name:
            names[day.date] = day.name
    return loaded, names


def _calendar(path: str, loaded, names, rows: list[CalendarOverride]) -> WorkCalendar:
    ancestors = set(ancestor_paths(path))
    mine = [r for r in rows if r.region_id is None or r.region.path in ancestors]
    overrides: dict[date, bool] = {}
    reasons: dict[date, str] = {}
    # The most specific place wins: prefecture-wide first, then down the tree.
    for row in sorted(mine, key=lambda o: len(o.region.path) if o.region_id else 0):
        overrides[row.date] = row.is_workday
        reasons[row.date] = row.reason
    return WorkCalendar(
        official=official_day,
        loaded=loaded,
        overrides=overrides,
        names=names,
        override_reasons=reasons,
        official_name=official_name,
    )


def _overrides(paths) -> list[CalendarOverride]:
    q = Q(region__isnull=True)
    ancestors = {a for path in paths for a in ancestor_paths(path)}
    if ancestors:
        q |= Q(region__path__in=sorted(ancestors))
    return list(CalendarOverride.objects.filter(q).select_related("region"))


def build(path: str) -> WorkCalendar:
    loaded, names = _loaded_days()
    return _calendar(path, loaded, names, _overrides([path]))


# Within a transaction the calendar of a place is built once and kept until the
# transaction ends: kept on the connection together with a marker registered with
# ``on_commit``. Django runs the marker at commit and drops it when the transaction, or
# the savepoint the copy was built in, rolls back; either way the copy is forgotten.
# A write to the calendar data in the transaction forgets it at once
# (``forget_in_transaction``, also on every save or delete of a calendar row).
_IN_TRANSACTION = "_onewindow_calendars"


class _Marker:
    def __init__(self, conn):
        self.conn = conn
        self.at = 0  # where it was in ``conn.run_on_commit``

    def __call__(self):
        held = getattr(self.conn, _IN_TRANSACTION, None)
        if held is not None and held[0] is self:
            setattr(self.conn, _IN_TRANSACTION, None)


def forget_in_transaction() -> None:
    """Drop the calendars built in the current transaction (its calendar data changed)."""
    setattr(connection, _IN_TRANSACTION, None)


def _still_registered(marker: _Marker) -> bool:
    pending = connection.run_on_commit
    at = marker.at
    if at < len(pending) and pending[at][1] is marker:
        return True
    for at, entry in enumerate(pending):  # moved by the rollback of an earlier savepoint
        if entry[1] is marker:
            marker.at = at
            return True
    return False


def _held_in_transaction() -> dict[str, WorkCalendar]:
    held = getattr(connection, _IN_TRANSACTION, None)
    if held is not None and _still_registered(held[0]):
        return held[1]
    marker = _Marker(connection)
    transaction.on_commit(marker)
    marker.at = len(connection.run_on_commit) - 1
    built: dict[str, WorkCalendar] = {}
    setattr(connection, _IN_TRANSACTION, (marker, built))
    return built


def build_in_transaction(path: str) -> WorkCalendar:
    """The calendar of a place as the current transaction sees it, built once per
    transaction (outside one: built afresh)."""
    if not connection.in_atomic_block:
        return build(path)
    built = _held_in_transaction()
    calendar = built.get(path)
    if calendar is None:
        calendar = built[path] = build(path)
    return calendar


def build_many(paths) -> dict[str, WorkCalendar]:
    """The calendars of several places from one read of the calendar data (a sweep
    over many centers)."""
    paths = sorted(set(paths))
    loaded, names = _loaded_days()
    rows = _overrides(paths)
    return {path: _calendar(path, loaded, names, rows) for path in paths}


def calendar_for(*, center=None, region=None) -> WorkCalendar:
    """The work calendar of a center (or a region; neither: the prefecture-wide one).

    Cached per region outside transactions; inside one (every service) it is built
    from the rows that transaction sees, once per transaction, so a rollback never
    leaves a wrong copy.
    """
    if center is not None:
        region = center.region
    path = region.path if region is not None else ""
    if connection.in_atomic_block:
        return build_in_transaction(path)
    version = cache.get(VERSION_KEY, 0)
    now = time.monotonic()
    hit = _local.get(path)
    if hit is not None and hit[0] == version and now - hit[1] < LOCAL_TTL_SECONDS:
        return hit[2]
    built = build(path)
    with _local_lock:
        _local[path] = (version, now, built)
    return built


def calendars_for(centers) -> dict[int, WorkCalendar]:
    """The work calendars of several centers, by id, from one read of the calendar data
    (built afresh: for a sweep over many centers)."""
    centers = list(centers)
    built = build_many(c.region.path for c in centers)
    return {c.pk: built[c.region.path] for c in centers}
