"""The department's review and decision, and delivery at the unified window
(R-CASE-1): one transaction each; the case row is locked before its state is checked;
who may take each step is the activity ``cases/states.py`` names for it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.cases.services.clock import clock_sync
from onewindow.cases.services.pledges import pledge_checks_create
from onewindow.cases.services.steps import event, lock, require_actor, require_state
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, InvalidInput


@transaction.atomic
def case_start_review(*, actor, case: Case, now: datetime | None = None) -> Case:
    case = lock(case)
    require_actor(actor, case, "start_review")
    require_state(case, "start_review")
    before = case.state
    case.state, case.assignee = states.IN_REVIEW, actor
    case.save()
    event(case, "start_review", actor, before=before, at=now)
    return case


@transaction.atomic
def case_decide(
    *, actor, case: Case, approve: bool, note: str = "", now: datetime | None = None
) -> Case:
    """准予 or 不予. The case row is locked first: two approvers deciding at once leave
    exactly one decision; the second is told it was already decided."""
    now = clock_now(now)
    case = lock(case)
    action = "approve" if approve else "deny"
    require_actor(actor, case, action)
    if case.state in (states.APPROVED, states.DENIED):
        raise Conflict("case.already_decided", f"该办件已由{case.decided_by}作出决定。")
    require_state(case, action)
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput(
            "case.reason_required", "不予许可须写明理由和依据。", {"note": "请写明理由。"}
        )
    before = case.state
    case.state = states.ACTIONS[action].target
    case.decided_at, case.decided_by, case.decision_note = now, actor, note
    clock_sync(case)  # the clock stops
    case.save()
    on_time = case.deadline.due is None or timezone.localdate(now) <= case.deadline.due
    event(case, action, actor, before=before, note=note, at=now, on_time=on_time)
    if approve:
        pledge_checks_create(actor=actor, case=case, now=now)
    return case


@transaction.atomic
def case_make_ready(*, actor, case: Case, now: datetime | None = None) -> Case:
    case = lock(case)
    require_actor(actor, case, "make_ready")
    require_state(case, "make_ready")
    before = case.state
    case.state = states.READY
    case.save()
    event(case, "make_ready", actor, before=before, at=now)
    return case


@transaction.atomic
def case_deliver(
    *,
    actor,
    case: Case,
    method: str = "window",
    tracking_number: str = "",
    now: datetime | None = None,
    bundle_delivery: bool = False,
) -> Case:
    """出件 at the unified window, or by free mail with a tracking number. A part of a
    "one thing" application is delivered only with the whole (``bundle_deliver``)."""
    now = clock_now(now)
    case = lock(case)
    require_actor(actor, case, "deliver")
    require_state(case, "deliver")
    if case.bundle_application_id and not bundle_delivery:
        raise Conflict("case.bundle_delivers_once", "一件事须全部办结后统一出件。")
    if method not in ("window", "mail"):
        raise InvalidInput("case.delivery_method", "送达方式不正确。")
    if method == "mail" and not tracking_number.strip():
        raise InvalidInput(
            "case.tracking_required",
            "邮寄送达须填写邮寄单号。",
            {"tracking_number": "请填写邮寄单号。"},
        )
    before = case.state
    case.state, case.delivered_at = states.DELIVERED, now
    case.delivery_method, case.tracking_number = method, tracking_number.strip()
    case.save()
    event(case, "deliver", actor, before=before, at=now, method=method)
    return case
