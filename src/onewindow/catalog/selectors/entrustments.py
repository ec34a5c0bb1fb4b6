"""Reads of entrusted matters (委托事项): who may record them, which one covers a center
on a day (what intake asks), a matter's entrustments for staff (in scope) and for the
public guide (in force today)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from onewindow.catalog.models import Entrustment, Listing, Matter
from onewindow.core.errors import NotFound
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.org.models import Center, Department, Level

POINT_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)


def competent_levels(matter: Matter) -> tuple[str, ...]:
    """The levels of the departments that hold a matter's power: its own level; a
    township or village matter is the county body's (as its listings are)."""
    if matter.level in POINT_LEVELS:
        return (Level.COUNTY,)
    return (matter.level,)


def can_entrust(actor, *, department: Department, center: Center) -> bool:
    """``catalog.entrust`` and a scope holding both the department and the center."""
    if actor.is_superuser:
        return True
    if not may(actor, "catalog.entrust"):
        return False
    scope = scope_for(actor)
    return (
        Department.objects.visible_to(scope).filter(pk=department.pk).exists()
        and Center.objects.visible_to(scope).filter(pk=center.pk).exists()
    )


def power_above(listing: Listing) -> bool:
    """A listing at a township or village point implemented by a department above it:
    the point decides there only under an entrustment; otherwise it takes the case in
    for the department (代办)."""
    return (
        listing.center.region.level in POINT_LEVELS
        and listing.department.region_id != listing.center.region_id
    )


def entrustment_covering(*, matter_id: int, center_id: int, day: dt.date) -> Entrustment | None:
    """The entrustment in force on ``day`` of the matter to the center, if any."""
    return (
        Entrustment.objects.active_on(day)
        .filter(matter_id=matter_id, center_id=center_id)
        .select_related("department", "center")
        .order_by("start", "pk")
        .first()
    )


def entrustments_for_staff(*, scope, matter: Matter | None = None) -> QuerySet[Entrustment]:
    qs = Entrustment.objects.visible_to(scope).select_related(
        "matter", "department", "center", "created_by", "revoked_by"
    )
    return qs.filter(matter=matter) if matter is not None else qs


def entrustment_get_for_staff(*, scope, entrustment_id: int) -> Entrustment:
    found = entrustments_for_staff(scope=scope).filter(pk=entrustment_id).first()
    if found is None:
        raise NotFound("entrustment.not_found", "未找到该委托事项。")
    return found


def entrustments_public(matter: Matter, day: dt.date) -> list[Entrustment]:
    """What the public guide states: the entrustments of the matter in force today."""
    return list(
        Entrustment.objects.active_on(day)
        .filter(matter=matter, center__is_active=True)
        .select_related("department", "center")
        .order_by("center__region__path", "start")
    )


def entrust_choices(*, scope, matter: Matter) -> dict:
    """The departments that may entrust the matter and the centers that may receive it,
    in the reader's scope (the form's choices)."""
    departments = Department.objects.visible_to(scope).filter(
        line_id=matter.line_id, region__level__in=competent_levels(matter)
    )
    paths = list(departments.values_list("region__path", flat=True))
    centers = Center.objects.visible_to(scope).filter(is_active=True).select_related("region")
    centers = [c for c in centers if any(c.region.path.startswith(p) for p in paths)]
    return {"departments": departments.select_related("region"), "centers": centers}
