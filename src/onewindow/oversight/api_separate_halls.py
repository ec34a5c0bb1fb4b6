"""The register of departments' separate halls (只进一扇门, seed 二(二)4) through the API,
as its pages: the halls in the caller's scope (still open, with the plan and the date to
close them, or closed), one recorded for a department of the center administrator's own
level, changed, and closed (its matters moved into the center).

The same services as the pages (``oversight.services.separate_hall_*``, audited); reading
is for those who oversee (``separate_hall.read``) or keep the register
(``separate_hall.manage``), writing for the center administrator of the hall's level
(else 403); a hall or department outside the caller's scope is 404; errors have the API's
one shape."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.core.roles import may
from onewindow.org.models import Department
from onewindow.oversight import services
from onewindow.oversight.models import SeparateHall
from onewindow.oversight.selectors import separate_halls as sel

router = Router(tags=["只进一扇门（部门单独设立的大厅）"], auth=AUTH)

STATES = {"open": "仍在运行（含逾期）", "overdue": "逾期未撤并", "closed": "已撤并"}


class SeparateHallFieldsIn(Schema):
    name: str = Field(..., max_length=100, description="大厅名称")
    address: str = Field(..., max_length=200, description="地址")
    matters_count: int = Field(..., ge=0, le=10_000, description="仍在大厅办理的事项数")
    matters_list: str = Field("", max_length=4000, description="仍在大厅办理的事项")
    reason: str = Field(..., max_length=2000, description="单独设立的原因")
    plan: str = Field("", max_length=2000, description="撤并计划")
    planned_close: dt.date | None = Field(None, description="计划撤并日期")


class SeparateHallIn(SeparateHallFieldsIn):
    department_id: int = Field(..., ge=1, le=MAX_ID, description="部门（本级）")


class SeparateHallCloseIn(Schema):
    closed_on: dt.date | None = Field(None, description="实际撤并日期（缺省为今天，不能晚于今天）")


class SeparateHallOut(Schema):
    id: int
    department_id: int
    department: str
    region: str
    name: str
    address: str
    matters_count: int
    matters_list: str
    reason: str
    plan: str
    planned_close: dt.date | None
    closed_on: dt.date | None
    is_open: bool
    is_overdue: bool
    status_label: str = Field(..., description="仍在运行、逾期未撤并或已撤并")
    updated_at: dt.datetime

    @staticmethod
    def resolve_department(obj):
        return obj.department.name

    @staticmethod
    def resolve_region(obj):
        return obj.department.region.name


def _readable(request) -> None:
    if not (may(request.user, "separate_hall.read") or may(request.user, "separate_hall.manage")):
        raise Forbidden("separate_hall.forbidden", "您无权查看部门单独设立大厅的登记。")


def _keeper(request) -> None:
    if not (request.user.is_superuser or may(request.user, "separate_hall.manage")):
        raise Forbidden("separate_hall.forbidden", "部门单独设立的大厅由中心管理员登记维护。")


def _fresh(hall: SeparateHall) -> SeparateHall:
    return SeparateHall.objects.select_related("department", "department__region").get(pk=hall.pk)


@router.get(
    "/separate-halls",
    response=list[SeparateHallOut],
    summary="部门单独设立的大厅（范围内）",
)
@paginate(Pagination)
def list_separate_halls(
    request,
    state: str | None = Query(None, description="open、overdue 或 closed（缺省为全部）"),
    department_id: int | None = Query(None, ge=1, le=MAX_ID, description="部门"),
):
    _readable(request)
    halls = sel.halls_for(scope=request_scope(request)).order_by("department__name", "name", "id")
    if department_id is not None:
        halls = halls.filter(department_id=department_id)
    if state is None:
        return halls
    if state not in STATES:
        message = "可选：" + "、".join(f"{k}（{v}）" for k, v in STATES.items())
        raise InvalidInput("separate_hall.bad_state", "状态不正确。", {"state": message})
    if state == "closed":
        return [h for h in halls if not h.is_open]
    if state == "overdue":
        return [h for h in halls if h.is_overdue]
    return [h for h in halls if h.is_open]


@router.get("/separate-halls/{hall_id}", response=SeparateHallOut, summary="一个单独设立的大厅")
def get_separate_hall(request, hall_id: Id):
    _readable(request)
    return sel.hall_get(scope=request_scope(request), hall_id=hall_id)


@router.post(
    "/separate-halls",
    response={201: SeparateHallOut},
    summary="登记部门单独设立的大厅（本级中心管理员）",
)
def record_separate_hall(request, payload: SeparateHallIn):
    _keeper(request)
    visible = Department.objects.visible_to(request_scope(request))
    if not visible.filter(pk=payload.department_id).exists():
        raise NotFound("department.not_found", "未找到该部门。")
    data = payload.dict()
    hall = services.separate_hall_record(actor=request.user, **data)
    return Status(201, _fresh(hall))


@router.put(
    "/separate-halls/{hall_id}",
    response=SeparateHallOut,
    summary="修改登记（事项数、撤并计划和日期等）",
)
def update_separate_hall(request, hall_id: Id, payload: SeparateHallFieldsIn):
    _readable(request)
    hall = sel.hall_get(scope=request_scope(request), hall_id=hall_id)
    hall = services.separate_hall_update(actor=request.user, hall_id=hall.pk, **payload.dict())
    return _fresh(hall)


@router.post(
    "/separate-halls/{hall_id}/close",
    response=SeparateHallOut,
    summary="撤并大厅（事项已进驻中心）",
)
def close_separate_hall(request, hall_id: Id, payload: SeparateHallCloseIn):
    _readable(request)
    hall = sel.hall_get(scope=request_scope(request), hall_id=hall_id)
    hall = services.separate_hall_close(actor=request.user, hall_id=hall.pk, on=payload.closed_on)
    return _fresh(hall)
