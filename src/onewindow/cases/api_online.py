"""Online application through the API (R-CASE-8), the same services as the portal's pages:
the listings that take an application online, a draft saved or submitted, the citizen's
own application by its secret token (read, change the draft, give a material's file,
withdraw), and the center's pre-review queue for staff (its pass and return are in
``api_supervision``).

The citizen needs no account, as on the portal: the token the draft answers with is the
key to the application (a wrong token is a 404). Creating a draft is limited per client
as the page is; a file is checked as every upload is (type by content, size, 507 when
the disk is full)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import Http404
from ninja import Field, File, Form, Path, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from onewindow.cases import selectors, states
from onewindow.cases.models import Applicant, Case
from onewindow.cases.selectors import online as online_selectors
from onewindow.cases.selectors import pages
from onewindow.cases.services import files as file_services
from onewindow.cases.services import online
from onewindow.catalog.segment import MAX_QUERY_LENGTH
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.core.roles import may
from onewindow.hall.api_appointments import client_key
from onewindow.hall.appointments.common import rate_limit_hit

router = Router(tags=["网上申请"])

Token = Annotated[str, Path(..., min_length=1, max_length=40, description="申请链接中的密钥")]
MaterialRef = Annotated[
    int, Form(..., ge=1, le=MAX_ID, description="材料编号（所钉办事指南版本的材料）")
]


class OnlineListingOut(Schema):
    id: int
    matter_id: int
    matter: str
    center_id: int
    center: str
    department: str
    online_depth: str

    @staticmethod
    def resolve_matter(obj):
        return obj.matter.name

    @staticmethod
    def resolve_center(obj):
        return obj.center.name

    @staticmethod
    def resolve_department(obj):
        return obj.department.name

    @staticmethod
    def resolve_online_depth(obj):
        return obj.matter.current_version.online_depth


class OnlineApplicantIn(Schema):
    kind: str = Field(Applicant.Kind.PERSON, max_length=20, description="person 或 enterprise")
    name: str = Field(..., max_length=100)
    phone: str = Field(..., max_length=20)
    id_number: str = Field("", max_length=24)
    credit_code: str = Field("", max_length=18)
    address: str = Field("", max_length=200)


class OnlineMaterialIn(Schema):
    material_id: int = Field(..., ge=1, le=MAX_ID)
    by_pledge: bool = Field(False, description="以告知承诺代替该材料")
    pledged: bool = Field(False, description="已阅读并同意承诺内容（以承诺代替时必填）")


class OnlineApplicationIn(Schema):
    applicant: OnlineApplicantIn
    materials: list[OnlineMaterialIn] = Field([], max_length=200)
    form_data: dict[str, str] = Field({}, description="办事指南申请表的字段")
    submit: bool = Field(False, description="true 提交预审，false 只保存草稿")


class OnlineWithdrawIn(Schema):
    reason: str = Field("", max_length=500)


class OnlineDocumentOut(Schema):
    material_id: int
    material: str
    electronic: bool
    by_pledge: bool
    has_file: bool

    @staticmethod
    def resolve_material(obj):
        return obj.material.name

    @staticmethod
    def resolve_has_file(obj):
        return obj.file_id is not None


class OnlineStepOut(Schema):
    status: str
    at: datetime


class OnlineApplicationOut(Schema):
    number: str
    token: str
    state: str
    public_status: str
    channel: str
    matter: str
    center: str
    applicant: str
    received_at: datetime
    prereview_due: date | None
    submitted: bool
    can_withdraw: bool
    returned_reason: str = Field("", description="预审退回的原因（草稿被退回时）")
    documents: list[OnlineDocumentOut]
    missing: list[str]
    steps: list[OnlineStepOut]


class PrereviewCaseOut(Schema):
    id: int
    number: str
    matter: str
    applicant: str
    department: str
    channel: str
    received_at: datetime
    prereview_due: date | None

    @staticmethod
    def resolve_matter(obj):
        return obj.matter.name

    @staticmethod
    def resolve_applicant(obj):
        return obj.applicant.name

    @staticmethod
    def resolve_department(obj):
        return obj.department.name


def _materials(items: list[OnlineMaterialIn]) -> dict[int, dict]:
    chosen: dict[int, dict] = {}
    for item in items:
        if item.material_id in chosen:
            message = "同一材料只能提交一次。"
            raise InvalidInput("case.duplicate_material", message, {"materials": message})
        chosen[item.material_id] = (
            {"by_pledge": True, "pledged": item.pledged} if item.by_pledge else {"electronic": True}
        )
    return chosen


def _out(case: Case) -> dict:
    case = online_selectors.online_case_by_token(token=case.token)
    returned = online_selectors.prereview_return_reason(case)
    return {
        "number": case.number,
        "token": case.token,
        "state": case.state,
        "public_status": case.public_status,
        "channel": case.channel,
        "matter": case.matter.name,
        "center": case.center.name,
        "applicant": case.applicant.name,
        "received_at": case.received_at,
        "prereview_due": case.prereview_due,
        "submitted": pages.was_submitted(case),
        "can_withdraw": case.state in states.ACTIONS["applicant_withdraw"].sources,
        "returned_reason": returned.note if returned is not None else "",
        "documents": list(pages.given_documents(case)),
        "missing": [m.name for m in selectors.missing_materials(case)],
        "steps": [{"status": s["label"], "at": s["at"]} for s in selectors.public_timeline(case)],
    }


@router.get(
    "/online/listings",
    response=list[OnlineListingOut],
    auth=None,
    summary="可网上申请的事项（按关键词查找）",
)
@paginate(Pagination)
def online_listings(request, q: str = ""):
    # q: words, pinyin initials or a center's name (plain types: a paginated view's
    # annotations are read outside this module)
    return online_selectors.online_listings_search(q.replace("\x00", "").strip()[:MAX_QUERY_LENGTH])


@router.post(
    "/online/listings/{listing_id}/applications",
    response={201: OnlineApplicationOut},
    auth=None,
    summary="网上申请：保存草稿或提交预审（应答中的 token 是申请的密钥）",
)
def online_apply(request, listing_id: Id, payload: OnlineApplicationIn):
    listing = online_selectors.online_listing_get(listing_id=listing_id)
    rate_limit_hit("client", f"apply:{client_key(request)}")
    case = online.online_draft_create(
        listing=listing,
        applicant=payload.applicant.dict(),
        materials=_materials(payload.materials),
        form_data=payload.form_data,
        channel=Case.Channel.WEB,
        submit=payload.submit,
    )
    return Status(201, _out(case))


@router.get(
    "/online/applications/{token}",
    response=OnlineApplicationOut,
    auth=None,
    summary="凭密钥查看自己的网上申请",
)
def online_application(request, token: Token):
    return _out(online_selectors.online_case_by_token(token=token))


@router.put(
    "/online/applications/{token}",
    response=OnlineApplicationOut,
    auth=None,
    summary="修改草稿（submit=true 时提交预审）",
)
def online_update(request, token: Token, payload: OnlineApplicationIn):
    case = online_selectors.online_case_by_token(token=token)
    case = online.online_draft_update(
        case=case,
        applicant=payload.applicant.dict(),
        materials=_materials(payload.materials),
        form_data=payload.form_data,
        submit=payload.submit,
    )
    return _out(case)


@router.post(
    "/online/applications/{token}/withdraw",
    response=OnlineApplicationOut,
    auth=None,
    summary="撤回网上申请（草稿或被退回的申请）",
)
def online_withdraw(request, token: Token, payload: OnlineWithdrawIn):
    case = online_selectors.online_case_by_token(token=token)
    online.online_withdraw(case=case, reason=payload.reason.replace("\x00", "").strip())
    return _out(case)


@router.post(
    "/online/applications/{token}/documents",
    response={201: OnlineApplicationOut},
    auth=None,
    summary="上传一项材料的电子文件（PDF、JPG、PNG、OFD，按内容识别）",
)
def online_upload(
    request,
    token: Token,
    material_id: MaterialRef,
    file: File[UploadedFile] = None,
):
    case = online_selectors.online_case_by_token(token=token)
    if file is None:
        raise InvalidInput("file.empty", "请选择要上传的文件。", {"file": "请选择文件。"})
    file_services.correction_document_attach(
        actor=None, case=case, material=material_id, upload=file
    )
    return Status(201, _out(case))


@router.get(
    "/online/prereview",
    response=list[PrereviewCaseOut],
    auth=AUTH,
    summary="待网上预审的申请（本中心，按预审期限排序）",
)
@paginate(Pagination)
def prereview_queue(request):
    if not may(request.user, "case.online_queue"):
        raise Http404
    profile = getattr(request.user, "staff_profile", None)
    return online_selectors.prereview_queue(
        scope=request_scope(request), center_id=profile.center_id if profile else None
    )
