"""Reads for the appointment and home-visit pages and API (R-HALL-6)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from onewindow.catalog.models import Listing, Matter
from onewindow.core import clock, crypto
from onewindow.core.errors import NotFound
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.hall import home_visit_states as hv
from onewindow.hall.appointments.common import BOOKING_HORIZON_DAYS, normalize_code, owned_by
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    BookingSuspension,
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


def centers_by_region(actor) -> QuerySet[Center]:
    """The centers an administrator sets up, by region."""
    return centers_for_admin(actor).select_related("region").order_by("region__path")


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
    return (
        get_user_model()
        .objects.filter(staff_profile__center=center, staff_profile__active=True, is_active=True)
        .order_by("staff_profile__staff_no")
    )


# --- the public pages: what a person typed or picked, looked up (None when there is none) ----

CENTER_NOT_FOUND = "未找到该服务中心。"
CATEGORY_NOT_FOUND = "未找到该业务类别。"
APPOINTMENT_NOT_FOUND = "未找到该预约，请核对预约码。"
CANCEL_NOT_FOUND = "未找到该预约，请核对预约码和预约时填写的手机号（或身份证号）。"


def find_public_center(raw) -> Center | None:
    return public_centers().filter(pk=raw).first() if str(raw or "").isdigit() else None


def find_public_category(center: Center, raw) -> ServiceCategory | None:
    if not str(raw or "").isdigit():
        return None
    return center.service_categories.filter(pk=raw, is_active=True).first()


def find_appointment(code: str) -> Appointment | None:
    return (
        Appointment.objects.filter(code=normalize_code(code))
        .select_related("slot", "center", "category", "matter")
        .first()
    )


def todays_appointment_by_identity(center: Center, number: str, day: date) -> Appointment | None:
    """The booking made with this (checked) identity number at this center for that day,
    to check in by the identity card on the terminal: the earliest not yet checked in,
    else the one checked in already (checking in again prints the same ticket)."""
    found = Appointment.objects.filter(
        center=center, day=day, id_number_digest=crypto.lookup_digest(number)
    ).filter(state__in=[Appointment.State.BOOKED, Appointment.State.CHECKED_IN])
    return found.order_by("state", "slot__start", "pk").first()


def find_own_appointment(code: str, phone_or_id: str) -> Appointment | None:
    """The booking of that code if the phone or identity number typed is the one it was
    made with (the cancel form's check; the service checks again under its lock)."""
    found = Appointment.objects.filter(code=normalize_code(code)).first()
    return found if found is not None and owned_by(found, phone_or_id) else None


def booking_days(slots: QuerySet[AppointmentSlot]) -> list[date]:
    """The days with a free place among these slots."""
    days = (
        slots.filter(booked__lt=F("capacity")).values("day").annotate(n=Count("id")).order_by("day")
    )
    return [d["day"] for d in days]


def home_visit_matters(center: Center) -> QuerySet[Matter]:
    """The matters a home visit may be asked for at this center."""
    listed = Listing.objects.public().filter(center=center).values("matter_id")
    categorised = center.service_categories.filter(is_active=True).values("matters")
    return (
        Matter.objects.active()
        .filter(current_version__isnull=False)
        .filter(Q(pk__in=listed) | Q(pk__in=categorised))
        .order_by("name")
        .distinct()
    )


# --- the administrator's pages ---------------------------------------------------------------


def slot_at(center: Center, raw) -> AppointmentSlot:
    """A slot of this center by the id a form posted; NotFound for any other."""
    slot = (
        AppointmentSlot.objects.filter(center=center, pk=raw).first()
        if str(raw or "").isdigit()
        else None
    )
    if slot is None:
        raise NotFound("appointment.slot_not_found", "未找到该预约时段。")
    return slot


def home_visit_at(center: Center, raw) -> HomeVisit:
    """A home visit of this center by the id a form posted; NotFound for any other."""
    visit = (
        HomeVisit.objects.filter(center=center, pk=raw).first()
        if str(raw or "").isdigit()
        else None
    )
    if visit is None:
        raise NotFound("home_visit.not_found", "未找到该上门服务。")
    return visit


def staff_day(center: Center, day: date, today: date) -> dict:
    """A center's slots and bookings of a day, its no-shows of the last 30 days and the
    suspensions still running."""
    return {
        "slots": list(
            AppointmentSlot.objects.filter(center=center, day=day)
            .select_related("category")
            .prefetch_related("duty_staff")
            .order_by("category__order", "start")
        ),
        "bookings": Appointment.objects.filter(center=center, day=day)
        .select_related("slot", "category", "matter")
        .order_by("slot__start", "category__letter", "created_at"),
        "no_shows": Appointment.objects.filter(
            center=center, state=Appointment.State.NO_SHOW, day__gte=today - timedelta(days=30)
        )
        .select_related("slot", "category")
        .order_by("-day", "slot__start"),
        "suspensions": BookingSuspension.objects.filter(center=center, until__gte=today).order_by(
            "until"
        ),
    }


def home_visits_of(center: Center) -> tuple[list[HomeVisit], QuerySet[HomeVisit]]:
    """A center's open home visits (oldest first) and its last 50 closed ones."""
    open_visits = list(
        HomeVisit.objects.filter(center=center, state__in=sorted(hv.OPEN))
        .select_related("matter", "staff")
        .order_by("created_at")
    )
    closed = (
        HomeVisit.objects.filter(center=center)
        .exclude(state__in=sorted(hv.OPEN))
        .select_related("matter", "staff")
        .order_by("-created_at")[:50]
    )
    return open_visits, closed


def active_categories(center: Center) -> QuerySet[ServiceCategory]:
    return center.service_categories.filter(is_active=True)


def bookable_slot(*, center: Center, category: ServiceCategory, slot_id) -> AppointmentSlot | None:
    """A slot still open for booking, by the id the page carries; None for any other."""
    if not str(slot_id or "").isdigit():
        return None
    return bookable_slots(center=center, category=category).filter(pk=slot_id).first()
