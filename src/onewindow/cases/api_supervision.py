"""The back office's other steps through the API, the same services as the pages:
special procedures that stop the clocks (R-CASE-4), a step forced by a supervisor with
its reason, a department's queue handed over, an urging answered (督办), online
pre-review passed or returned, a pledge verified (告知承诺核查). Outside the caller's
scope is 404; a step the state does not allow is 409; errors have the API's one shape."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.cases import selectors, states
from onewindow.cases.api import CaseDetailOut
from onewindow.cases.models import Case, SpecialProcedure
from onewindow.cases.selectors.pledges import pledge_check_get_for, pledge_checks_for
from onewindow.cases.services import online, pledges, supervision, urging
from onewindow.core.api import AUTH, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.org.models import Department

router = Router(tags=["办件（督办与特别程序）"], auth=AUTH)


class SpecialStartIn(Schema):
    kind: str = Field(
        ..., description="、".join(f"{v}（{label}）" for v, label in SpecialProcedure.Kind.choices)
    )
    reason: str = Field(..., max_length=1000)
    planned_end: date | None = None


class SpecialEndIn(Schema):
    result: str = Field(..., max_length=1000)


class ForceIn(Schema):
    step: str = Field(..., description="、".join(states.FORCE_STEPS))
    reason: str = Field(..., max_length=1000)
    to_user_id: int | None = Field(None, ge=1, le=MAX_ID, description="改派时的承办人")


class HandoverIn(Schema):
    department_id: int = Field(..., ge=1, le=MAX_ID)
    from_user_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="移交谁的办件；不填为未分派的办件"
    )
    to_user_id: int = Field(..., ge=1, le=MAX_ID)
    reason: str = Field(..., max_length=1000)


class HandoverOut(Schema):
    moved: int


class UrgingAnswerIn(Schema):
    answer: str = Field(..., max_length=2000)


class UrgingAnsweredOut(Schema):
    id: int
    case_id: int
    message: str
    reply_by: date
    sent_at: datetime
    answer: str
    answered_at: datetime | None


class SupervisionNoteIn(Schema):
    note: str = Field("", max_length=1000)


class SupervisionReasonIn(Schema):
    reason: str = Field(..., max_length=1000)


class PledgeCheckIn(Schema):
    truthful: bool
    note: str = Field("", max_length=2000)


class PledgeCheckOut(Schema):
    id: int
    case_id: int
    case_number: str
    material: str
    due: date
    state: str
    note: str
    checked_at: datetime | None

    @staticmethod
    def resolve_case_number(obj):
        return obj.case.number

    @staticmethod
    def resolve_material(obj):
        return obj.material.name


def _case(request, case_id: int) -> Case:
    return selectors.case_get_for(scope=request_scope(request), case_id=case_id)


def _detail(request, case: Case) -> Case:
    return (
        selectors.cases_for(scope=request_scope(request))
        .select_related("guide_version", "statutory_deadline")
        .get(pk=case.pk)
    )


def _user(raw: int | None, field: str):
    if raw is None:
        return None
    user = get_user_model().objects.filter(pk=raw, is_active=True).first()
    if user is None:
        raise InvalidInput("user.not_found", "未找到该工作人员。", {field: "未找到该工作人员。"})
    return user


@router.post("/{case_id}/special", response=CaseDetailOut, summary="启动特别程序（时限暂停）")
def special_start(request, case_id: Id, payload: SpecialStartIn):
    case = _case(request, case_id)
    supervision.case_special_start(actor=request.user, case=case, **payload.dict())
    return _detail(request, case)


@router.post("/{case_id}/special/end", response=CaseDetailOut, summary="结束特别程序（时限顺延）")
def special_end(request, case_id: Id, payload: SpecialEndIn):
    case = _case(request, case_id)
    supervision.case_special_end(actor=request.user, case=case, result=payload.result)
    return _detail(request, case)


@router.post("/{case_id}/force", response=CaseDetailOut, summary="强制推进（督办人员，须写明理由）")
def force(request, case_id: Id, payload: ForceIn):
    case = _case(request, case_id)
    supervision.case_force(
        actor=request.user,
        case=case,
        step=payload.step,
        reason=payload.reason,
        to_user=_user(payload.to_user_id, "to_user_id"),
    )
    return _detail(request, case)


@router.post("/queues/handover", response=HandoverOut, summary="移交部门队列（部门负责人）")
def handover(request, payload: HandoverIn):
    department = (
        Department.objects.visible_to(request_scope(request))
        .filter(pk=payload.department_id)
        .first()
    )
    if department is None:
        raise NotFound("department.not_found", "未找到该部门。")
    moved = supervision.queue_handover(
        actor=request.user,
        department=department,
        from_user=_user(payload.from_user_id, "from_user_id"),
        to_user=_user(payload.to_user_id, "to_user_id"),
        reason=payload.reason,
    )
    return {"moved": moved}


@router.post(
    "/{case_id}/urgings/{urging_id}/answer", response=UrgingAnsweredOut, summary="答复督办催办"
)
def answer_urging(request, case_id: Id, urging_id: Id, payload: UrgingAnswerIn):
    case = _case(request, case_id)
    found = case.urgings.filter(pk=urging_id).first()
    if found is None:
        raise NotFound("urging.not_found", "未找到该督办。")
    return urging.urging_answer(actor=request.user, urging=found, answer=payload.answer)


@router.post("/{case_id}/prereview/pass", response=CaseDetailOut, summary="网上申请预审通过")
def prereview_pass(request, case_id: Id, payload: SupervisionNoteIn):
    case = _case(request, case_id)
    online.online_prereview_pass(actor=request.user, case=case, note=payload.note)
    return _detail(request, case)


@router.post(
    "/{case_id}/prereview/return", response=CaseDetailOut, summary="网上申请预审退回（写明原因）"
)
def prereview_return(request, case_id: Id, payload: SupervisionReasonIn):
    case = _case(request, case_id)
    online.online_prereview_return(actor=request.user, case=case, reason=payload.reason)
    return _detail(request, case)


@router.get("/pledges/checks", response=list[PledgeCheckOut], summary="告知承诺核查任务（范围内）")
@paginate(Pagination)
def list_pledge_checks(request, state: str | None = None):
    checks = pledge_checks_for(scope=request_scope(request))
    if state:
        checks = checks.filter(state=state[:20])
    return checks


@router.post(
    "/pledges/checks/{check_id}", response=PledgeCheckOut, summary="登记承诺核查结果（一次）"
)
def record_pledge_check(request, check_id: Id, payload: PledgeCheckIn):
    check = pledge_check_get_for(scope=request_scope(request), check_id=check_id)
    pledges.pledge_check_record(
        actor=request.user, check=check, truthful=payload.truthful, note=payload.note
    )
    return pledge_check_get_for(scope=request_scope(request), check_id=check_id)
