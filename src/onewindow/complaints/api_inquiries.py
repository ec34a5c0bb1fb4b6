"""Consultations (咨询, 首问负责 R-CASE-3; 网上咨询 R-CASE-8) at /api/v1/consultations/.

The same services as the page ``complaints:inquiries``: a staff member logs a question
and owns it; its owner answers it or hands it to a colleague of the center; someone of
the department takes a question asked online; the department's head decides whether an
answered question becomes a FAQ of the guide. What is outside the caller's scope is
404 (``selectors.inquiry_get_for``). A machine client (the 12345 hotline) reads the log
and a consultation of its region; the writes are a person's."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.complaints import selectors, selectors_pages
from onewindow.complaints.models import Inquiry
from onewindow.complaints.services import inquiries, online_inquiries
from onewindow.core.api import AUTH, AUTH_WITH_CLIENTS, Status, is_machine, request_scope
from onewindow.core.paging import MAX_ID, Id, Pagination

router = Router(tags=["咨询"])


class InquiryOut(Schema):
    id: int
    channel: str
    channel_label: str
    state: str
    state_label: str
    question: str
    asker_name: str
    asker_phone: str
    center_id: int
    center: str
    department_id: int | None
    department: str | None
    matter_id: int | None
    matter: str | None
    first_owner_id: int | None
    owner_id: int | None
    owner: str | None
    answer: str
    answered_at: datetime | None
    asked_at: datetime
    due: date | None
    publish_consent: bool
    faq_state: str


class InquiryHandoverOut(Schema):
    from_user_id: int
    from_user: str
    to_user_id: int
    to_user: str
    reason: str
    at: datetime


class InquiryDetailOut(InquiryOut):
    handovers: list[InquiryHandoverOut]


class InquiryLogIn(Schema):
    question: str = Field(..., max_length=2000, description="咨询内容")
    channel: str = Field(
        "window", description="窗口 window、咨询台 desk、电话 phone、12345热线 hotline"
    )
    asker_name: str = Field("", max_length=100)
    asker_phone: str = Field("", max_length=20)


class InquiryAnswerIn(Schema):
    answer: str = Field(..., max_length=2000)


class InquiryHandoverIn(Schema):
    to_user_id: int = Field(..., ge=1, le=MAX_ID, description="接手的工作人员（用户编号）")
    reason: str = Field(..., max_length=200)


class InquiryFaqIn(Schema):
    publish: bool = Field(..., description="true 公开为办事指南的常见问题，false 不予公开")


def _name(user) -> str | None:
    return str(user) if user is not None else None


def inquiry_out(i: Inquiry, user=None) -> dict:
    """A consultation as the API shows it to ``user``: the asker's phone in full only to
    the current owner of an open one."""
    return {
        "id": i.pk,
        "channel": i.channel,
        "channel_label": i.get_channel_display(),
        "state": i.state,
        "state_label": i.get_state_display(),
        "question": i.question,
        "asker_name": i.asker_name,
        "asker_phone": selectors.inquiry_phone_for(i, user),
        "center_id": i.center_id,
        "center": i.center.name,
        "department_id": i.department_id,
        "department": i.department.name if i.department_id else None,
        "matter_id": i.matter_id,
        "matter": i.matter.name if i.matter_id else None,
        "first_owner_id": i.first_owner_id,
        "owner_id": i.owner_id,
        "owner": _name(i.owner),
        "answer": i.answer,
        "answered_at": i.answered_at,
        "asked_at": i.asked_at,
        "due": i.due,
        "publish_consent": i.publish_consent,
        "faq_state": i.faq_state,
    }


def _detail(request, inquiry_id: int) -> dict:
    i = selectors.inquiry_get_for(scope=request_scope(request), inquiry_id=inquiry_id)
    handovers = i.handovers.select_related("from_user", "to_user").order_by("at", "id")
    return {
        **inquiry_out(i, request.user),
        "handovers": [
            {
                "from_user_id": h.from_user_id,
                "from_user": str(h.from_user),
                "to_user_id": h.to_user_id,
                "to_user": str(h.to_user),
                "reason": h.reason,
                "at": h.at,
            }
            for h in handovers
        ],
    }


@router.get(
    "/", response=list[InquiryOut], auth=AUTH_WITH_CLIENTS, summary="咨询登记簿（本人范围内）"
)
@paginate(Pagination)
def inquiry_list(request, state: str = "", mine: bool = False, online: bool = False):
    qs = selectors_pages.inquiry_queue(
        scope=request_scope(request),
        user=request.user,
        mine=mine and not is_machine(request),  # a machine owns no consultation
        state=state,
        online=online,
    )
    return [inquiry_out(i, request.user) for i in qs[:2000]]


@router.post(
    "/", response={201: InquiryDetailOut}, auth=AUTH, summary="登记咨询（登记人为首问责任人）"
)
def inquiry_log(request, payload: InquiryLogIn):
    inquiry = inquiries.inquiry_log(
        actor=request.user,
        question=payload.question,
        channel=payload.channel,
        asker_name=payload.asker_name,
        asker_phone=payload.asker_phone,
        center=selectors_pages.home_center(request.user),
    )
    return Status(201, _detail(request, inquiry.pk))


@router.get(
    "/{inquiry_id}",
    response=InquiryDetailOut,
    auth=AUTH_WITH_CLIENTS,
    summary="一件咨询及其移交记录",
)
def inquiry_get(request, inquiry_id: Id):
    return _detail(request, inquiry_id)


def _in_scope(request, inquiry_id: int) -> Inquiry:
    return selectors.inquiry_get_for(scope=request_scope(request), inquiry_id=inquiry_id)


@router.post(
    "/{inquiry_id}/answer", response=InquiryDetailOut, auth=AUTH, summary="答复咨询（当前责任人）"
)
def inquiry_answer(request, inquiry_id: Id, payload: InquiryAnswerIn):
    inquiry = _in_scope(request, inquiry_id)
    inquiries.inquiry_answer(actor=request.user, inquiry=inquiry, answer=payload.answer)
    return _detail(request, inquiry_id)


@router.post(
    "/{inquiry_id}/handover", response=InquiryDetailOut, auth=AUTH, summary="移交咨询给本中心同事"
)
def inquiry_handover(request, inquiry_id: Id, payload: InquiryHandoverIn):
    inquiry = _in_scope(request, inquiry_id)
    inquiries.inquiry_handover(
        actor=request.user, inquiry=inquiry, to_user=payload.to_user_id, reason=payload.reason
    )
    return _detail(request, inquiry_id)


@router.post(
    "/{inquiry_id}/take",
    response=InquiryDetailOut,
    auth=AUTH,
    summary="接收网上咨询（成为首问责任人）",
)
def inquiry_take(request, inquiry_id: Id):
    inquiry = _in_scope(request, inquiry_id)
    online_inquiries.inquiry_take(actor=request.user, inquiry=inquiry)
    return _detail(request, inquiry_id)


@router.post(
    "/{inquiry_id}/faq", response=InquiryDetailOut, auth=AUTH, summary="审核是否公开为常见问题"
)
def inquiry_faq_review(request, inquiry_id: Id, payload: InquiryFaqIn):
    inquiry = _in_scope(request, inquiry_id)
    online_inquiries.inquiry_faq_review(
        actor=request.user, inquiry=inquiry, publish=payload.publish
    )
    return _detail(request, inquiry_id)
