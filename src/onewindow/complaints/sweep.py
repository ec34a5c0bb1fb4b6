"""Overdue complaints (R-CPL-1): ``sweep(now=None)`` flags every complaint whose answer
limit, or whose 12345 order's own limit, has passed without an answer — once, with an
event and an audit row. Only candidates are read: unflagged complaints in an open state
(the ``complaint_sweep`` index) whose due date is before today or whose hotline limit
has passed; running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from onewindow.complaints import states
from onewindow.complaints.models import Complaint, ComplaintEvent
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.locking import for_update


@dataclass
class SweepResult:
    overdue: int = 0
    numbers: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.overdue:
            return "投诉：没有新逾期未答复的投诉。"
        return f"投诉：新标记逾期未答复 {self.overdue} 件（{'、'.join(self.numbers[:5])}" + (
            "等）。" if self.overdue > 5 else "）。"
        )


def candidates(now: datetime):
    today = timezone.localdate(now)
    return Complaint.objects.filter(overdue=False, state__in=sorted(states.CLOCK_RUNNING)).filter(
        Q(deadline__due__lt=today) | Q(hotline_due__lt=now)
    )


def sweep(now: datetime | None = None) -> SweepResult:
    now = clock.now(now)
    today = timezone.localdate(now)
    result = SweepResult()
    for pk in list(candidates(now).order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            complaint = (
                for_update(Complaint.objects)
                .filter(pk=pk, overdue=False, state__in=sorted(states.CLOCK_RUNNING))
                .first()
            )
            if complaint is None:
                continue
            due = complaint.deadline.due if complaint.deadline_id else None
            own = due is not None and due < today
            hotline = complaint.hotline_due is not None and complaint.hotline_due < now
            if not (own or hotline):
                continue
            complaint.overdue = True
            complaint.save(update_fields=["overdue"])
            note = "超过答复期限未答复" if own else "超过12345工单办结时限未答复"
            ComplaintEvent.objects.create(
                complaint=complaint,
                action="overdue",
                from_state=complaint.state,
                to_state=complaint.state,
                actor_label="系统",
                note=note,
                data={"due": due.isoformat() if due else None},
                at=now,
            )
            audit_record(
                actor=None,
                action="complaint.overdue",
                target=complaint,
                center=complaint.center,
                department=complaint.department,
                after={"overdue": True},
                note=note,
            )
            result.overdue += 1
            result.numbers.append(complaint.number)
    return result
