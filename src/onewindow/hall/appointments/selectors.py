"""Reads for the appointment and home-visit pages and API (R-HALL-6)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.hall.appointments.common import (
    BOOKING_HORIZON_DAYS,
)
from onewindow.hall.models import (
    AppointmentSlot,
    HomeVisit,
    ServiceCategory,
)
from onewindow.org.models import Center

# --- selectors ---------------------------------------------------------------------------------


def public_centers() -> QuerySet[Center]:
    return (
        Center.objects.filter(is_active=True, service_categories__is_active=True)
        .select_related("region")
        .distinct()
    )


def public_center(center_id) -> Center:
    found = public_centers().filter(pk=center_id).first() if str(center_id).isdigit() else None
    if found is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    return found


def public_category(center: Center, category_id) -> ServiceCategory:
    found = (
        center.service_categories.filter(pk=category_id, is_active=True).first()
        if str(category_id).isdigit()
        else None
    )
    if found is None:
        raise NotFound("category.not_found", "未找到该业务类别。")
    return found


def bookable_slots(
    *,
    center: Center,
    category: ServiceCategory | None = None,
    day: date | None = None,
    now: datetime | None = None,
) -> QuerySet[AppointmentSlot]:
    """Future slots within the booking horizon, with their remaining capacity."""
    now = clock.now(now)
    today = timezone.localdate(now)
    qs = AppointmentSlot.objects.filter(
        center=center,
        category__is_active=True,
        day__gte=today,
        day__lte=today + timedelta(days=BOOKING_HORIZON_DAYS),
    )
    if category is not None:
        qs = qs.filter(category=category)
    if day is not None:
        qs = qs.filter(day=day)
    local = timezone.localtime(now)
    return (
        qs.exclude(day=today, start__lte=local.time())
        .select_related("category")
        .order_by("day", "start")
    )


def center_for_admin(*, actor, center_id) -> Center:
    """A center the actor administers; 404 for missing and not-yours alike."""
    if not actor.is_authenticated or not str(center_id).isdigit():
        raise NotFound("center.not_found", "未找到该服务中心。")
    center = Center.objects.visible_to(scope_for(actor)).filter(pk=center_id).first()
    if center is None or not (actor.is_superuser or Role.CENTER_ADMIN in roles_of(actor)):
        raise NotFound("center.not_found", "未找到该服务中心。")
    return center


def centers_for_admin(actor) -> QuerySet[Center]:
    if not actor.is_authenticated or not (
        actor.is_superuser or Role.CENTER_ADMIN in roles_of(actor)
    ):
        return Center.objects.none()
    return Center.objects.visible_to(scope_for(actor)).filter(is_active=True)


def home_visit_get_for(*, actor, visit_id) -> HomeVisit:
    """A home visit of a center the actor administers, or one assigned to the actor."""
    if not actor.is_authenticated or not str(visit_id).isdigit():
        raise NotFound("home_visit.not_found", "未找到该上门服务。")
    visit = (
        HomeVisit.objects.select_related("center", "matter", "staff").filter(pk=visit_id).first()
    )
    if visit is None:
        raise NotFound("home_visit.not_found", "未找到该上门服务。")
    if visit.staff_id == actor.pk:
        return visit
    try:
        center_for_admin(actor=actor, center_id=visit.center_id)
    except NotFound:
        raise NotFound("home_visit.not_found", "未找到该上门服务。") from None
    return visit


def center_staff(center: Center):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(staff_profile__center=center, staff_profile__active=True, is_active=True)
        .order_by("staff_profile__staff_no")
    )
