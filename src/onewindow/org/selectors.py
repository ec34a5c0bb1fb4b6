"""Reads of the organisation, always through the user's scope (R-NET-3)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from onewindow.core.errors import NotFound
from onewindow.org.models import Center, Department, Region, StaffProfile


def region_list(*, scope) -> QuerySet[Region]:
    return Region.objects.visible_to(scope).select_related("parent")


def center_list(
    *, scope, level: str | None = None, region: Region | None = None
) -> QuerySet[Center]:
    qs = Center.objects.visible_to(scope).select_related("region")
    if level:
        qs = qs.filter(region__level=level)
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


def staff_list(*, scope) -> QuerySet[StaffProfile]:
    return (
        StaffProfile.objects.visible_to(scope)
        .select_related("user", "center", "department", "region")
        .prefetch_related("user__groups")
    )


def staff_get(*, scope, profile_id: int) -> StaffProfile:
    profile = staff_list(scope=scope).filter(pk=profile_id).first()
    if profile is None:
        raise NotFound("staff.not_found", "未找到该工作人员。")
    return profile


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
