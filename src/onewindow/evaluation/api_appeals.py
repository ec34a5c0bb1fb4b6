"""Appeals of bad reviews through the API (R-EVAL-2): the responsible department files
one with its reasons and, if it has one, a file of evidence (PDF or image, checked by
content as every upload is); the center decides, and an upheld appeal excludes the
review from the statistics while keeping it. The same services as the pages; outside
the caller's scope is 404; errors have the API's one shape."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from onewindow.core.api import AUTH, Status
from onewindow.core.errors import InvalidInput
from onewindow.core.paging import Id, Pagination
from onewindow.evaluation import selectors, services
from onewindow.evaluation.models import Appeal
from onewindow.evaluation.selectors_pages import appeal_get_for

router = Router(tags=["好差评"], auth=AUTH)


class AppealOut(Schema):
    id: int
    review_id: int
    department: str | None
    reason: str
    has_evidence: bool
    state: str
    state_label: str
    decision: str
    filed_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_department(obj):
        return obj.review.department.name if obj.review.department_id else None

    @staticmethod
    def resolve_has_evidence(obj):
        return obj.evidence_id is not None

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class AppealDecisionIn(Schema):
    upheld: bool
    decision: str = Field(..., max_length=2000)


@router.post(
    "/reviews/{review_id}/appeals",
    response={201: AppealOut},
    summary="对差评提出申诉（责任部门，可附证据文件）",
)
def file_appeal(
    request,
    review_id: Id,
    reason: Form[str],
    evidence: File[UploadedFile] = None,
):
    review = selectors.review_get_for(user=request.user, review_id=review_id)
    appeal = services.appeal_file(
        actor=request.user, review=review, reason=reason, evidence=evidence
    )
    return Status(201, appeal_get_for(user=request.user, appeal_id=appeal.pk))


@router.get("/appeals", response=list[AppealOut], summary="申诉（范围内）")
@paginate(Pagination)
def list_appeals(request, state: str | None = None):
    appeals = selectors.appeals_for(user=request.user).order_by("-filed_at", "-id")
    if state is not None:
        if state not in Appeal.State.values:
            message = f"可选：{'、'.join(Appeal.State.values)}"
            raise InvalidInput("appeal.bad_state", "状态不正确。", {"state": message})
        appeals = appeals.filter(state=state)
    return appeals


@router.post("/appeals/{appeal_id}/decide", response=AppealOut, summary="裁定申诉（服务中心）")
def decide_appeal(request, appeal_id: Id, payload: AppealDecisionIn):
    appeal = appeal_get_for(user=request.user, appeal_id=appeal_id)
    services.appeal_decide(
        actor=request.user, appeal=appeal, upheld=payload.upheld, decision=payload.decision
    )
    return appeal_get_for(user=request.user, appeal_id=appeal_id)
