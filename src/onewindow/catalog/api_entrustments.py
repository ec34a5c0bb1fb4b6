"""Entrusted matters (委托事项) through the API, as on the matter's staff page: the
entrustments of a matter in the caller's scope, one recorded (a department of the
matter's line entrusts it to a center or point in its region, by a document, for a
period that never overlaps another), and one ended (revoked from a day, with a reason).

The same services as the page (``catalog.services.entrustment_create`` / ``_revoke``):
recording and revoking are the catalog administrators' (``catalog.entrust``, else 403);
a matter, department, center or entrustment outside the caller's scope answers 404;
errors have the API's one shape."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from onewindow.catalog import selectors, services
from onewindow.catalog.models import Entrustment
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.core.roles import may
from onewindow.org.models import Center, Department

router = Router(tags=["事项目录（委托事项）"], auth=AUTH)

STATES = ("有效", "未生效", "已到期", "已撤销")


class EntrustmentIn(Schema):
    department_id: int = Field(..., ge=1, le=MAX_ID, description="委托部门")
    center_id: int = Field(..., ge=1, le=MAX_ID, description="受托中心或代办点")
    item: str = Field("", max_length=200, description="委托子项（只委托部分办理项时填写）")
    start: dt.date = Field(..., description="委托起始日期")
    end: dt.date | None = Field(None, description="委托截止日期（缺省为长期）")
    document_number: str = Field(..., max_length=100, description="委托文件文号")
    document_title: str = Field(..., max_length=200, description="委托文件标题")


class EntrustmentRevokeIn(Schema):
    revoked_on: dt.date | None = Field(None, description="自该日起不再有效（缺省为今天）")
    reason: str = Field(..., max_length=300, description="撤销原因")


class EntrustmentOut(Schema):
    id: int
    matter_id: int
    matter: str
    item: str
    department_id: int
    department: str
    center_id: int
    center: str
    start: dt.date
    end: dt.date | None
    document_number: str
    document_title: str
    revoked_on: dt.date | None
    revoke_reason: str
    status: str = Field(..., description="今天的状态：有效、未生效、已到期或已撤销")
    sentence: str = Field(..., description="办事指南中的说明")
    created_at: dt.datetime

    @staticmethod
    def resolve_matter(obj):
        return obj.matter.name

    @staticmethod
    def resolve_department(obj):
        return obj.department.name

    @staticmethod
    def resolve_center(obj):
        return obj.center.name

    @staticmethod
    def resolve_status(obj):
        return obj.status_today


def _require_entrust(request) -> None:
    if not may(request.user, "catalog.entrust"):
        raise Forbidden(
            "entrustment.forbidden", "只有中心管理员和政府办公室可以登记或撤销委托事项。"
        )


def _in_scope(queryset, pk: int, code: str, message: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(code, message)
    return found


def _fresh(entrustment: Entrustment) -> Entrustment:
    return Entrustment.objects.select_related("matter", "department", "center").get(
        pk=entrustment.pk
    )


@router.get(
    "/matters/{matter_id}/entrustments",
    response=list[EntrustmentOut],
    summary="事项的委托（范围内，新登记的在前）",
)
@paginate(Pagination)
def list_entrustments(
    request,
    # plain types: a paginated view's annotations are read outside this module
    matter_id: int = Path(..., ge=1, le=MAX_ID, description="编号"),
    status: str | None = None,
):
    scope = request_scope(request)
    matter, _own = selectors.matter_get_for_listing_staff(scope=scope, matter_id=matter_id)
    if status is not None and status not in STATES:
        message = f"可选：{'、'.join(STATES)}"
        raise InvalidInput("entrustment.bad_status", "状态不正确。", {"status": message})
    rows = selectors.entrustments_for_staff(scope=scope, matter=matter).order_by("-start", "-id")
    if status is not None:
        return [e for e in rows if e.status_today == status]
    return rows


@router.get("/entrustments/{entrustment_id}", response=EntrustmentOut, summary="一项委托（范围内）")
def get_entrustment(request, entrustment_id: Id):
    return selectors.entrustment_get_for_staff(
        scope=request_scope(request), entrustment_id=entrustment_id
    )


@router.post(
    "/matters/{matter_id}/entrustments",
    response={201: EntrustmentOut},
    summary="登记委托事项（中心管理员、政府办公室）",
)
def record_entrustment(request, matter_id: Id, payload: EntrustmentIn):
    _require_entrust(request)
    scope = request_scope(request)
    matter, _own = selectors.matter_get_for_listing_staff(scope=scope, matter_id=matter_id)
    department = _in_scope(
        Department.objects.visible_to(scope),
        payload.department_id,
        "department.not_found",
        "未找到该部门。",
    )
    center = _in_scope(
        Center.objects.visible_to(scope), payload.center_id, "center.not_found", "未找到该中心。"
    )
    entrustment = services.entrustment_create(
        actor=request.user,
        matter=matter,
        department=department,
        center=center,
        start=payload.start,
        end=payload.end,
        item=payload.item,
        document_number=payload.document_number,
        document_title=payload.document_title,
    )
    return Status(201, _fresh(entrustment))


@router.post(
    "/entrustments/{entrustment_id}/revoke",
    response=EntrustmentOut,
    summary="撤销委托（自某日起不再有效，须写明原因）",
)
def revoke_entrustment(request, entrustment_id: Id, payload: EntrustmentRevokeIn):
    entrustment = selectors.entrustment_get_for_staff(
        scope=request_scope(request), entrustment_id=entrustment_id
    )
    _require_entrust(request)
    entrustment = services.entrustment_revoke(
        actor=request.user,
        entrustment=entrustment,
        on=payload.revoked_on,
        reason=payload.reason,
    )
    return _fresh(entrustment)
