"""Consultations (咨询) and first-contact responsibility (首问负责, R-CASE-3).

The staff member first asked, at any window, logs the question and owns it until it is
answered or handed over; a handover names the new owner and the reason and is kept.
Supervisors see every consultation in their scope with its first owner and its trail.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from onewindow.catalog.models import Matter
from onewindow.complaints.models import FaqState, Inquiry, InquiryHandover
from onewindow.complaints.services.steps import checked_text
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import has_any, roles_of


def workplace(user):
    """(center id, department id) where a staff member works; a department's staff
    work at the center their department is stationed at."""
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.active:
        return None, None
    center_id = profile.center_id
    if center_id is None and profile.department_id:
        center_id = profile.department.center_id
    return center_id, profile.department_id


def _require_staff(user) -> None:
    if user.is_superuser:
        return
    if not (has_any(roles_of(user), "inquiry.staff")) or workplace(user)[0] is None:
        raise Forbidden("inquiry.not_staff", "只有在中心工作的人员可以登记咨询。")


@transaction.atomic
def inquiry_log(
    *,
    actor,
    question: str,
    channel: str = Inquiry.Channel.WINDOW,
    asker_name: str = "",
    asker_phone: str = "",
    matter: Matter | None = None,
    center=None,
    now: datetime | None = None,
) -> Inquiry:
    """首问: the person asked logs the question and becomes its owner."""
    _require_staff(actor)
    if channel not in Inquiry.Channel.values:
        raise InvalidInput("inquiry.bad_channel", "渠道不正确。", {"channel": "渠道不正确。"})
    center_id, department_id = workplace(actor)
    if center_id is None:
        if center is None:
            raise InvalidInput(
                "inquiry.center_required", "请选择中心。", {"center": "请选择中心。"}
            )
        center_id = center.pk
    inquiry = Inquiry.objects.create(
        center_id=center_id,
        department_id=department_id,
        matter=matter,
        channel=channel,
        question=checked_text(question, "question", "咨询内容", 2000, prefix="inquiry"),
        asker_name=checked_text(
            asker_name, "asker_name", "咨询人", 100, required=False, prefix="inquiry"
        ),
        asker_phone=checked_text(
            asker_phone, "asker_phone", "联系电话", 20, required=False, prefix="inquiry"
        ),
        first_owner=actor,
        owner=actor,
        asked_at=clock.now(now),
    )
    audit_record(
        actor=actor,
        action="inquiry.log",
        target=inquiry,
        center=inquiry.center,
        department=inquiry.department,
        after={"owner": actor.pk, "channel": channel},
    )
    return inquiry


def lock_inquiry(inquiry) -> Inquiry:
    locked = for_update(Inquiry.objects).filter(pk=getattr(inquiry, "pk", inquiry)).first()
    if locked is None:
        raise NotFound("inquiry.not_found", "未找到该咨询。")
    return locked


def _require_owner(actor, inquiry: Inquiry) -> None:
    if inquiry.owner_id != actor.pk:
        raise Forbidden("inquiry.not_owner", "只有当前责任人可以答复或移交该咨询。")
    if inquiry.state != Inquiry.State.OPEN:
        raise Conflict("inquiry.answered", "该咨询已答复。")


@transaction.atomic
def inquiry_handover(*, actor, inquiry: Inquiry, to_user, reason: str, now=None) -> Inquiry:
    """Hand the question to a colleague who can answer it; they own it from now on."""
    inquiry = lock_inquiry(inquiry)
    _require_owner(actor, inquiry)
    target = get_user_model().objects.filter(pk=getattr(to_user, "pk", to_user)).first()
    if target is None or target.pk == actor.pk or not target.is_active:
        message = "请选择接手的工作人员（不能是本人）。"
        raise InvalidInput("inquiry.bad_target", message, {"to_user": message})
    center_id, department_id = workplace(target)
    if not (has_any(roles_of(target), "inquiry.staff")) or center_id != inquiry.center_id:
        message = "只能移交给本中心（含进驻部门）的工作人员。"
        raise InvalidInput("inquiry.bad_target", message, {"to_user": message})
    reason = checked_text(reason, "reason", "移交原因", 200, prefix="inquiry")
    previous = inquiry.owner
    InquiryHandover.objects.create(
        inquiry=inquiry,
        from_user=previous,
        to_user=target,
        reason=reason,
        at=clock.now(now),
    )
    inquiry.owner = target
    inquiry.department_id = department_id
    inquiry.save(update_fields=["owner", "department"])
    audit_record(
        actor=actor,
        action="inquiry.handover",
        target=inquiry,
        center=inquiry.center,
        department=inquiry.department,
        before={"owner": previous.pk},
        after={"owner": target.pk},
        note=reason,
    )
    return inquiry


@transaction.atomic
def inquiry_answer(*, actor, inquiry: Inquiry, answer: str, now=None) -> Inquiry:
    inquiry = lock_inquiry(inquiry)
    _require_owner(actor, inquiry)
    inquiry.answer = checked_text(answer, "answer", "答复", 2000, prefix="inquiry")
    inquiry.state = Inquiry.State.ANSWERED
    inquiry.answered_by, inquiry.answered_at = actor, clock.now(now)
    if inquiry.channel == Inquiry.Channel.WEB and inquiry.publish_consent and inquiry.matter_id:
        inquiry.faq_state = FaqState.PENDING  # published only after the department's review
    inquiry.save(update_fields=["answer", "state", "answered_by", "answered_at", "faq_state"])
    audit_record(
        actor=actor,
        action="inquiry.answer",
        target=inquiry,
        center=inquiry.center,
        department=inquiry.department,
        after={"state": inquiry.state},
    )
    return inquiry
