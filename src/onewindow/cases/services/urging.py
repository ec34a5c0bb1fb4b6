"""Urging (督办催办): the center's management or a supervisor urges the department on an
open case; the department answers. Both are steps in the case's history."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case, Urging
from onewindow.cases.selectors.actions import in_scope
from onewindow.cases.services.steps import event, lock, require_activity
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update


@transaction.atomic
def case_urge(*, actor, case: Case, message: str, reply_by: date) -> Urging:
    """The center (or a supervisor) urges the department on an open case."""
    case = lock(case)
    require_activity(
        actor, case, "case.urge", "只有中心管理员或督查人员可以督办。", "urging.not_allowed"
    )
    if case.state not in states.OPEN:
        raise Conflict("urging.case_closed", "办件已办结，无需督办。")
    message = (message or "").strip()
    if not message:
        raise InvalidInput(
            "urging.message_required", "请写明督办内容。", {"message": "请写明督办内容。"}
        )
    if reply_by < timezone.localdate():
        raise InvalidInput(
            "urging.reply_by", "答复期限不能早于今天。", {"reply_by": "答复期限不能早于今天。"}
        )
    urging = Urging.objects.create(
        case=case, department=case.department, message=message, reply_by=reply_by, sent_by=actor
    )
    event(case, "urge", actor, before=case.state, note=message, reply_by=reply_by.isoformat())
    return urging


@transaction.atomic
def urging_answer(*, actor, urging: Urging, answer: str) -> Urging:
    urging = for_update(Urging.objects).filter(pk=urging.pk).first()
    if urging is None:
        raise NotFound("urging.not_found", "未找到该督办。")
    case = urging.case
    if not actor.is_superuser:
        profile = getattr(actor, "staff_profile", None)
        if not in_scope(actor, case):
            raise NotFound("urging.not_found", "未找到该督办。")
        if profile is None or profile.department_id != urging.department_id:
            raise Forbidden("urging.not_department", "督办须由承办部门答复。")
    if urging.answered_at is not None:
        raise Conflict("urging.answered", "该督办已答复。")
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput(
            "urging.answer_required", "请填写答复内容。", {"answer": "请填写答复内容。"}
        )
    urging.answer, urging.answered_by, urging.answered_at = answer, actor, clock_now()
    urging.save(update_fields=["answer", "answered_by", "answered_at"])
    event(case, "urge_answer", actor, before=case.state, note=answer)
    return urging
