"""The citizen's account through the API at /api/v1/citizen/ (R-CIT-1, R-CASE-8).

Signed in as the portal signs a citizen in: the session of ``portal:citizen_login``
(the session cookie, and the CSRF token for a write, as the staff's session). There is
no citizen bearer token. A staff session is not a citizen: it answers 401. The same
selectors and services as the pages: 我的事务 (``affairs_of``), 网上咨询 asked from a
matter's guide (``citizen_ask``) and read back (``inquiry_of``: a question the account
did not ask is 404); the account's own writes as on 我的事务: a draft (or a returned
application) withdrawn, a booking cancelled, a phone claimed with the code sent to it
(认领). Another person's case or booking is 404."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.security import APIKeyCookie

from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import Listing
from onewindow.complaints.models import Inquiry
from onewindow.core.api import Status
from onewindow.core.errors import NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.portal.citizens import selectors, services
from onewindow.portal.citizens.session import current_account
from onewindow.portal.models import PhoneCode

router = Router(tags=["我的事务"])


class CitizenSession(APIKeyCookie):
    """The portal's citizen session (its cookie; a write also needs the CSRF token)."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "群众账号的会话（在门户 /account/login/ 登录；写操作须带 CSRF 令牌）"

    def authenticate(self, request, key):
        return current_account(request) if key else None


CITIZEN = [CitizenSession()]


class AffairRowOut(Schema):
    id: int | None = Field(None, description="办件或预约的编号（其他为空）")
    title: str
    place: str
    status: str
    when: str = Field(..., description="时间（北京时间）")
    link: str = Field("", description="公开页面的链接（进度、评价等）")
    may_withdraw: bool
    may_cancel: bool
    review_link: str
    extra: str


class AffairsOut(Schema):
    phones: list[str] = Field(..., description="本账号已验证的手机号（其名下的事务归本账号）")
    drafts: list[AffairRowOut]
    running: list[AffairRowOut]
    done: list[AffairRowOut]
    appointments: list[AffairRowOut]
    tickets: list[AffairRowOut]
    reviews: list[AffairRowOut]
    complaints: list[AffairRowOut]
    inquiries: list[AffairRowOut]


class CitizenInquiryOut(Schema):
    id: int
    state: str
    state_label: str
    matter_id: int | None
    matter: str | None
    center: str
    department: str | None
    question: str
    asked_at: datetime
    due: date | None
    answer: str
    answered_at: datetime | None
    publish_consent: bool
    publish_label: str


class CitizenAskIn(Schema):
    matter_id: int = Field(..., ge=1, le=MAX_ID, description="所咨询的事项")
    center_id: int = Field(..., ge=1, le=MAX_ID, description="办理该事项的中心")
    question: str = Field(..., max_length=2000)
    publish_consent: bool = Field(False, description="同意答复后经部门审核公开为常见问题")


def _when(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value or "")


def _row(r) -> dict:
    return {
        "id": r.pk or None,
        "title": r.title,
        "place": r.place,
        "status": r.status,
        "when": _when(r.when),
        "link": r.link,
        "may_withdraw": r.may_withdraw,
        "may_cancel": r.may_cancel,
        "review_link": r.review_link,
        "extra": r.extra,
    }


GROUPS = ("drafts", "running", "done", "appointments", "tickets", "reviews", "complaints")


@router.get("/affairs", response=AffairsOut, auth=CITIZEN, summary="我的事务")
def affairs(request):
    found = selectors.affairs_of(request.auth)
    out = {group: [_row(r) for r in getattr(found, group)] for group in GROUPS}
    return {**out, "inquiries": [_row(r) for r in found.inquiries], "phones": found.phones}


def _inquiry(i: Inquiry) -> dict:
    return {
        "id": i.pk,
        "state": i.state,
        "state_label": i.get_state_display(),
        "matter_id": i.matter_id,
        "matter": i.matter.name if i.matter_id else None,
        "center": i.center.name,
        "department": i.department.name if i.department_id else None,
        "question": i.question,
        "asked_at": i.asked_at,
        "due": i.due,
        "answer": i.answer,
        "answered_at": i.answered_at,
        "publish_consent": i.publish_consent,
        "publish_label": selectors.faq_label(i),
    }


@router.get(
    "/consultations", response=list[CitizenInquiryOut], auth=CITIZEN, summary="我的网上咨询"
)
@paginate(Pagination)
def consultations(request):
    qs = selectors.account_inquiries(request.auth).order_by("-asked_at", "-id")
    return [_inquiry(i) for i in qs[:2000]]


@router.get(
    "/consultations/{inquiry_id}", response=CitizenInquiryOut, auth=CITIZEN, summary="一件我的咨询"
)
def consultation(request, inquiry_id: Id):
    return _inquiry(selectors.inquiry_of(request.auth, inquiry_id))


@router.post(
    "/consultations",
    response={201: CitizenInquiryOut},
    auth=CITIZEN,
    summary="网上咨询：就一个事项向办理它的中心提问",
)
def consultation_ask(request, payload: CitizenAskIn):
    matter = catalog_selectors.matter_get_public(matter_id=payload.matter_id)
    listings = Listing.objects.filter(matter=matter, status=Listing.Status.ACTIVE)
    if not listings.exists():
        raise NotFound("matter.not_found", "未找到该事项。")
    chosen = listings.filter(center_id=payload.center_id).select_related("center").first()
    inquiry = services.citizen_ask(
        account=request.auth,
        matter=matter,
        center=chosen.center if chosen else None,
        question=payload.question,
        publish_consent=payload.publish_consent,
    )
    return Status(201, _inquiry(selectors.inquiry_of(request.auth, inquiry.pk)))


# --- the account's writes: withdraw, cancel, claim ---------------------------------------------


class CitizenWithdrawIn(Schema):
    reason: str = Field("", max_length=500, description="撤回原因（可不填）")


class CitizenCaseOut(Schema):
    id: int
    number: str
    state: str
    state_label: str


class CitizenBookingOut(Schema):
    id: int
    code: str
    state: str
    state_label: str


class CitizenPhoneIn(Schema):
    phone: str = Field(..., max_length=20, description="要认领的手机号（11位）")


class CitizenCodeSentOut(Schema):
    phone_tail: str = Field(..., description="已向该尾号的手机发送验证码")


class CitizenClaimIn(Schema):
    phone: str = Field(..., max_length=20)
    code: str = Field(..., max_length=10, description="短信验证码（6位）")


@router.post(
    "/cases/{case_id}/withdraw",
    response=CitizenCaseOut,
    auth=CITIZEN,
    summary="撤回我的申请（草稿或被退回的申请）",
)
def withdraw(request, case_id: Id, payload: CitizenWithdrawIn):
    case = services.citizen_withdraw_draft(
        account=request.auth, case_id=case_id, reason=payload.reason
    )
    return {
        "id": case.pk,
        "number": case.number,
        "state": case.state,
        "state_label": case.get_state_display(),
    }


@router.post(
    "/appointments/{appointment_id}/cancel",
    response=CitizenBookingOut,
    auth=CITIZEN,
    summary="取消我的预约",
)
def cancel_booking(request, appointment_id: Id):
    found = services.citizen_cancel_booking(account=request.auth, appointment_id=appointment_id)
    return {
        "id": found.pk,
        "code": found.code,
        "state": found.state,
        "state_label": found.get_state_display(),
    }


@router.post(
    "/phones/code",
    response={202: CitizenCodeSentOut},
    auth=CITIZEN,
    summary="认领：向手机发送验证码",
)
def claim_code(request, payload: CitizenPhoneIn):
    services.phone_code_issue(
        phone=payload.phone, purpose=PhoneCode.Purpose.CLAIM, account=request.auth
    )
    return Status(202, {"phone_tail": payload.phone[-4:]})


@router.post(
    "/phones/claim",
    response=AffairsOut,
    auth=CITIZEN,
    summary="认领：凭验证码把该手机号名下的事务归入本账号",
)
def claim_phone(request, payload: CitizenClaimIn):
    services.citizen_claim_phone(account=request.auth, phone=payload.phone, code=payload.code)
    return affairs(request)
