"""The responsible department's steps: return (退回) once within the return limit, ask
for an extension once, answer (答复)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.complaints import rollups, states
from onewindow.complaints.models import FINDINGS_OFFERED, Complaint
from onewindow.complaints.services.steps import (
    MAX_TEXT,
    checked_text,
    event,
    lock,
    require_department,
    require_state,
)
from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidInput


@transaction.atomic
def complaint_return(*, actor, complaint: Complaint, reason: str, now=None) -> Complaint:
    """退回: not this department's business; once, with a reason, within the return
    limit (default 1 working day after dispatch)."""
    now = clock.now(now)
    complaint = lock(complaint)
    require_department(actor, complaint)
    require_state(complaint, "return")
    if complaint.returns >= 1:
        raise Conflict("complaint.returned_once", "投诉只能退回一次，请按时答复。")
    if complaint.return_due and timezone.localdate(now) > complaint.return_due:
        raise Conflict(
            "complaint.return_too_late",
            f"退回期限（{complaint.return_due:%Y年%-m月%-d日}）已过，不能再退回，请按时答复。",
        )
    reason = checked_text(reason, "reason", "退回理由", 500)
    before = complaint.state
    department = complaint.department
    complaint.state = states.RETURNED
    complaint.returns += 1
    complaint.return_reason = reason
    complaint.save()
    event(
        complaint, "return", actor, before=before, at=now, note=reason, department=department.name
    )
    return complaint


@transaction.atomic
def complaint_extension_request(*, actor, complaint: Complaint, reason: str, now=None) -> Complaint:
    """申请延期: once, with a reason, while the clock runs; the center decides."""
    now = clock.now(now)
    complaint = lock(complaint)
    require_department(actor, complaint)
    if complaint.state != states.DISPATCHED:
        raise Conflict(
            "complaint.wrong_state", f"该投诉当前为“{complaint.state_label}”，不能申请延期。"
        )
    if complaint.extension:
        raise Conflict("complaint.extended_once", "答复期限只能延长一次。")
    complaint.extension = "requested"
    complaint.extension_reason = checked_text(reason, "reason", "延期理由", 500)
    complaint.save(update_fields=["extension", "extension_reason"])
    event(
        complaint,
        "extension_request",
        actor,
        before=complaint.state,
        at=now,
        note=complaint.extension_reason,
    )
    return complaint


def _finding(complaint: Complaint, finding: str, staff) -> tuple[str, object]:
    """The finding (属实 / 部分属实 / 不属实), required for a complaint, and the person
    it concerns: someone working at the complaint's center or in its department."""
    finding = (finding or "").strip()
    if complaint.kind != Complaint.Kind.COMPLAINT and not finding:
        return "", None
    if finding not in FINDINGS_OFFERED:
        raise InvalidInput(
            "complaint.finding_required",
            "请选择核查结论（属实、部分属实或不属实）。",
            {"finding": "请选择核查结论。"},
        )
    if staff is None:
        return finding, None
    profile = getattr(staff, "staff_profile", None)
    if profile is None or not (
        profile.center_id == complaint.center_id
        or (profile.department_id and profile.department_id == complaint.department_id)
    ):
        raise InvalidInput(
            "complaint.finding_staff",
            "涉及的工作人员须为本中心或责任部门的人员。",
            {"finding_staff": "请从名单中选择。"},
        )
    return finding, staff


@transaction.atomic
def complaint_answer(
    *, actor, complaint: Complaint, answer: str, finding: str = "", finding_staff=None, now=None
) -> Complaint:
    """答复: the department's answer, given to the complainant (and to the hotline), with
    its finding (核查结论, required for a complaint) and the person it concerns, if one."""
    now = clock.now(now)
    complaint = lock(complaint)
    require_department(actor, complaint)
    require_state(complaint, "answer")
    answer = checked_text(answer, "answer", "答复内容", MAX_TEXT)
    finding, finding_staff = _finding(complaint, finding, finding_staff)
    before = complaint.state
    complaint.state = states.ANSWERED
    was = complaint.answered_at, complaint.deadline.due if complaint.deadline_id else None
    complaint.answer, complaint.answered_at, complaint.answered_by = answer, now, actor
    complaint.finding, complaint.finding_staff = finding, finding_staff
    if complaint.extension == "requested":
        complaint.extension = ""
    complaint.save()
    rollups.complaint_answered(complaint, *was)
    late = bool(complaint.deadline and timezone.localdate(now) > complaint.deadline.due)
    event(
        complaint,
        "answer",
        actor,
        before=before,
        at=now,
        note=answer,
        late=late,
        finding=finding,
        finding_staff=finding_staff.pk if finding_staff else None,
    )
    return complaint
