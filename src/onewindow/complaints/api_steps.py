"""A complaint's steps through the API (R-CPL-1), the same services as the pages: the
center dispatches, decides an extension, revisits and closes; the department returns,
asks for an extension and answers with its finding; the complainant, by the secret
token of their receipt, says whether the answer satisfies them or asks once for it to
be handled again. Outside the caller's scope is 404; a step the state does not allow is
409; errors have the API's one shape."""

from __future__ import annotations

from ninja import Field, Router, Schema

from onewindow.complaints import selectors, services, states
from onewindow.complaints.api import ComplaintOut, complaint_out
from onewindow.complaints.models import Complaint, Finding
from onewindow.complaints.selectors_pages import finding_staff_by_id
from onewindow.core.api import AUTH, request_scope
from onewindow.core.errors import NotFound
from onewindow.core.paging import MAX_ID, Id
from onewindow.org.models import Department

router = Router(tags=["投诉咨询"])


class DispatchIn(Schema):
    department_id: int = Field(..., ge=1, le=MAX_ID)
    note: str = Field("", max_length=1000)


class ComplaintReasonIn(Schema):
    reason: str = Field(..., max_length=1000)


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=1000)


class ComplaintAnswerIn(Schema):
    answer: str = Field(..., max_length=4000)
    finding: str = Field(
        "",
        description="核查结论（投诉必填）："
        + "、".join(f"{v}（{label}）" for v, label in Finding.choices),
    )
    finding_staff_id: int | None = Field(None, ge=1, le=MAX_ID, description="涉及的工作人员")


class ComplaintNoteIn(Schema):
    note: str = Field("", max_length=1000)


class FeedbackIn(Schema):
    token: str = Field(..., max_length=40, description="投诉回执上的查询码")
    satisfied: bool
    note: str = Field("", max_length=1000)


class ReopenIn(Schema):
    token: str = Field(..., max_length=40)
    reason: str = Field(..., max_length=1000)


class PublicOut(Schema):
    number: str
    status: str
    answer: str
    can_reopen: bool


def _complaint(request, complaint_id: int) -> Complaint:
    return selectors.complaint_get_for(scope=request_scope(request), complaint_id=complaint_id)


def _staff(request, complaint: Complaint) -> dict:
    fresh = selectors.complaint_get_for(scope=request_scope(request), complaint_id=complaint.pk)
    return complaint_out(request, fresh)


@router.post("/{complaint_id}/dispatch", response=ComplaintOut, auth=AUTH, summary="分办（中心）")
def dispatch(request, complaint_id: Id, payload: DispatchIn):
    complaint = _complaint(request, complaint_id)
    department = Department.objects.filter(pk=payload.department_id).first()
    if department is None:
        raise NotFound("department.not_found", "未找到该部门。")
    services.complaint_dispatch(
        actor=request.user, complaint=complaint, department=department, note=payload.note
    )
    return _staff(request, complaint)


@router.post(
    "/{complaint_id}/return", response=ComplaintOut, auth=AUTH, summary="退回（非本部门职责）"
)
def return_(request, complaint_id: Id, payload: ComplaintReasonIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_return(actor=request.user, complaint=complaint, reason=payload.reason)
    return _staff(request, complaint)


@router.post(
    "/{complaint_id}/extension-request",
    response=ComplaintOut,
    auth=AUTH,
    summary="申请延期（部门）",
)
def extension_request(request, complaint_id: Id, payload: ComplaintReasonIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_extension_request(
        actor=request.user, complaint=complaint, reason=payload.reason
    )
    return _staff(request, complaint)


@router.post(
    "/{complaint_id}/extension-decision",
    response=ComplaintOut,
    auth=AUTH,
    summary="审批延期（中心）",
)
def extension_decision(request, complaint_id: Id, payload: DecisionIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_extension_approve(
        actor=request.user, complaint=complaint, approve=payload.approve, note=payload.note
    )
    return _staff(request, complaint)


@router.post(
    "/{complaint_id}/answer", response=ComplaintOut, auth=AUTH, summary="答复（部门，含核查结论）"
)
def answer(request, complaint_id: Id, payload: ComplaintAnswerIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_answer(
        actor=request.user,
        complaint=complaint,
        answer=payload.answer,
        finding=payload.finding,
        finding_staff=finding_staff_by_id(complaint, payload.finding_staff_id),
    )
    return _staff(request, complaint)


@router.post("/{complaint_id}/revisit", response=ComplaintOut, auth=AUTH, summary="回访（中心）")
def revisit(request, complaint_id: Id, payload: ComplaintNoteIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_revisit(actor=request.user, complaint=complaint, note=payload.note)
    return _staff(request, complaint)


@router.post("/{complaint_id}/close", response=ComplaintOut, auth=AUTH, summary="办结（中心）")
def close(request, complaint_id: Id, payload: ComplaintNoteIn):
    complaint = _complaint(request, complaint_id)
    services.complaint_close(actor=request.user, complaint=complaint, note=payload.note)
    return _staff(request, complaint)


def _public(complaint: Complaint) -> dict:
    view = selectors.public_view(complaint)
    reopenable = complaint.state in states.ACTIONS["reopen"].sources and not complaint.reopened
    return {
        "number": complaint.number,
        "status": view["status"],
        "answer": view["answer"],
        "can_reopen": reopenable,
    }


@router.post(
    "/by-token/feedback", response=PublicOut, auth=None, summary="投诉人评价答复（凭查询码）"
)
def feedback(request, payload: FeedbackIn):
    complaint = services.complaint_feedback(
        token=payload.token, satisfied=payload.satisfied, note=payload.note
    )
    return _public(complaint)


@router.post(
    "/by-token/reopen", response=PublicOut, auth=None, summary="投诉人申请重新办理（一次）"
)
def reopen(request, payload: ReopenIn):
    complaint = services.complaint_reopen(token=payload.token, reason=payload.reason)
    return _public(complaint)
