"""The catalog's writes through the API, for the staff who make it (and for a county's own
tool or a provincial catalog system): guide drafts and their materials and steps, the
checks a draft must pass, direct publication, process changes through their two reviews
(R-CAT-8), listings entered and changed by change requests and their decision (R-CAT-4).

Every write goes through ``catalog.services`` with the same checks as the pages (who may
edit, state, scope); a record outside the caller's scope answers 404; errors have the
API's one shape."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.catalog import services
from onewindow.catalog.models import (
    ChangeRequest,
    GuideVersion,
    Listing,
    ReviewState,
)
from onewindow.catalog.selectors import staff as staff_selectors
from onewindow.catalog.selectors.guides import field_label, guide_lint
from onewindow.catalog.selectors.public import guide_with_parts
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.org.models import Center, Department

router = Router(tags=["事项目录（编制与审核）"], auth=AUTH)


# --- schemas --------------------------------------------------------------------------------


class FaqIn(Schema):
    question: str = Field(..., max_length=500)
    answer: str = Field(..., max_length=2000)


class FormFieldIn(Schema):
    key: str = Field(..., max_length=64)
    label: str = Field(..., max_length=100)
    type: str = Field("text", max_length=20)
    required: bool = False


class GuideIn(Schema):
    """The guide's fields; on create, absent fields are copied from the current version."""

    legal_basis: str | None = None
    conditions: str | None = None
    statutory_days: int | None = Field(None, ge=0, le=3650)
    promised_days: int | None = Field(None, ge=0, le=3650)
    limit_unit: str | None = None
    visits: int | None = Field(None, ge=0, le=20)
    online_depth: str | None = None
    fees: str | None = None
    is_free: bool | None = None
    result: str | None = Field(None, max_length=200)
    faq: list[FaqIn] | None = None
    form_fields: list[FormFieldIn] | None = None
    compression_exception_reason: str | None = None
    change_note: str | None = None

    def values(self) -> dict:
        return self.dict(exclude_none=True)


class GuideMaterialIn(Schema):
    name: str = Field(..., max_length=200)
    form: str = "original"
    copies: int = Field(1, ge=0, le=99)
    requirement: str = "required"
    condition: str = Field("", max_length=200)
    source: str = "applicant"
    shared_from: str = Field("", max_length=100)
    pledge_allowed: bool = False
    paper_needed: bool = True
    note: str = Field("", max_length=300)
    material_type: str | None = Field(None, description="通用材料编码（可空）")


class GuideStepIn(Schema):
    name: str = Field(..., max_length=100)
    description: str = ""
    days: int = Field(0, ge=0, le=3650)


class GuideMaterialOut(Schema):
    order: int
    name: str
    form: str
    copies: int
    requirement: str
    condition: str
    source: str
    pledge_allowed: bool
    paper_needed: bool
    note: str


class GuideStepOut(Schema):
    order: int
    name: str
    description: str
    days: int


class VersionOut(Schema):
    id: int
    matter_id: int
    matter: str
    number: int
    status: str
    status_label: str
    legal_basis: str
    conditions: str
    statutory_days: int
    promised_days: int
    limit_unit: str
    visits: int
    online_depth: str
    fees: str
    is_free: bool
    result: str
    faq: list
    form_fields: list
    compression_exception_reason: str
    change_note: str
    published_at: datetime | None
    materials: list[GuideMaterialOut]
    steps: list[GuideStepOut]

    @staticmethod
    def resolve_matter(obj):
        return obj.matter.name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.order_by("order"))

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.order_by("order"))


class FindingOut(Schema):
    rule: str
    field: str
    label: str
    clause: str
    message: str
    severity: str = Field(..., description="error（阻止发布）或 warning")

    @staticmethod
    def resolve_label(obj):
        return field_label(obj.field)


class LintOut(Schema):
    ready: bool = Field(..., description="无阻止发布的问题，且已列明材料和环节")
    findings: list[FindingOut]


class CatalogReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class ProcessReviewIn(Schema):
    approve: bool
    opinion: str = Field("", max_length=2000)
    accept_exception: bool = False


class ProcessChangeOut(Schema):
    id: int
    matter_id: int
    matter: str
    state: str
    state_label: str
    reason: str
    base_version: int | None
    proposed_version: int
    proposed_version_id: int
    legality_opinion: str
    final_opinion: str
    exception_accepted: bool
    submitted_at: datetime

    @staticmethod
    def resolve_matter(obj):
        return obj.matter.name

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_base_version(obj):
        return obj.base.number if obj.base_id else None

    @staticmethod
    def resolve_proposed_version(obj):
        return obj.proposed.number

    @staticmethod
    def resolve_proposed_version_id(obj):
        return obj.proposed_id


class ListingLocalIn(Schema):
    place: str | None = Field(None, max_length=200)
    hours: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=50)
    complaint_phone: str | None = Field(None, max_length=50)
    windows: str | None = Field(None, max_length=200)
    handled_outside: bool | None = None
    outside_reason: str | None = None
    outside_note: str | None = Field(None, max_length=300)

    def values(self) -> dict:
        return self.dict(exclude_none=True)


class EntryIn(ListingLocalIn):
    matter_id: int = Field(..., ge=1, le=MAX_ID)
    center_id: int = Field(..., ge=1, le=MAX_ID)
    department_id: int = Field(..., ge=1, le=MAX_ID)
    code: str = Field(..., min_length=1, max_length=64)
    reason: str = Field(..., max_length=2000)


class ListingChangeIn(ListingLocalIn):
    kind: Literal["change", "cancel", "withdraw"]
    reason: str = Field(..., max_length=2000)


class ChangeRequestDecisionIn(Schema):
    approve: bool
    opinion: str = Field("", max_length=2000)


class ChangeRequestOut(Schema):
    id: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    listing_id: int
    matter: str
    center: str
    department: str
    reason: str
    payload: dict
    opinion: str = ""
    submitted_at: datetime | None = None

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_matter(obj):
        return obj.listing.matter.name

    @staticmethod
    def resolve_center(obj):
        return obj.center.name

    @staticmethod
    def resolve_department(obj):
        return obj.department.name


# --- helpers --------------------------------------------------------------------------------


def _version(request, version_id: int) -> GuideVersion:
    return staff_selectors.version_get_for_staff(
        scope=request_scope(request), version_id=version_id
    )


def _fresh(version: GuideVersion) -> GuideVersion:
    return guide_with_parts(version.pk)


def _in_scope(queryset, pk: int, code: str, message: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(code, message)
    return found


# --- guides ---------------------------------------------------------------------------------


@router.get("/versions/{version_id}", response=VersionOut, summary="办事指南版本（含草稿，范围内）")
def get_version(request, version_id: Id):
    return _version(request, version_id)


@router.post(
    "/matters/{matter_id}/drafts",
    response={201: VersionOut},
    summary="新建办事指南草稿（复制现行版本）",
)
def create_draft(request, matter_id: Id, payload: GuideIn):
    matter = staff_selectors.matter_get_for_staff(scope=request_scope(request), matter_id=matter_id)
    version = services.guide_draft_create(actor=request.user, matter=matter, **payload.values())
    return Status(201, _fresh(version))


@router.patch("/versions/{version_id}", response=VersionOut, summary="修改草稿")
def update_draft(request, version_id: Id, payload: GuideIn):
    fields = payload.values()
    if not fields:
        raise InvalidInput("guide.nothing_to_change", "请至少提交一个要修改的字段。")
    version = services.guide_draft_update(
        actor=request.user, version=_version(request, version_id), **fields
    )
    return _fresh(version)


@router.put("/versions/{version_id}/materials", response=VersionOut, summary="设置申请材料清单")
def set_materials(request, version_id: Id, payload: list[GuideMaterialIn]):
    version = _version(request, version_id)
    services.guide_materials_set(
        actor=request.user,
        version=version,
        materials=[m.dict(exclude_none=True) for m in payload],
    )
    return _fresh(version)


@router.put("/versions/{version_id}/steps", response=VersionOut, summary="设置办理环节")
def set_steps(request, version_id: Id, payload: list[GuideStepIn]):
    version = _version(request, version_id)
    services.guide_steps_set(actor=request.user, version=version, steps=[s.dict() for s in payload])
    return _fresh(version)


@router.get("/versions/{version_id}/lint", response=LintOut, summary="发布前检查")
def lint_version(request, version_id: Id):
    version = _version(request, version_id)
    findings = guide_lint(version)
    ready = (
        not any(f.blocking for f in findings)
        and version.materials.exists()
        and version.steps.exists()
    )
    return {"ready": ready, "findings": findings}


@router.post(
    "/versions/{version_id}/publish",
    response=VersionOut,
    summary="直接发布（仅文字、收费、常见问题变更）",
)
def publish(request, version_id: Id):
    version = services.guide_publish(actor=request.user, version=_version(request, version_id))
    return _fresh(version)


# --- process changes (R-CAT-8) ----------------------------------------------------------------


@router.post(
    "/versions/{version_id}/process-change",
    response={201: ProcessChangeOut},
    summary="提交流程再造审核",
)
def submit_process_change(request, version_id: Id, payload: CatalogReasonIn):
    change = services.process_change_submit(
        actor=request.user, version=_version(request, version_id), reason=payload.reason
    )
    return Status(201, change)


@router.get("/process-changes", response=list[ProcessChangeOut], summary="流程再造申请（范围内）")
@paginate(Pagination)
def list_process_changes(request, state: str | None = None):
    if state is not None and state not in ReviewState.values:
        raise InvalidInput(
            "process_change.bad_state",
            "状态不正确。",
            {"state": f"可选：{'、'.join(ReviewState.values)}"},
        )
    return staff_selectors.process_changes_for(scope=request_scope(request), state=state).order_by(
        "-submitted_at", "-id"
    )


@router.get("/process-changes/{change_id}", response=ProcessChangeOut, summary="一件流程再造申请")
def get_process_change(request, change_id: Id):
    return staff_selectors.process_change_get(scope=request_scope(request), change_id=change_id)


@router.post(
    "/process-changes/{change_id}/legality-review",
    response=ProcessChangeOut,
    summary="合法性审核（司法部门）",
)
def legality_review(request, change_id: Id, payload: ProcessReviewIn):
    change = staff_selectors.process_change_get(scope=request_scope(request), change_id=change_id)
    return services.process_change_legality_review(
        actor=request.user, change=change, approve=payload.approve, opinion=payload.opinion
    )


@router.post(
    "/process-changes/{change_id}/final-review",
    response=ProcessChangeOut,
    summary="终审（审改部门）；批准即发布",
)
def final_review(request, change_id: Id, payload: ProcessReviewIn):
    change = staff_selectors.process_change_get(scope=request_scope(request), change_id=change_id)
    return services.process_change_final_review(
        actor=request.user,
        change=change,
        approve=payload.approve,
        opinion=payload.opinion,
        accept_exception=payload.accept_exception,
    )


# --- listings and change requests (R-CAT-4) -------------------------------------------------


@router.post(
    "/listing-requests",
    response={201: ChangeRequestOut},
    summary="申请事项进驻（新建实施清单）",
)
def request_entry(request, payload: EntryIn):
    scope = request_scope(request)
    matter = staff_selectors.matter_get_for_staff(scope=scope, matter_id=payload.matter_id)
    # Centers and departments are public; whether the caller may ask for this pair is
    # the service's check (403), as on the page.
    center = _in_scope(Center.objects, payload.center_id, "center.not_found", "未找到该中心。")
    department = _in_scope(
        Department.objects, payload.department_id, "department.not_found", "未找到该部门。"
    )
    local = ListingLocalIn(**payload.dict()).values()
    change = services.listing_request_entry(
        actor=request.user,
        matter=matter,
        center=center,
        department=department,
        code=payload.code,
        reason=payload.reason,
        **local,
    )
    return Status(201, change)


@router.post(
    "/listings/{listing_id}/requests",
    response={201: ChangeRequestOut},
    summary="申请实施清单变更、取消或退出中心",
)
def request_change(request, listing_id: Id, payload: ListingChangeIn):
    listing = _in_scope(
        Listing.objects.visible_to(request_scope(request)),
        listing_id,
        "listing.not_found",
        "未找到该实施清单。",
    )
    local = ListingLocalIn(**payload.dict()).values()
    change = services.listing_request_change(
        actor=request.user, listing=listing, kind=payload.kind, reason=payload.reason, **local
    )
    return Status(201, change)


@router.get("/change-requests", response=list[ChangeRequestOut], summary="实施清单变更申请")
@paginate(Pagination)
def list_change_requests(request, state: str | None = None):
    if state is not None and state not in ChangeRequest.State.values:
        raise InvalidInput(
            "change_request.bad_state",
            "状态不正确。",
            {"state": f"可选：{'、'.join(ChangeRequest.State.values)}"},
        )
    return staff_selectors.change_requests_for(scope=request_scope(request), state=state).order_by(
        "-id"
    )


@router.post(
    "/change-requests/{request_id}/decide",
    response=ChangeRequestOut,
    summary="审批实施清单变更申请（同级政府办）",
)
def decide_change_request(request, request_id: Id, payload: ChangeRequestDecisionIn):
    change = staff_selectors.change_request_get(scope=request_scope(request), request_id=request_id)
    return services.change_request_decide(
        actor=request.user, request=change, approve=payload.approve, opinion=payload.opinion
    )
