"""Appeals (申诉): the responsible department appeals a bad review it thinks mistaken or
malicious; the center decides. Upheld, the review is excluded from the statistics (the
decision kept) and its rectification ends."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.scope import scope_for
from onewindow.evaluation import rollups, states
from onewindow.evaluation.models import Appeal, Rectification, Review
from onewindow.evaluation.selectors import roles_on
from onewindow.evaluation.services.rectification import lock_rect, rect_event
from onewindow.files.storage import store_upload


@transaction.atomic
def appeal_file(
    *, actor, review: Review, reason: str, evidence=None, now: datetime | None = None
) -> Appeal:
    """The responsible department appeals a bad review it thinks mistaken or malicious,
    with its reasons and, if it has one, a file of evidence (PDF or image)."""
    now = clock.now(now)
    review = for_update(Review.objects).filter(pk=review.pk).first()
    if review is None:
        raise NotFound("review.not_found", "未找到该评价。")
    rect = Rectification.objects.filter(review=review).first()
    if rect is None:
        if not Review.objects.visible_to(scope_for(actor)).filter(pk=review.pk).exists():
            raise NotFound("review.not_found", "未找到该评价。")
        raise Conflict("appeal.not_bad", "只能对差评提出申诉。")
    if states.DEPARTMENT not in roles_on(actor, rect):
        raise Forbidden("appeal.not_department", "申诉须由责任部门提出。")
    if review.excluded:
        raise Conflict("appeal.already_excluded", "该差评已不计入统计。")
    if Appeal.objects.filter(review=review, state=Appeal.State.PENDING).exists():
        raise Conflict("appeal.pending", "该差评已有申诉在等待裁定。")
    reason = (reason or "").replace("\x00", "").strip()
    if len(reason) < 5 or len(reason) > 2000:
        raise InvalidInput(
            "appeal.reason_required",
            "请写明申诉理由和证据（5至2000字）。",
            {"reason": "请写明申诉理由和证据。"},
        )
    stored = store_upload(evidence, uploaded_by=actor, now=now) if evidence is not None else None
    appeal = Appeal.objects.create(
        review=review, reason=reason, evidence=stored, filed_by=actor, filed_at=now
    )
    rect_event(rect, "appeal", actor, before=rect.state, note=reason, at=now, appeal=appeal.pk)
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor, appeal: Appeal, upheld: bool, decision: str, now: datetime | None = None
) -> Appeal:
    """The center decides. Upheld: the review is excluded from statistics, with the
    decision and reason kept; its rectification ends. Nothing is deleted."""
    now = clock.now(now)
    appeal = for_update(Appeal.objects).filter(pk=appeal.pk).first()
    if appeal is None:
        raise NotFound("appeal.not_found", "未找到该申诉。")
    review = for_update(Review.objects).get(pk=appeal.review_id)
    rect = lock_rect(Rectification.objects.get(review=review))
    if states.CENTER not in roles_on(actor, rect):
        raise Forbidden("appeal.not_center", "申诉须由服务中心裁定。")
    if appeal.state != Appeal.State.PENDING:
        raise Conflict("appeal.decided", "该申诉已经裁定。")
    decision = (decision or "").replace("\x00", "").strip()
    if not decision or len(decision) > 2000:
        raise InvalidInput(
            "appeal.decision_required", "请写明裁定理由。", {"decision": "请写明裁定理由。"}
        )
    appeal.state = Appeal.State.UPHELD if upheld else Appeal.State.REJECTED
    appeal.decision, appeal.decided_by, appeal.decided_at = decision, actor, now
    appeal.save()
    if upheld:
        review.excluded, review.excluded_reason, review.excluded_at = True, decision, now
        review.save(update_fields=["excluded", "excluded_reason", "excluded_at"])
        rollups.review_excluded(review)
        audit_record(
            actor=actor,
            action="evaluation.exclude",
            target=review,
            center=review.center,
            department=review.department,
            after={"excluded": True, "appeal": appeal.pk},
            note=decision,
        )
        if rect.state in states.OPEN:
            before = rect.state
            rect.state, rect.closed_at = states.CLOSED, now
            rect.save()
            rect_event(
                rect, "appeal_upheld", actor, before=before, note=decision, at=now, appeal=appeal.pk
            )
        else:
            rect_event(rect, "appeal_upheld", actor, before=rect.state, note=decision, at=now)
    else:
        rect_event(rect, "appeal_rejected", actor, before=rect.state, note=decision, at=now)
    return appeal
