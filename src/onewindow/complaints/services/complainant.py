"""The complainant's steps through the secret link: satisfied or not with the answer,
and once, the request to handle it again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from onewindow.complaints import states
from onewindow.complaints.models import Complaint
from onewindow.complaints.selectors import complaint_by_token, rules_for
from onewindow.complaints.services.steps import (
    answer_clock,
    checked_text,
    event,
    lock,
    require_state,
)
from onewindow.core import clock
from onewindow.core.errors import Conflict


@transaction.atomic
def complaint_feedback(*, token: str, satisfied: bool, note: str = "", now=None) -> Complaint:
    """The complainant says whether the answer satisfies them."""
    now = clock.now(now)
    complaint = lock(complaint_by_token(token))
    action = "satisfied" if satisfied else "unsatisfied"
    require_state(complaint, action)
    before = complaint.state
    complaint.state = states.ACTIONS[action].target
    complaint.feedback = checked_text(note, "note", "意见", 1000, required=False)
    complaint.save()
    event(complaint, action, "投诉人", before=before, at=now, note=complaint.feedback)
    return complaint


@transaction.atomic
def complaint_reopen(*, token: str, reason: str, now=None) -> Complaint:
    """Not satisfied, the complainant may ask once for the matter to be handled again:
    back to the same department with a new answer clock."""
    now = clock.now(now)
    complaint = lock(complaint_by_token(token))
    require_state(complaint, "reopen")
    if complaint.reopened:
        raise Conflict("complaint.reopened_once", "每件投诉只能申请重新办理一次。")
    reason = checked_text(reason, "reason", "重新办理的理由", 1000)
    before = complaint.state
    complaint.state = states.DISPATCHED
    complaint.reopened = True
    complaint.overdue = False
    complaint.deadline = answer_clock(
        complaint, None, timezone.localdate(now), rules_for(complaint.center).answer_days
    )
    complaint.save()
    event(complaint, "reopen", "投诉人", before=before, at=now, note=reason)
    return complaint
