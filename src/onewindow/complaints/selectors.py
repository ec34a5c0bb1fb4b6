"""Reads of complaints and consultations, always within the reader's scope (a record
outside it answers as missing); hot topics per period, department and matter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from onewindow.complaints import states, topics
from onewindow.complaints.models import Complaint, Inquiry
from onewindow.core.errors import NotFound
from onewindow.org.models import Center, Region


def complaints_for(*, scope) -> QuerySet[Complaint]:
    return Complaint.objects.visible_to(scope).select_related(
        "center", "department", "suggested_department", "matter", "deadline", "related_to"
    )


def complaint_get_for(*, scope, complaint_id: int) -> Complaint:
    complaint = complaints_for(scope=scope).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("complaint.not_found", "未找到该投诉。")
    return complaint


def dispatch_queue(*, scope, center_ids=None) -> QuerySet[Complaint]:
    """Waiting for the dispatcher: received or returned, the oldest first."""
    qs = complaints_for(scope=scope).filter(state__in=[states.RECEIVED, states.RETURNED])
    if center_ids is not None:
        qs = qs.filter(center_id__in=center_ids)
    return qs.order_by("received_at", "id")


def department_queue(*, scope, department_id: int) -> QuerySet[Complaint]:
    """The department's complaints to answer, the nearest answer limit first."""
    return (
        complaints_for(scope=scope)
        .filter(department_id=department_id, state=states.DISPATCHED)
        .order_by("deadline__due", "received_at")
    )


def revisit_queue(*, scope, center_ids=None) -> QuerySet[Complaint]:
    qs = complaints_for(scope=scope).filter(
        state__in=[states.ANSWERED, states.SATISFIED, states.UNSATISFIED, states.REVISITED]
    )
    if center_ids is not None:
        qs = qs.filter(center_id__in=center_ids)
    return qs.order_by("answered_at", "id")


def public_view(complaint: Complaint) -> dict:
    """What the complainant (and Open311) sees: the one status table, the answer."""
    status = complaint.status
    return {
        "number": complaint.number,
        "status": status.label,
        "open311": status.open311,
        "subject": complaint.subject,
        "received_at": complaint.received_at,
        "due": complaint.deadline.due if complaint.deadline else None,
        "answer": complaint.answer if complaint.answered_at else "",
        "answered_at": complaint.answered_at,
        "department": complaint.department.name if complaint.department_id else "",
    }


def inquiries_for(*, scope) -> QuerySet[Inquiry]:
    return Inquiry.objects.visible_to(scope).select_related(
        "center", "department", "first_owner", "owner", "matter"
    )


def inquiry_get_for(*, scope, inquiry_id: int) -> Inquiry:
    inquiry = inquiries_for(scope=scope).filter(pk=inquiry_id).first()
    if inquiry is None:
        raise NotFound("inquiry.not_found", "未找到该咨询。")
    return inquiry


# --- hot topics ------------------------------------------------------------------------------

# The default period of the hot topics: the last 30 days, against the 30 before.
HOT_DAYS = 30


def place_words() -> frozenset[str]:
    """The words that name a place, from the org tables: every region's and center's
    name and its short forms (they name no subject of a complaint)."""
    names = [
        *Region.objects.values_list("name", flat=True),
        *Center.objects.values_list("name", flat=True),
    ]
    return topics.place_words(names)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


@dataclass
class HotTopics:
    period: Period
    total: int
    previous_total: int
    words: list[topics.Topic]
    departments: list[tuple[str, int, int]]  # (name, this period, previous)
    matters: list[tuple[str, int, int]]
    sources: list[tuple[str, int]]
    months: list[tuple[str, int]]  # the last months' counts, for the trend chart


def _in(qs, period: Period):
    start, end = period.bounds()
    return qs.filter(received_at__gte=start, received_at__lt=end)


def _ranked(current, previous, key: str, limit: int) -> list[tuple[str, int, int]]:
    now = {
        r[key]: r["n"] for r in current.exclude(**{key: None}).values(key).annotate(n=Count("id"))
    }
    before = {
        r[key]: r["n"] for r in previous.exclude(**{key: None}).values(key).annotate(n=Count("id"))
    }
    rows = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(name, n, before.get(name, 0)) for name, n in rows]


def hot_topics(
    *, scope, period: Period, center_id=None, department_id=None, matter_id=None, limit=10
) -> HotTopics:
    """The most frequent subjects in a period against the period before, by word, by
    department and by matter; a linked repeat is not counted twice."""
    base = Complaint.objects.visible_to(scope).counted()
    if center_id:
        base = base.filter(center_id=center_id)
    if department_id:
        base = base.filter(department_id=department_id)
    if matter_id:
        base = base.filter(matter_id=matter_id)
    current, previous = _in(base, period), _in(base, period.previous())
    words = topics.hot(
        current.values_list("words", flat=True),
        previous.values_list("words", flat=True),
        limit=limit,
        places=place_words(),
    )
    labels = dict(Complaint.Source.choices)
    sources = [
        (labels.get(r["source"], r["source"]), r["n"])
        for r in current.values("source").annotate(n=Count("id")).order_by("-n", "source")
    ]
    months = []
    first = period.end.replace(day=1)
    for i in range(5, -1, -1):
        y, m = first.year, first.month - i
        while m <= 0:
            y, m = y - 1, m + 12
        start = date(y, m, 1)
        end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
        months.append((f"{y}年{m}月", _in(base, Period(start, end)).count()))
    return HotTopics(
        period=period,
        total=current.count(),
        previous_total=previous.count(),
        words=words,
        departments=_ranked(current, previous, "department__name", limit),
        matters=_ranked(current, previous, "matter__name", limit),
        sources=sources,
        months=months,
    )
