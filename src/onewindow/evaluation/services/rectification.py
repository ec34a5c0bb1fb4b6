"""The rectification of a bad review (差评整改) step by step: opened with its contact and
rectify clocks, the steps of center and department (``states.ACTIONS``), the reviewer's
answer through their link, and the sweep's overdue flag with its escalation."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from onewindow.core import calendar as work_calendar
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.evaluation import rollups, scheme, states
from onewindow.evaluation.models import Rectification, RectificationEvent, Review
from onewindow.evaluation.selectors import (
    escalation_recipients,
    limits_for,
    rectification_for_reviewer,
    roles_on,
)
from onewindow.evaluation.services.guards import is_staff_session, require_citizen
from onewindow.org.names import label_of


def rect_event(rect: Rectification, action: str, actor, *, before: str, note="", at=None, **data):
    staff = is_staff_session(actor)
    label = label_of(actor) if staff else ("评价人" if action in ("accept", "reject") else "系统")
    RectificationEvent.objects.create(
        rectification=rect,
        action=action,
        from_state=before,
        to_state=rect.state,
        actor=actor if staff else None,
        actor_label=label[:100],
        note=note,
        data=data,
        at=clock.now(at),
    )
    audit_record(
        actor=actor if staff else label,
        action=f"rectification.{action}",
        target=rect,
        center=rect.center,
        department=rect.department,
        before={"state": before},
        after={"state": rect.state, **data},
        note=note,
    )


def open_rectification(review: Review) -> Rectification:
    contact_days, rectify_days = limits_for(review.center)
    start = timezone.localdate(review.created_at)
    clocks = {}
    for name, days, purpose in (
        ("contact_deadline", contact_days, "差评联系时限"),
        ("rectify_deadline", rectify_days, "差评整改时限"),
    ):
        clocks[name] = work_calendar.deadline_start(
            actor=None, center=review.center, purpose=purpose, start=start, days=days
        )
    rect = Rectification.objects.create(
        review=review,
        center=review.center,
        department=review.department,
        responsible=review.staff,
        reviewer_token=secrets.token_urlsafe(18),
        opened_at=review.created_at,
        **clocks,
    )
    rect_event(
        rect,
        "open",
        None,
        before="",
        at=review.created_at,
        contact_due=rect.contact_deadline.due.isoformat() if rect.contact_deadline.due else None,
        rectify_due=rect.rectify_deadline.due.isoformat() if rect.rectify_deadline.due else None,
    )
    return rect


def lock_rect(rect) -> Rectification:
    locked = for_update(Rectification.objects).filter(pk=getattr(rect, "pk", rect)).first()
    if locked is None:
        raise NotFound("rectification.not_found", "未找到该整改单。")
    return locked


@transaction.atomic
def rectification_step(
    *, actor, rectification, action: str, text: str = "", now: datetime | None = None
) -> Rectification:
    """Take one step of the rectification's life (``states.ACTIONS``) as center or
    department staff."""
    now = clock.now(now)
    spec = states.ACTIONS.get(action)
    if spec is None or states.REVIEWER in spec.by or action == "appeal_upheld":
        raise InvalidInput("rectification.bad_action", "不支持该操作。")
    rect = lock_rect(rectification)
    mine = roles_on(actor, rect)
    if not (mine & spec.by):
        who = "中心" if spec.by == {states.CENTER} else "责任部门或中心"
        raise Forbidden("rectification.not_allowed", f"“{spec.label}”须由{who}办理。")
    if rect.state not in spec.sources:
        raise Conflict(
            "rectification.wrong_state", f"整改单当前为“{rect.state_label}”，不能{spec.label}。"
        )
    text = (text or "").replace("\x00", "").strip()
    if spec.needs_text and not text:
        raise InvalidInput(
            "rectification.text_required", f"请填写{spec.label}的情况。", {"text": "请填写。"}
        )
    if len(text) > 2000:
        raise InvalidInput(
            "rectification.text_too_long", "内容不能超过2000字。", {"text": "不能超过2000字。"}
        )
    before = rect.state
    rect.state = spec.target
    data = {}
    if action == "contact":
        rect.contacted_at, rect.contact_note = now, text
        due = rect.contact_deadline.due
        data["on_time"] = due is None or timezone.localdate(now) <= due
    elif action == "report":
        rect.report, rect.reported_at = text, now
        due = rect.rectify_deadline.due
        was, rect.on_time = rect.on_time, due is None or timezone.localdate(now) <= due
        rollups.rectification_reported(rect, was)
        data["on_time"] = rect.on_time
    elif action == "redo":
        rect.reviewer_accepts = None
    elif action == "check":
        rect.check_note, rect.checked_at = text, now
    elif action == "close":
        rect.closed_at = now
    rect.save()
    rect_event(rect, action, actor, before=before, note=text, at=now, **data)
    return rect


@transaction.atomic
def rectification_reviewer_answer(
    *, actor=None, token: str, accepts: bool, comment: str = "", now: datetime | None = None
) -> Rectification:
    """The reviewer, through their link, says whether they accept the rectification."""
    require_citizen(actor)
    now = clock.now(now)
    rect = lock_rect(rectification_for_reviewer(token))
    action = "accept" if accepts else "reject"
    spec = states.ACTIONS[action]
    if rect.state not in spec.sources:
        raise Conflict(
            "rectification.wrong_state",
            "部门尚未报告整改情况，或您已经答复过。"
            if rect.state != states.CLOSED
            else "该整改已办结。",
        )
    comment = (comment or "").replace("\x00", "").strip()
    if len(comment) > scheme.MAX_TEXT:
        raise InvalidInput(
            "rectification.text_too_long",
            f"意见不能超过{scheme.MAX_TEXT}字。",
            {"comment": "内容过长。"},
        )
    if not accepts and not comment:
        raise InvalidInput(
            "rectification.comment_required",
            "不认可时请写明原因，便于再次整改。",
            {"comment": "请写明原因。"},
        )
    before = rect.state
    rect.state = spec.target
    rect.reviewer_accepts, rect.reviewer_comment, rect.reviewer_answered_at = (
        accepts,
        comment,
        now,
    )
    rect.save()
    rect_event(rect, action, None, before=before, note=comment, at=now)
    return rect


def rectification_flag_overdue(rect: Rectification, *, today, now: datetime) -> bool:
    """Flag once a rectification past its contact or rectify deadline and escalate it to
    the center's directors and the supervisors above it. Returns whether it was flagged."""
    late = (
        rect.state == states.OPENED
        and rect.contact_deadline.due
        and today > rect.contact_deadline.due
    ) or (
        rect.state in states.BEFORE_REPORT
        and rect.rectify_deadline.due
        and today > rect.rectify_deadline.due
    )
    if not late:
        return False
    with transaction.atomic():
        locked = lock_rect(rect)
        if locked.overdue or locked.state not in states.OPEN:
            return False
        locked.overdue, locked.overdue_at = True, now
        locked.save(update_fields=["overdue", "overdue_at"])
        recipients = escalation_recipients(locked)
        rect_event(
            locked,
            "overdue",
            None,
            before=locked.state,
            at=now,
            escalated_to=[u.pk for u in recipients],
            escalated_names=[str(u) for u in recipients],
        )
    return True
