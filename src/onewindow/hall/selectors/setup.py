"""Reads of the center administrator's hall set-up pages (R-HALL-1, R-HALL-5): the
center's windows, categories and window staff with their authorisation counts, each
record looked up within the center already checked for the administrator's scope."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from onewindow.catalog.models import Listing, Matter
from onewindow.core.errors import NotFound
from onewindow.core.roles import has_any, roles_of
from onewindow.hall.models import Authorization, ServiceCategory, Window
from onewindow.org.models import Center


def center_matters(center: Center):
    """The matters a center takes in: listed there, or in one of its categories."""
    listed = Listing.objects.filter(center=center, status=Listing.Status.ACTIVE).values("matter_id")
    categorised = ServiceCategory.objects.filter(center=center).values("matters")
    return (
        Matter.objects.filter(Q(pk__in=listed) | Q(pk__in=categorised))
        .filter(status=Matter.Status.ACTIVE)
        .order_by("name")
        .distinct()
    )


def window_staff(center: Center) -> list:
    """The center's staff who may sit at a window (clerks, chief representatives …)."""
    users = (
        get_user_model()
        .objects.filter(staff_profile__center=center, staff_profile__active=True, is_active=True)
        .select_related("staff_profile")
        .order_by("staff_profile__staff_no")
    )
    return [u for u in users if has_any(roles_of(u), "hall.window")]


def clerk_of(center: Center, user_id) -> object:
    found = next((u for u in window_staff(center) if str(u.pk) == str(user_id)), None)
    if found is None:
        raise NotFound("clerk.not_found", "未找到该窗口工作人员。")
    return found


def window_of(center: Center, window_id) -> Window:
    """The center's window with that id; any other answers 404."""
    window = Window.objects.filter(center=center, pk=window_id).first()
    if window is None:
        raise NotFound("window.not_found", "未找到该窗口。")
    return window


def category_of(center: Center, category_id) -> ServiceCategory:
    """The center's service category with that id; any other answers 404."""
    category = ServiceCategory.objects.filter(center=center, pk=category_id).first()
    if category is None:
        raise NotFound("category.not_found", "未找到该业务类别。")
    return category


def center_setup(center: Center) -> dict:
    """The overview of one center's hall: windows, categories, and each window clerk with
    the number of matters they may accept and, of those, decide on the spot."""
    clerks = window_staff(center)
    counts: dict[int, tuple[int, int]] = {}
    for clerk_id, may_decide in Authorization.objects.filter(clerk__in=clerks).values_list(
        "clerk_id", "may_decide"
    ):
        accept, decide = counts.get(clerk_id, (0, 0))
        counts[clerk_id] = (accept + 1, decide + int(may_decide))
    return {
        "windows": Window.objects.filter(center=center).prefetch_related("categories"),
        "categories": ServiceCategory.objects.filter(center=center).prefetch_related("matters"),
        "clerks": [(c, *counts.get(c.pk, (0, 0))) for c in clerks],
    }


def authorizations_of(clerk):
    """What a clerk may take in (and decide on the spot), by matter."""
    return (
        Authorization.objects.filter(clerk=clerk)
        .select_related("matter", "granted_by")
        .order_by("matter__name")
    )


def authorization_of(clerk, matter_id) -> Authorization:
    """The clerk's authorisation for the matter posted; NotFound for any other."""
    raw = str(matter_id or "")
    found = (
        Authorization.objects.filter(clerk=clerk, matter_id=raw).first() if raw.isdigit() else None
    )
    if found is None:
        raise NotFound("authorization.not_found", "该工作人员没有这项授权。")
    return found


def window_pks_by_number(center: Center) -> dict[int, int]:
    """The center's windows: number → id."""
    return dict(Window.objects.filter(center=center).values_list("number", "pk"))


def active_categories(center: Center):
    return ServiceCategory.objects.filter(center=center, is_active=True)


def active_windows(center: Center):
    return Window.objects.filter(center=center, is_active=True)
