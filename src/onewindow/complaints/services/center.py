"""The center's steps: dispatch (分办) to the responsible department, the decision on an
extension, the revisit (回访) and the close (办结)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.complaints import rollups, states
from onewindow.complaints.models import Complaint
from onewindow.complaints.selectors import rules_for
from onewindow.complaints.services.steps import (
    answer_clock,
    checked_text,
    event,
    lock,
    require_center,
    require_center_admin,
    require_state,
)
from onewindow.core import calendar as work_calendar
from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.org.models import Department


@transaction.atomic
def complaint_dispatch(
    *, actor, complaint: Complaint, department: Department, note: str = "", now=None
) -> Complaint:
    """分办: the dispatcher confirms or changes the suggested department. The
    department may return it within the return limit (default 1 working day)."""
    now = clock.now(now)
    complaint = lock(complaint)
    require_center(actor, complaint)
    require_state(complaint, "dispatch")
    department = Department.objects.filter(pk=getattr(department, "pk", department)).first()
    if department is None:
        message = "请选择责任部门。"
        raise InvalidInput("complaint.department_required", message, {"department": message})
    if complaint.state == states.RETURNED and department.pk == complaint.department_id:
        message = "该部门已退回此投诉，请分办至其他部门。"
        raise InvalidInput("complaint.same_department", message, {"department": message})
    before = complaint.state
    complaint.state = states.DISPATCHED
    moved_from, complaint.department = complaint.department_id, department
    complaint.dispatched_at = now
    cal = work_calendar.calendar_for(center=complaint.center)
    days = rules_for(complaint.center).return_days
    complaint.return_due = cal.add_working_days(timezone.localdate(now), days).date
    complaint.save()
    rollups.complaint_moved(complaint, moved_from)
    event(
        complaint,
        "dispatch",
        actor,
        before=before,
        at=now,
        note=checked_text(note, "note", "说明", 500, required=False),
        department=department.name,
        suggested=complaint.suggested_department_id == department.pk,
    )
    return complaint


@transaction.atomic
def complaint_extension_approve(
    *, actor, complaint: Complaint, approve: bool = True, note: str = "", now=None
) -> Complaint:
    """The center approves (or refuses) the department's request; approved once, the
    answer limit grows by the extension days (default 5 working days)."""
    now = clock.now(now)
    complaint = lock(complaint)
    require_center_admin(actor, complaint)
    if complaint.extension != "requested":
        raise Conflict("complaint.no_extension_request", "没有待审批的延期申请。")
    if complaint.state not in states.CLOCK_RUNNING:
        raise Conflict("complaint.wrong_state", "该投诉已答复，无需延期。")
    complaint.extension = "approved" if approve else "refused"
    old = complaint.deadline
    if approve and old is not None:
        rules = rules_for(complaint.center)
        complaint.deadline = answer_clock(
            complaint, actor, old.start, old.days + rules.extension_days
        )
        complaint.overdue = False
    complaint.save()
    event(
        complaint,
        "extension_approve" if approve else "extension_refuse",
        actor,
        before=complaint.state,
        at=now,
        note=checked_text(note, "note", "说明", 500, required=False),
        due=complaint.deadline.due.isoformat() if complaint.deadline else None,
    )
    return complaint


@transaction.atomic
def complaint_revisit(*, actor, complaint: Complaint, note: str, now=None) -> Complaint:
    """回访: the center calls the complainant back after the answer (not anonymous)."""
    now = clock.now(now)
    complaint = lock(complaint)
    require_center(actor, complaint)
    require_state(complaint, "revisit")
    if complaint.anonymous or not complaint.phone:
        raise Conflict("complaint.anonymous", "匿名投诉没有联系方式，无法回访，可直接办结。")
    note = checked_text(note, "revisit_note", "回访记录", 1000)
    before = complaint.state
    complaint.state = states.REVISITED
    complaint.revisit_note, complaint.revisited_at = note, now
    complaint.save()
    event(complaint, "revisit", actor, before=before, at=now, note=note)
    return complaint


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint, note: str = "", now=None) -> Complaint:
    """办结: after the revisit; an anonymous complaint closes after the answer."""
    now = clock.now(now)
    complaint = lock(complaint)
    require_center(actor, complaint)
    require_state(complaint, "close")
    if complaint.state != states.REVISITED and not complaint.anonymous:
        raise Conflict("complaint.revisit_first", "实名投诉须先回访投诉人，再办结。")
    before = complaint.state
    complaint.state, complaint.closed_at = states.CLOSED, now
    complaint.save()
    event(
        complaint,
        "close",
        actor,
        before=before,
        at=now,
        note=checked_text(note, "note", "说明", 500, required=False),
    )
    return complaint
