"""Reads of the organisation, always through the user's scope (R-NET-3)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from onewindow.core.errors import NotFound
from onewindow.org.models import Center, Department, Level, Region, StaffProfile


def region_list(*, scope) -> QuerySet[Region]:
    return Region.objects.visible_to(scope).select_related("parent")


def regions_visible(*, scope) -> QuerySet[Region]:
    """The regions a person sees, in tree order (the places above theirs included)."""
    return Region.objects.visible_to(scope).order_by("path")


def regions_managed(*, scope, everything: bool = False) -> QuerySet[Region]:
    """The regions of a person's own subtrees, in tree order (all of them for the
    superuser or a prefecture-wide scope: ``everything``)."""
    if everything or scope.everything:
        return Region.objects.order_by("path")
    q = Q(pk__in=[])
    for path in scope.region_paths:
        q |= Q(path__startswith=path)
    return Region.objects.filter(q).order_by("path")


def center_list(
    *, scope, level: str | None = None, region: Region | None = None, name: str = ""
) -> QuerySet[Center]:
    qs = Center.objects.visible_to(scope).select_related("region")
    if level:
        qs = qs.filter(region__level=level)
    if name:
        qs = qs.filter(name__icontains=name)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def center_get(*, scope, center_id: int) -> Center:
    center = center_list(scope=scope).filter(pk=center_id).first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    return center


def center_detail_counts(center: Center) -> dict:
    return {
        "departments": center.departments.count(),
        "staff": center.staff.filter(active=True).count(),
        "third_party_staff": center.staff.filter(active=True, employer_kind="third_party").count(),
    }


def department_list(*, scope, center: Center | None = None) -> QuerySet[Department]:
    qs = Department.objects.visible_to(scope).select_related("line", "region", "center")
    if center is not None:
        qs = qs.filter(center=center)
    return qs


def department_get(*, scope, department_id: int) -> Department:
    dept = department_list(scope=scope).filter(pk=department_id).first()
    if dept is None:
        raise NotFound("department.not_found", "未找到该部门。")
    return dept


def staff_list(
    *, scope, search: str = "", department: Department | None = None
) -> QuerySet[StaffProfile]:
    """Staff in scope; ``search``: a name fragment or the start of a staff number."""
    qs = (
        StaffProfile.objects.visible_to(scope)
        .select_related("user", "center", "department", "region")
        .prefetch_related("user__groups")
    )
    if department is not None:
        qs = qs.filter(department=department)
    if search:
        qs = qs.filter(user__full_name__icontains=search) | qs.filter(staff_no__startswith=search)
    return qs


def staff_get(*, scope, profile_id: int) -> StaffProfile:
    profile = staff_list(scope=scope).filter(pk=profile_id).first()
    if profile is None:
        raise NotFound("staff.not_found", "未找到该工作人员。")
    return profile


def network_by_level(*, scope) -> list[tuple[str, int]]:
    """(level label, number of centers in scope) for every level, for the workspace."""
    counts = {row["region__level"]: row["n"] for row in network_summary(scope=scope)}
    return [(label, counts.get(value, 0)) for value, label in Level.choices]


def network_summary(*, scope) -> list[dict]:
    """Centers in scope counted by level, for the workspace."""
    visible = center_list(scope=scope).values("pk")
    rows = (
        Center.objects.filter(pk__in=visible)
        .values("region__level")
        .annotate(n=Count("id"))
        .order_by()
    )
    return list(rows)


# --- the public home page: the network without a user's scope ------------------------------


def home_centers() -> QuerySet[Center]:
    """The active prefecture and county centers, in the order of the region tree."""
    return (
        Center.objects.filter(region__level__in=[Level.PREFECTURE, Level.COUNTY], is_active=True)
        .select_related("region")
        .order_by("region__path")
    )


def active_center_counts() -> dict[str, int]:
    """Active centers counted by level (every level present, zero where none)."""
    return {
        level: Center.objects.filter(region__level=level, is_active=True).count()
        for level in Level.values
    }


def center_public(center_id: int | None) -> Center | None:
    """An active center by id (with its region), or None: the home page's chosen center."""
    if not center_id:
        return None
    return Center.objects.filter(pk=center_id, is_active=True).select_related("region").first()


def center_path(center: Center) -> list[Center]:
    """The active centers of the regions above ``center`` and ``center`` itself, the
    prefecture first: the four-level path 州→县→乡→村 of the home page."""
    path = [center]
    region = center.region.parent
    while region is not None:
        above = Center.objects.filter(region=region, is_active=True).order_by("code", "pk").first()
        if above is not None:
            path.insert(0, above)
        region = region.parent
    return path


def center_children(center: Center) -> QuerySet[Center]:
    """The active centers one level down (a county's townships, a township's villages)."""
    return (
        Center.objects.filter(region__parent_id=center.region_id, is_active=True)
        .select_related("region")
        .order_by("region__path", "code")
    )
