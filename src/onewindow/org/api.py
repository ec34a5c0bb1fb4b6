"""Org endpoints: regions, centers, departments, staff — all within the caller's scope."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Router, Schema
from ninja.pagination import paginate

from onewindow.core.api import AUTH_WITH_CLIENTS, request_scope
from onewindow.core.paging import Pagination
from onewindow.core.scope import scope_for
from onewindow.org import selectors, services
from onewindow.org.models import Center

router = Router(tags=["组织"])


def _query_text(**params: str | None) -> None:
    """Query filters carry no NUL character: PostgreSQL refuses it (422, not 500)."""
    bad = {name: "包含无效字符。" for name, value in params.items() if value and "\x00" in value}
    if bad:
        raise ValidationError(bad)


class RegionOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_code: str | None
    is_demo: bool

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class UnitOut(Schema):
    kind: str
    operator: str
    contractor: str


class CenterOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    level: str
    region_code: str
    address: str
    phone: str
    complaint_phone: str
    hours: str
    is_active: bool

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


class CenterDetailOut(CenterOut):
    units: list[UnitOut]

    @staticmethod
    def resolve_units(obj):
        return list(obj.units.all())


class CenterPatch(Schema):
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    complaint_phone: str | None = None
    hours: str | None = None


class DepartmentOut(Schema):
    id: int
    name: str
    line_code: str
    line_name: str
    region_code: str
    center_id: int | None
    upper_id: int | None = None

    @staticmethod
    def resolve_line_code(obj):
        return obj.line.code

    @staticmethod
    def resolve_line_name(obj):
        return obj.line.name

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


class StaffOut(Schema):
    id: int
    staff_no: str
    name: str
    roles: list[str]
    center_id: int | None
    department_id: int | None
    employer_kind: str
    employer_name: str
    posting_started: date
    id_number_masked: str
    active: bool

    @staticmethod
    def resolve_name(obj):
        return str(obj.user)

    @staticmethod
    def resolve_roles(obj):
        return sorted(obj.roles)


@router.get("/regions", response=list[RegionOut], summary="区划（范围内）", auth=AUTH_WITH_CLIENTS)
@paginate(Pagination)
def list_regions(request, level: str | None = None):
    _query_text(level=level)
    qs = selectors.region_list(scope=request_scope(request))
    if level:
        qs = qs.filter(level=level)
    return qs


@router.get(
    "/centers", response=list[CenterOut], summary="服务中心（范围内）", auth=AUTH_WITH_CLIENTS
)
@paginate(Pagination)
def list_centers(request, level: str | None = None, q: str | None = None):
    _query_text(level=level, q=q)
    qs = selectors.center_list(scope=request_scope(request), level=level)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs


@router.get("/centers/{center_id}", response=CenterDetailOut, summary="服务中心详情")
def get_center(request, center_id: int):
    return selectors.center_get(scope=scope_for(request.user), center_id=center_id)


@router.patch("/centers/{center_id}", response=CenterDetailOut, summary="修改服务中心信息")
def patch_center(request, center_id: int, payload: CenterPatch):
    center: Center = selectors.center_get(scope=scope_for(request.user), center_id=center_id)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    return services.center_update(actor=request.user, center=center, **changes)


@router.get(
    "/departments", response=list[DepartmentOut], summary="部门（范围内）", auth=AUTH_WITH_CLIENTS
)
@paginate(Pagination)
def list_departments(request, center_id: int | None = None):
    scope = request_scope(request)
    center = selectors.center_get(scope=scope, center_id=center_id) if center_id else None
    return selectors.department_list(scope=scope, center=center)


@router.get("/departments/{department_id}", response=DepartmentOut, summary="部门详情")
def get_department(request, department_id: int):
    dept = selectors.department_get(scope=scope_for(request.user), department_id=department_id)
    upper = dept.upper
    dept.upper_id = upper.pk if upper else None
    return dept


@router.get("/staff", response=list[StaffOut], summary="工作人员（范围内，身份证号脱敏）")
@paginate(Pagination)
def list_staff(request):
    return selectors.staff_list(scope=scope_for(request.user))


@router.get("/staff/{profile_id}", response=StaffOut, summary="工作人员详情")
def get_staff(request, profile_id: int):
    return selectors.staff_get(scope=scope_for(request.user), profile_id=profile_id)


class RevealIn(Schema):
    reason: str


class RevealOut(Schema):
    id_number: str


@router.post(
    "/staff/{profile_id}/reveal-id-number",
    response=RevealOut,
    summary="查看完整身份证号（记录审计）",
)
def reveal_id_number(request, profile_id: int, payload: RevealIn):
    number = services.staff_reveal_id_number(
        actor=request.user, profile_id=profile_id, reason=payload.reason
    )
    return {"id_number": number}
