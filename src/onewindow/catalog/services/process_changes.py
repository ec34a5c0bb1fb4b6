"""Process changes (R-CAT-8): a draft whose process (steps, materials, limits, visits)
differs from the current version goes through legality review (司法审查) and final
review (审改审核) by reviewers whose scope holds the owner department."""

from __future__ import annotations

from django.db import transaction

from onewindow.catalog.models import (
    GuideVersion,
    ProcessChange,
    ReviewState,
)
from onewindow.catalog.selectors.access import department_in_scope
from onewindow.catalog.services.common import (
    lock_version,
    require_draft,
    require_editor,
)
from onewindow.catalog.services.publication import check_compression, check_ready, publish_version
from onewindow.core.audit import audit_record
from onewindow.core.clock import now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import has_any, roles_of


@transaction.atomic
def process_change_submit(*, actor, version: GuideVersion, reason: str) -> ProcessChange:
    version = lock_version(version.pk)
    require_editor(actor, version.matter)
    require_draft(version)
    if not reason.strip():
        raise InvalidInput(
            "process_change.reason_required",
            "请填写流程优化说明。",
            {"reason": "请填写流程优化说明。"},
        )
    check_ready(version)
    if not version.meets_compression and not version.compression_exception_reason.strip():
        check_compression(version, accepted=False)
    base = version.matter.current_version
    change, _ = ProcessChange.objects.update_or_create(
        proposed=version,
        defaults={
            "matter": version.matter,
            "base": base,
            "state": ReviewState.LEGALITY_REVIEW,
            "reason": reason,
            "before": base.process_facts() if base else {},
            "after": version.process_facts(),
            "submitted_by": actor,
            "submitted_at": now(),
            "legality_by": None,
            "legality_at": None,
            "legality_opinion": "",
            "final_by": None,
            "final_at": None,
            "final_opinion": "",
        },
    )
    GuideVersion.objects.filter(pk=version.pk).update(status=GuideVersion.Status.IN_REVIEW)
    audit_record(
        actor=actor,
        action="process_change.submit",
        target=change,
        department=version.matter.department,
        before=change.before,
        after=change.after,
        note=reason,
    )
    return change


def _lock_change(change_id: int) -> ProcessChange:
    change = for_update(ProcessChange.objects).filter(pk=change_id).first()
    if change is None:
        raise NotFound("process_change.not_found", "未找到该流程再造申请。")
    return change


def _require_reviewer(actor, change: ProcessChange, activity: str) -> None:
    if actor.is_superuser:
        return
    if not department_in_scope(actor, change.matter.department):
        raise NotFound("process_change.not_found", "未找到该流程再造申请。")
    if not has_any(roles_of(actor), activity):
        label = "司法部门合法性审核" if activity == "catalog.review_legality" else "审改部门终审"
        raise Forbidden("process_change.not_reviewer", f"该环节须由{label}人员办理。")


def _return(change: ProcessChange) -> None:
    change.state = ReviewState.RETURNED
    GuideVersion.objects.filter(pk=change.proposed_id).update(status=GuideVersion.Status.DRAFT)


@transaction.atomic
def process_change_legality_review(
    *, actor, change: ProcessChange, approve: bool, opinion: str
) -> ProcessChange:
    change = _lock_change(change.pk)
    _require_reviewer(actor, change, "catalog.review_legality")
    if change.state != ReviewState.LEGALITY_REVIEW:
        raise Conflict(
            "process_change.wrong_state",
            f"该申请当前为“{change.get_state_display()}”，不在合法性审核环节。",
        )
    if not approve and not opinion.strip():
        raise InvalidInput(
            "process_change.opinion_required",
            "退回时须填写审核意见。",
            {"opinion": "请填写审核意见。"},
        )
    change.legality_by, change.legality_at, change.legality_opinion = actor, now(), opinion
    if approve:
        change.state = ReviewState.FINAL_REVIEW
    else:
        _return(change)
    change.save()
    audit_record(
        actor=actor,
        action="process_change.legality_review",
        target=change,
        department=change.matter.department,
        after={"approve": approve, "state": change.state},
        note=opinion,
    )
    return change


@transaction.atomic
def process_change_final_review(
    *,
    actor,
    change: ProcessChange,
    approve: bool,
    opinion: str,
    accept_exception: bool = False,
) -> ProcessChange:
    change = _lock_change(change.pk)
    _require_reviewer(actor, change, "catalog.review_final")
    if change.state != ReviewState.FINAL_REVIEW:
        raise Conflict(
            "process_change.wrong_state",
            f"该申请当前为“{change.get_state_display()}”，不在终审环节。",
        )
    if not approve and not opinion.strip():
        raise InvalidInput(
            "process_change.opinion_required",
            "退回时须填写审核意见。",
            {"opinion": "请填写审核意见。"},
        )
    version = for_update(GuideVersion.objects).get(pk=change.proposed_id)
    change.final_by, change.final_at, change.final_opinion = actor, now(), opinion
    if approve:
        if not version.meets_compression:
            if not accept_exception:
                raise InvalidInput(
                    "guide.compression_not_accepted",
                    "承诺时限超过法定时限的40%，批准须同时认可其无法压缩的理由（列为例外事项）。",
                    {"accept_exception": "请确认是否认可压缩例外。"},
                )
            version.compression_exception_accepted = True
            change.exception_accepted = True
        change.state = ReviewState.APPLIED
        change.save()
        publish_version(version, actor)
    else:
        _return(change)
        change.save()
    audit_record(
        actor=actor,
        action="process_change.final_review",
        target=change,
        department=change.matter.department,
        after={
            "approve": approve,
            "state": change.state,
            "exception_accepted": change.exception_accepted,
        },
        note=opinion,
    )
    return change
