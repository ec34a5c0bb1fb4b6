"""Building and caching the work calendar of a place (R-CASE-4): the official package,
the schedules loaded for years it lacks, the local overrides of the place and the
regions above it."""

from __future__ import annotations

import threading
import time
from datetime import date

from django.core.cache import cache
from django.db import connection
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
    from the rows that transaction sees, so a rollback never leaves a wrong copy.
    """
    if center is not None:
        region = center.region
    path = region.path if region is not None else ""
    if connection.in_atomic_block:
        return build(path)
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
