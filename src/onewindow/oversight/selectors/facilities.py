"""Reads of the hall's facilities (R-HALL-8) in the caller's scope: zones and
facilities, the day's checklist, faults with the time to fix, free services per day."""

from __future__ import annotations

import calendar as pycal
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from onewindow.oversight.models import (
    Facility,
    FacilityCheck,
    FacilityFault,
    FreeService,
    FreeServiceCount,
    HallZone,
)


def zones(*, scope, center):
    return HallZone.objects.visible_to(scope).filter(center=center).prefetch_related("facilities")


def facilities(*, scope, center):
    return (
        Facility.objects.visible_to(scope).filter(center=center, active=True).select_related("zone")
    )


def check_of_day(*, scope, center, day: date) -> FacilityCheck | None:
    return (
        FacilityCheck.objects.visible_to(scope)
        .filter(center=center, day=day)
        .select_related("checked_by")
        .first()
    )


def recent_checks(*, scope, center, limit=14):
    return (
        FacilityCheck.objects.visible_to(scope)
        .filter(center=center)
        .select_related("checked_by")
        .prefetch_related("items__facility")[:limit]
    )


@dataclass(frozen=True)
class FaultSummary:
    open: int
    fixed: int
    mean_hours: float | None


def faults(*, scope, center, state: str = "open", limit=100):
    qs = (
        FacilityFault.objects.visible_to(scope)
        .filter(center=center)
        .select_related("facility__zone", "reported_by", "fixed_by")
    )
    if state == "open":
        qs = qs.filter(fixed_at__isnull=True)
    elif state == "fixed":
        qs = qs.filter(fixed_at__isnull=False).order_by("-fixed_at")
    return qs[:limit]


def fault_summary(*, scope, center) -> FaultSummary:
    qs = FacilityFault.objects.visible_to(scope).filter(center=center)
    fixed = [
        f.hours_to_fix for f in qs.filter(fixed_at__isnull=False).only("reported_at", "fixed_at")
    ]
    return FaultSummary(
        open=qs.filter(fixed_at__isnull=True).count(),
        fixed=len(fixed),
        mean_hours=sum(fixed) / len(fixed) if fixed else None,
    )


@dataclass(frozen=True)
class FreeServiceDay:
    day: date
    counts: list[int]
    total: int


@dataclass(frozen=True)
class FreeServiceMonth:
    year: int
    month: int
    services: list[str]
    days: list[FreeServiceDay]
    totals: list[int]
    total: int


def free_services_month(*, scope, center, year: int, month: int) -> FreeServiceMonth:
    last = pycal.monthrange(year, month)[1]
    rows = FreeServiceCount.objects.visible_to(scope).filter(
        center=center, day__range=(date(year, month, 1), date(year, month, last))
    )
    by_day: dict[date, dict[str, int]] = defaultdict(dict)
    for r in rows:
        by_day[r.day][r.service] = r.count
    services = list(FreeService.values)
    days = []
    for d in sorted(by_day):
        counts = [by_day[d].get(s, 0) for s in services]
        days.append(FreeServiceDay(d, counts, sum(counts)))
    totals = [sum(day.counts[i] for day in days) for i in range(len(services))]
    return FreeServiceMonth(
        year, month, [FreeService(s).label for s in services], days, totals, sum(totals)
    )


def free_services_today(*, scope, center, day: date) -> dict[str, int]:
    rows = FreeServiceCount.objects.visible_to(scope).filter(center=center, day=day)
    return {r.service: r.count for r in rows}
