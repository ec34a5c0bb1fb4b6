"""The complaints' monthly rollup (``ComplaintMonth``): every kind received, in the
local month received; complaints (not suggestions or praise) answered, in the local
month of the answer, those with an answer deadline and those answered no later than
its due date (the 投诉按期答复率 indicator). Counted under the complaint's center,
department and matter as they stand: a dispatch moves its counts to the new
department. Kept by the services in their transaction; rebuilt by ``rebuild``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.complaints.models import Complaint, ComplaintMonth
from onewindow.core import rollups


def keys(center, department, matter):
    return rollups.subjects(center=center, department=department, matter=matter)


def answer_counts(answered_at, due: dt.date | None, sign: int = 1) -> dict[str, int]:
    on_time = due is not None and timezone.localdate(answered_at) <= due
    return {"answered": sign, "dated": sign * (due is not None), "on_time": sign * on_time}


def _due(c: Complaint) -> dt.date | None:
    return c.deadline.due if c.deadline_id else None


def _bump(c: Complaint, department_id, at, counts) -> None:
    rollups.bump(
        ComplaintMonth,
        month=rollups.month_of(at),
        center_id=c.center_id,
        department_id=department_id,
        keys=keys(c.center_id, department_id, c.matter_id),
        **counts,
    )


def _all(c: Complaint, department_id, sign: int) -> None:
    _bump(c, department_id, c.received_at, {"received": sign})
    if c.kind == Complaint.Kind.COMPLAINT and c.answered_at is not None:
        _bump(c, department_id, c.answered_at, answer_counts(c.answered_at, _due(c), sign))


def complaint_received(c: Complaint) -> None:
    _bump(c, c.department_id, c.received_at, {"received": 1})


def complaint_moved(c: Complaint, old_department_id: int | None) -> None:
    """Its department changed (dispatch): its counts follow it."""
    if old_department_id != c.department_id:
        _all(c, old_department_id, -1)
        _all(c, c.department_id, 1)


def complaint_answered(c: Complaint, was_answered_at, was_due) -> None:
    """Answered now; ``was_answered_at``: the answer it replaces (reopened), if any."""
    if c.kind != Complaint.Kind.COMPLAINT:
        return
    if was_answered_at is not None:
        _bump(c, c.department_id, was_answered_at, answer_counts(was_answered_at, was_due, -1))
    _bump(c, c.department_id, c.answered_at, answer_counts(c.answered_at, _due(c)))


def rebuild(months: list[dt.date] | None) -> int:
    rollups.clear(ComplaintMonth, months)
    tally = rollups.Tally(ComplaintMonth)
    received, answered = (
        Complaint.objects.all(),
        Complaint.objects.filter(kind=Complaint.Kind.COMPLAINT, answered_at__isnull=False),
    )
    if months is not None:
        lo, hi = rollups.month_bounds(months)
        received = received.filter(received_at__gte=lo, received_at__lt=hi)
        answered = answered.filter(answered_at__gte=lo, answered_at__lt=hi)
    wanted = None if months is None else set(months)
    cols = ("center_id", "department_id", "matter_id")
    for center, dept, matter, at in received.order_by().values_list(*cols, "received_at"):
        month = rollups.month_of(at)
        if wanted is None or month in wanted:
            tally.add(month, center, dept, keys(center, dept, matter), received=1)
    rows = answered.order_by().values_list(*cols, "answered_at", "deadline__due")
    for center, dept, matter, at, due in rows:
        month = rollups.month_of(at)
        if wanted is None or month in wanted:
            tally.add(month, center, dept, keys(center, dept, matter), **answer_counts(at, due))
    return tally.save()
