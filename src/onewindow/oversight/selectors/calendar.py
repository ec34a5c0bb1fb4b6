"""Reads of the work calendar page (R-CASE-4): the places a person sees and manages,
and the local overrides shown to them with whether they may delete each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from onewindow.core import calendar as cal
from onewindow.core.models import CalendarOverride
from onewindow.org import selectors as org_selectors


@dataclass(frozen=True)
class CalendarAccess:
    """What a person may do on the calendar page."""

    can_manage: bool  # add and delete local overrides (of their places)
    can_load: bool  # load official schedules, act prefecture-wide
    everything: bool  # the superuser or a prefecture-wide scope

    @classmethod
    def of(cls, user, scope) -> CalendarAccess:
        return cls(
            can_manage=user.is_superuser or cal.is_center_admin(user),
            can_load=cal.can_manage_calendar(user, region=None),
            everything=user.is_superuser or scope.everything,
        )


def is_staff(user) -> bool:
    """The superuser or an active staff member: who sees the calendar page."""
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None)
    return profile is not None and profile.active


def home_region(user):
    profile = getattr(user, "staff_profile", None)
    return profile.home_region if profile is not None else None


def regions_visible(scope):
    return org_selectors.regions_visible(scope=scope)


def regions_managed(scope, access: CalendarAccess):
    return org_selectors.regions_managed(scope=scope, everything=access.everything)


def region_shown(scope, region):
    """The region asked for if the person sees it, else None (the whole prefecture)."""
    if region is not None and not regions_visible(scope).filter(pk=region.pk).exists():
        return None
    return region


def _visible_overrides(user, scope, today: date):
    qs = CalendarOverride.objects.select_related("region").filter(
        date__gte=today - timedelta(days=31)
    )
    if not scope.everything:
        region = home_region(user)
        q = Q(region__isnull=True)
        if region is not None:
            q |= Q(region__path__in=cal.ancestor_paths(region.path))
        for path in scope.region_paths:
            q |= Q(region__path__startswith=path)
        qs = qs.filter(q)
    return qs.order_by("date", "region__path")[:100]


def overrides_shown(user, scope, access: CalendarAccess, today: date) -> list[tuple]:
    """(override, deletable) for the recent and coming overrides the person sees."""
    managed_paths = None if access.everything else list(scope.region_paths)
    rows = []
    for o in _visible_overrides(user, scope, today):
        if not access.can_manage:
            deletable = False
        elif o.region_id is None:
            deletable = access.can_load
        else:
            deletable = managed_paths is None or any(
                o.region.path.startswith(p) for p in managed_paths
            )
        rows.append((o, deletable))
    return rows
