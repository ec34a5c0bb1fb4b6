"""Overdue online questions (网上咨询, R-CASE-8): ``sweep(now=None)`` flags every online
question still unanswered after its due day (the center's working-day limit, set when it
was asked) — once, with an event and an audit row; the center's administrator and the
department see the flag in the consultation list. Only candidates are read: unflagged
open questions whose due day is before today (the ``inquiry_sweep`` index); running it
twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from onewindow.complaints.models import Inquiry, InquiryEvent
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.locking import for_update

NAME = "inquiries"


@dataclass
class SweepResult:
    overdue: int = 0
    ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        if not self.overdue:
            return "网上咨询：没有新逾期未答复的咨询。"
        return f"网上咨询：新标记逾期未答复 {self.overdue} 件。"


def candidates(now: datetime):
    return Inquiry.objects.filter(
        overdue=False, state=Inquiry.State.OPEN, due__lt=timezone.localdate(now)
    )


def sweep(now: datetime | None = None) -> SweepResult:
    now = clock.now(now)
    today = timezone.localdate(now)
    result = SweepResult()
    for pk in list(candidates(now).order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            inquiry = (
                for_update(Inquiry.objects)
                .filter(pk=pk, overdue=False, state=Inquiry.State.OPEN, due__lt=today)
                .first()
            )
            if inquiry is None:
                continue
            inquiry.overdue = True
            inquiry.save(update_fields=["overdue"])
            note = f"超过答复期限（{inquiry.due:%Y-%m-%d}）未答复"
            InquiryEvent.objects.create(
                inquiry=inquiry,
                action="overdue",
                from_state=inquiry.state,
                to_state=inquiry.state,
                actor_label="系统",
                note=note,
                data={"due": inquiry.due.isoformat()},
                at=now,
            )
            audit_record(
                actor=None,
                action="inquiry.overdue",
                target=inquiry,
                center=inquiry.center,
                department=inquiry.department,
                after={"overdue": True},
                note=note,
            )
            result.overdue += 1
            result.ids.append(inquiry.pk)
    return result
