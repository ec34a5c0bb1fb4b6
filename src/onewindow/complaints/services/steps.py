"""What every step of a complaint shares: the row locked, the state checked against
``states.ACTIONS``, who may take it (the center's complaint office, the center's
administrators, the responsible department), the event and audit row it leaves, the
answer clock, and the free text checked (``core.text.clean_text``)."""

from __future__ import annotations

from datetime import date

from django.dispatch import Signal

from onewindow.complaints import states
from onewindow.complaints.models import Complaint, ComplaintEvent
from onewindow.complaints.selectors import in_scope, is_center_staff, is_department_staff
from onewindow.core import calendar as work_calendar
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import may
from onewindow.core.text import clean_text

# Every step of a complaint, sent inside the step's transaction (complaint, action,
# before, data, at): what listens writes in the same transaction (the messages' outbox).
complaint_stepped = Signal()

MAX_SUBJECT = 200
MAX_TEXT = 4000


def checked_text(
    value, field: str, label: str, limit: int, *, required: bool = True, prefix: str = "complaint"
) -> str:
    """``clean_text`` with the codes of this app (``complaint.<field>_required`` …)."""
    try:
        return clean_text(value, field=field, label=label, limit=limit, required=required)
    except InvalidInput as exc:
        raise InvalidInput(f"{prefix}.{exc.code}", exc.message, exc.fields) from None


def event(
    complaint: Complaint, action: str, actor, *, before: str, note: str = "", at=None, **data
) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = str(user) if user else (actor if isinstance(actor, str) else "系统")
    ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        from_state=before,
        to_state=complaint.state,
        actor=user,
        actor_label=label[:100],
        note=note,
        data=data,
        at=clock.now(at),
    )
    audit_record(
        actor=user or label,
        action=f"complaint.{action}",
        target=complaint,
        center=complaint.center,
        department=complaint.department,
        before={"state": before},
        after={"state": complaint.state, **data},
        note=note,
    )
    complaint_stepped.send(
        sender=Complaint, complaint=complaint, action=action, before=before, data=data, at=at
    )


def lock(complaint) -> Complaint:
    pk = getattr(complaint, "pk", complaint)
    # The complaint's row alone is locked; its center and department, which every step
    # names (its event, audit row and messages), are read with it.
    locked = (
        for_update(Complaint.objects).select_related("center", "department").filter(pk=pk).first()
    )
    if locked is None:
        raise NotFound("complaint.not_found", "未找到该投诉。")
    return locked


def require_state(complaint: Complaint, action: str) -> None:
    spec = states.ACTIONS[action]
    if complaint.state not in spec.sources:
        raise Conflict(
            "complaint.wrong_state",
            f"该投诉当前为“{complaint.state_label}”，不能{spec.label}。",
        )


def require_center(actor, complaint: Complaint) -> None:
    if actor.is_superuser:
        return
    if not in_scope(actor, complaint):
        raise NotFound("complaint.not_found", "未找到该投诉。")
    if not is_center_staff(actor, complaint.center_id):
        raise Forbidden("complaint.not_center", "该操作须由本中心投诉受理人员办理。")


def require_center_admin(actor, complaint: Complaint) -> None:
    if actor.is_superuser:
        return
    if not in_scope(actor, complaint):
        raise NotFound("complaint.not_found", "未找到该投诉。")
    if not may(actor, "complaint.approve_extension"):
        raise Forbidden("complaint.not_center_admin", "延期须经中心管理员批准。")


def require_department(actor, complaint: Complaint) -> None:
    if actor.is_superuser:
        return
    if not in_scope(actor, complaint):
        raise NotFound("complaint.not_found", "未找到该投诉。")
    if not is_department_staff(actor, complaint):
        raise Forbidden("complaint.not_department", "该操作须由责任部门人员办理。")


def answer_clock(complaint: Complaint, actor, start: date, days: int):
    return work_calendar.deadline_start(
        actor=None if actor is None or isinstance(actor, str) else actor,
        center=complaint.center,
        purpose=f"投诉{complaint.number}答复时限",
        start=start,
        days=days,
    )
