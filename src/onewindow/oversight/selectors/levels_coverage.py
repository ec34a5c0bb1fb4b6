"""Coverage of a lower level's network (R-SUP-3, R-NET-2): every township a
convenience center, every village a point, each staffed and open. For a unit (a
county's network: the county and its townships and villages; a township's: the township
and its villages) and a month:

- sites: the places (regions) with a center ÷ the places;
- staffed: the centers with at least one active front-office person (clerk, chief
  representative, agent) whose posting started by the month's end ÷ the centers;
- open: the centers running (``is_active``) that publish their hours (the hall schedule,
  or the hours on record) or show activity in the month (a ticket, a case received, a
  window sign-in) ÷ the centers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from onewindow.cases.models import Case
from onewindow.core.roles import FRONT_OFFICE
from onewindow.hall.models import HallSchedule, Ticket, WindowSession
from onewindow.org.models import Center, Region, StaffProfile
from onewindow.oversight.indicators import Figure
from onewindow.oversight.indicators.sources import bounds, month_of, next_month
from onewindow.oversight.levels_rule import COVERAGE_OPEN, COVERAGE_SITES, COVERAGE_STAFFED


@dataclass
class Coverage:
    places: list[Region] = field(default_factory=list)
    without_center: list[Region] = field(default_factory=list)
    centers: list[Center] = field(default_factory=list)
    unstaffed: list[Center] = field(default_factory=list)
    closed: list[Center] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, Figure]:
        n, c = len(self.places), len(self.centers)
        return {
            COVERAGE_SITES: Figure(n - len(self.without_center), n),
            COVERAGE_STAFFED: Figure(c - len(self.unstaffed), c),
            COVERAGE_OPEN: Figure(c - len(self.closed), c),
        }


def _unit_of(path: str, units: list[Region]) -> Region | None:
    for unit in units:
        if path.startswith(unit.path):
            return unit
    return None


def _active_months(center_ids: list[int], months: list[dt.date]) -> set[tuple[int, dt.date]]:
    """(center, month) pairs with a ticket, a case received or a window sign-in."""
    if not center_ids:
        return set()
    lo, hi = bounds(months)
    out: set[tuple[int, dt.date]] = set()
    for cid, day in (
        Ticket.objects.filter(center_id__in=center_ids, day__gte=lo.date(), day__lt=hi.date())
        .values_list("center_id", "day")
        .distinct()
    ):
        out.add((cid, month_of(day)))
    for cid, at in Case.objects.filter(
        center_id__in=center_ids, received_at__gte=lo, received_at__lt=hi
    ).values_list("center_id", "received_at"):
        out.add((cid, month_of(timezone.localdate(at))))
    for cid, at in WindowSession.objects.filter(
        window__center_id__in=center_ids, signed_in_at__gte=lo, signed_in_at__lt=hi
    ).values_list("window__center_id", "signed_in_at"):
        out.add((cid, month_of(timezone.localdate(at))))
    return out


def coverage(units: list[Region], months: list[dt.date]) -> dict[tuple[int, dt.date], Coverage]:
    """Each unit's coverage in each month."""
    units = sorted(units, key=lambda u: -len(u.path))
    if not units or not months:
        return {}
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path)
    places = list(Region.objects.filter(q).order_by("path"))
    centers = list(
        Center.objects.filter(region__in=places).select_related("region").order_by("region__path")
    )
    ids = [c.pk for c in centers]
    scheduled = set(
        HallSchedule.objects.filter(center_id__in=ids, periods__isnull=False).values_list(
            "center_id", flat=True
        )
    )
    published = {c.pk for c in centers if c.pk in scheduled or c.hours.strip()}
    active = _active_months([c.pk for c in centers if c.pk not in published], months)
    started: dict[int, list[dt.date]] = defaultdict(list)
    for cid, day in (
        StaffProfile.objects.filter(
            center_id__in=ids,
            active=True,
            user__is_active=True,
            user__groups__name__in=FRONT_OFFICE,
        )
        .values_list("center_id", "posting_started")
        .distinct()
    ):
        started[cid].append(day)
    by_region: dict[int, list[Center]] = defaultdict(list)
    for c in centers:
        by_region[c.region_id].append(c)
    out: dict[tuple[int, dt.date], Coverage] = {}
    for month in months:
        end = next_month(month)
        for unit in units:
            out[(unit.pk, month)] = Coverage()
        for place in places:
            unit = _unit_of(place.path, units)
            if unit is None:
                continue
            cov = out[(unit.pk, month)]
            cov.places.append(place)
            if not by_region[place.pk]:
                cov.without_center.append(place)
            for c in by_region[place.pk]:
                cov.centers.append(c)
                if not any(day < end for day in started[c.pk]):
                    cov.unstaffed.append(c)
                if not (c.is_active and (c.pk in published or (c.pk, month) in active)):
                    cov.closed.append(c)
    return out
