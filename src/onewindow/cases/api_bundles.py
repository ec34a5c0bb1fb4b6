""" "One thing" applications through the API (一件事一次办, R-CASE-7), the same services as
the bundle pages: intake at the window (one merged form, each material once, a sub-case
per matter), the application with its parts and the whole's state and due date,
acceptance together, one correction notice, its reply and one delivery.

A window clerk takes a bundle in at their own center; an application outside the
caller's scope is a 404; a step the parts do not allow is a 409; errors have the API's
one shape."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.cases import services
from onewindow.cases.api import ApplicantIn, CaseOut
from onewindow.cases.models import BundleApplication
from onewindow.cases.selectors import pages
from onewindow.cases.selectors.bundles import bundle_get_for, bundle_overview, bundles_for
from onewindow.cases.services import bundles
from onewindow.core import idnumber
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.core.roles import has_any, roles_of

router = Router(tags=["一件事"], auth=AUTH)


class BundleMaterialIn(Schema):
    material_id: int = Field(..., ge=1, le=MAX_ID)
    electronic: bool = False
    by_pledge: bool = False


class BundleIntakeIn(Schema):
    bundle: str = Field(..., min_length=1, max_length=60, description="一件事的编码")
    matters: list[int] = Field([], max_length=50, description="选办的可选事项（必办事项总在内）")
    applicant: ApplicantIn
    materials: list[BundleMaterialIn] = Field([], max_length=200)
    form_data: dict[str, str] = Field({}, description="合并后的申请表，每个字段一次")


class BundleCorrectionNoteIn(Schema):
    material_id: int = Field(..., ge=1, le=MAX_ID)
    note: str = Field("", max_length=200)


class BundleCorrectionIn(Schema):
    due: date
    notes: list[BundleCorrectionNoteIn] = Field([], max_length=200)
    other_note: str = Field("", max_length=300)


class BundleReplyIn(Schema):
    materials: list[BundleMaterialIn] = Field([], max_length=200)


class BundleDeliverIn(Schema):
    method: str = Field("window", max_length=20, description="window（窗口领取）或 mail（邮寄）")
    tracking_number: str = Field("", max_length=40)


class BundleApplicationOut(Schema):
    id: int
    number: str
    bundle: str
    bundle_name: str
    center_id: int
    center: str
    applicant: str
    state: str
    received_at: datetime

    @staticmethod
    def resolve_bundle(obj):
        return obj.bundle.code

    @staticmethod
    def resolve_bundle_name(obj):
        return obj.bundle.name

    @staticmethod
    def resolve_center(obj):
        return obj.center.name

    @staticmethod
    def resolve_applicant(obj):
        return obj.applicant.name


class BundleMissingOut(Schema):
    name: str
    matters: list[str]
    material_ids: list[int]


class BundleFormRowOut(Schema):
    key: str
    value: str


class BundleApplicationDetailOut(Schema):
    id: int
    number: str
    bundle: str
    bundle_name: str
    center_id: int
    center: str
    applicant: str
    state: str
    received_at: datetime
    state_label: str
    public_status: str
    due: date | None
    clock_paused: bool
    ready: bool
    parts: list[CaseOut]
    missing: list[BundleMissingOut]
    correcting: bool
    form_data: list[BundleFormRowOut] = Field(..., description="申请表（身份证号脱敏）")


def _front_center(request):
    """The window clerk's own center, the only place they take a bundle in (as the page)."""
    profile = getattr(request.user, "staff_profile", None)
    if (
        profile is None
        or not profile.center_id
        or not has_any(roles_of(request.user), "case.front")
    ):
        raise NotFound("center.not_found", "只有服务中心的窗口人员可以收取一件事申请。")
    return profile.center


def _options(items: list[BundleMaterialIn]) -> dict[int, dict]:
    chosen: dict[int, dict] = {}
    for item in items:
        if item.material_id in chosen:
            message = "同一材料只能提交一次。"
            raise InvalidInput("case.duplicate_material", message, {"materials": message})
        if item.by_pledge:
            chosen[item.material_id] = {"by_pledge": True}
        elif item.electronic:
            chosen[item.material_id] = {"electronic": True}
        else:
            chosen[item.material_id] = {}
    return chosen


def _shown(value) -> str:
    text = str(value or "")
    return idnumber.mask_text(text) if idnumber.holds_number(text) else text


def _detail(request, app_id: int) -> dict:
    app = bundle_get_for(scope=request_scope(request), app_id=app_id)
    app = bundles.bundle_refresh(app=app)  # the parts may have moved since it was stored
    o = bundle_overview(app)
    return {
        **{f: getattr(app, f) for f in ("id", "number", "center_id", "received_at")},
        "bundle": app.bundle.code,
        "bundle_name": app.bundle.name,
        "center": app.center.name,
        "applicant": app.applicant.name,
        "state": o.state,
        "state_label": o.state_label,
        "public_status": o.public_status,
        "due": o.due,
        "clock_paused": o.paused,
        "ready": o.ready,
        "parts": o.parts,
        "missing": [
            {"name": m.name, "matters": m.matters, "material_ids": m.material_ids}
            for m in o.missing
        ],
        "correcting": bool(o.correcting),
        "form_data": [{"key": k, "value": _shown(v)} for k, v in (app.form_data or {}).items()],
    }


@transaction.atomic
def _take_in(request, payload: BundleIntakeIn, center) -> BundleApplication:
    """The applicant is recorded with the application, or not at all."""
    bundle = pages.active_bundle(payload.bundle.strip())
    if bundle is None:
        raise NotFound("bundle.not_found", "未找到该一件事或已停用。")
    form_data = {k: v.strip()[:500] for k, v in payload.form_data.items() if v.strip()}
    applicant = services.applicant_record(**payload.applicant.dict(), profile=form_data)
    return bundles.bundle_intake(
        actor=request.user,
        bundle=bundle,
        center=center,
        applicant=applicant,
        matters=payload.matters,
        materials=_options(payload.materials),
        form_data=form_data,
    )


@router.get(
    "/bundles", response=list[BundleApplicationOut], summary="一件事申请（范围内，新的在前）"
)
@paginate(Pagination)
def list_bundle_applications(request):
    return (
        bundles_for(scope=request_scope(request))
        .select_related("bundle", "applicant", "center")
        .order_by("-received_at", "-id")
    )


@router.post(
    "/bundles",
    response={201: BundleApplicationDetailOut},
    summary="一件事收件（窗口，合并表单、材料只收一次）",
)
def bundle_intake(request, payload: BundleIntakeIn):
    app = _take_in(request, payload, _front_center(request))
    return Status(201, _detail(request, app.pk))


@router.get("/bundles/{app_id}", response=BundleApplicationDetailOut, summary="一件事申请详情")
def get_bundle_application(request, app_id: Id):
    return _detail(request, app_id)


@router.post(
    "/bundles/{app_id}/accept", response=BundleApplicationDetailOut, summary="一并受理各事项"
)
def bundle_accept(request, app_id: Id):
    app = bundle_get_for(scope=request_scope(request), app_id=app_id)
    bundles.bundle_accept(actor=request.user, app=app)
    return _detail(request, app.pk)


@router.post(
    "/bundles/{app_id}/corrections",
    response=BundleApplicationDetailOut,
    summary="一次性告知补正（列明所有事项缺少的材料）",
)
def bundle_correction(request, app_id: Id, payload: BundleCorrectionIn):
    app = bundle_get_for(scope=request_scope(request), app_id=app_id)
    bundles.bundle_ask_correction(
        actor=request.user,
        app=app,
        due=payload.due,
        notes={n.material_id: n.note.strip() for n in payload.notes},
        other_note=payload.other_note,
    )
    return _detail(request, app.pk)


@router.post(
    "/bundles/{app_id}/corrections/reply",
    response=BundleApplicationDetailOut,
    summary="登记一件事的补正材料",
)
def bundle_reply(request, app_id: Id, payload: BundleReplyIn):
    app = bundle_get_for(scope=request_scope(request), app_id=app_id)
    bundles.bundle_correction_reply(
        actor=request.user, app=app, materials=_options(payload.materials)
    )
    return _detail(request, app.pk)


@router.post("/bundles/{app_id}/deliver", response=BundleApplicationDetailOut, summary="统一出件")
def bundle_deliver(request, app_id: Id, payload: BundleDeliverIn):
    app = bundle_get_for(scope=request_scope(request), app_id=app_id)
    bundles.bundle_deliver(
        actor=request.user,
        app=app,
        method=payload.method,
        tracking_number=payload.tracking_number,
    )
    return _detail(request, app.pk)
