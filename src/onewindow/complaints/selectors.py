"""Reads of complaints and consultations, always within the reader's scope (a record
outside it answers as missing); hot topics per period, department and matter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from onewindow.catalog.models import Listing
from onewindow.complaints import states, topics
from onewindow.complaints.models import Complaint, ComplaintRules, FaqState, Inquiry
from onewindow.core.errors import NotFound
from onewindow.core.pii import mask_phone
from onewindow.core.roles import has_any, may, roles_of
from onewindow.core.scope import scope_for
from onewindow.org.models import Center, Department, Region


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


def inquiry_phone_for(inquiry: Inquiry, user) -> str:
    """The asker's phone as ``user`` may see it: in full only to the current owner of an
    open consultation (who has to call back); masked to everyone else, and to the owner
    once it is answered."""
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    if inquiry.state == Inquiry.State.OPEN and user_id and inquiry.owner_id == user_id:
        return inquiry.asker_phone
    return mask_phone(inquiry.asker_phone)


def place_words() -> frozenset[str]:
    """The words that name a place, from the org tables: every region's and center's
    name and its short forms (they name no subject of a complaint)."""
    names = [
        *Region.objects.order_by("pk").values_list("name", flat=True),
        *Center.objects.order_by("pk").values_list("name", flat=True),
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


# --- who may see and do what on a complaint ---------------------------------------------------


def in_scope(actor, complaint: Complaint) -> bool:
    return Complaint.objects.visible_to(scope_for(actor)).filter(pk=complaint.pk).exists()


def is_center_staff(actor, center_id: int) -> bool:
    if actor.is_superuser:
        return True
    profile = getattr(actor, "staff_profile", None)
    return may(actor, "complaint.center") and profile.center_id == center_id


def is_department_staff(actor, complaint: Complaint) -> bool:
    profile = getattr(actor, "staff_profile", None)
    return (
        profile is not None
        and has_any(roles_of(actor), "complaint.department")
        and complaint.department_id is not None
        and profile.department_id == complaint.department_id
    )


def sees_identity(user, complaint: Complaint) -> bool:
    """The complainant's name and phone: the center's complaint office and supervisors
    in scope; never the department complained about (nor anyone in it)."""
    if getattr(user, "is_superuser", False):
        return True
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.active:
        return False
    if profile.department_id and profile.department_id == complaint.department_id:
        return False
    return may(user, "complaint.identity") and in_scope(user, complaint)


# --- rules and routing -----------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def rules_for(center: Center) -> ComplaintRules:
    """The center's limits, or the settings' defaults (an unsaved row)."""
    found = ComplaintRules.objects.filter(center=center).first()
    if found is not None:
        return found
    return ComplaintRules(
        center=center,
        answer_days=_setting("ONEWINDOW_COMPLAINT_ANSWER_DAYS", 5),
        extension_days=_setting("ONEWINDOW_COMPLAINT_EXTENSION_DAYS", 5),
        return_days=_setting("ONEWINDOW_COMPLAINT_RETURN_DAYS", 1),
        repeat_window_days=_setting("ONEWINDOW_COMPLAINT_REPEAT_DAYS", 30),
    )


def suggest_department(
    center: Center, text: str, places: frozenset[str] | None = None
) -> topics.Suggestion:
    """The department the text most likely concerns, among those stationed at the
    center and those whose matters are listed there (words against their names, their
    line's names and their matters' names and keywords)."""
    # The names only: read as values, not as model rows (a center lists hundreds).
    listings = (
        Listing.objects.active()
        .filter(center=center)
        .values_list(
            "department_id",
            "department__name",
            "department__line__name",
            "matter_id",
            "matter__name",
            "matter__keywords",
        )
    )
    by_department: dict[int, dict] = {}
    for pk, name, line_name in Department.objects.filter(center=center).values_list(
        "pk", "name", "line__name"
    ):
        by_department[pk] = {"names": (name, line_name), "matters": []}
    for department_id, name, line_name, matter_id, matter_name, keywords in listings:
        entry = by_department.setdefault(department_id, {"names": (name, line_name), "matters": []})
        entry["matters"].append((matter_id, f"{matter_name} {keywords}"))
    candidates = []
    for pk, entry in by_department.items():
        name, line_name = entry["names"]
        candidates.append(
            topics.Candidate(
                key=pk,
                texts=((name, 3.0), (line_name, 3.0)),
                matter_keys=tuple(entry["matters"]),
            )
        )
    if places is None:
        places = place_words()
    return topics.suggest(text, candidates, places=places)


def complaint_by_token(token: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related("center", "department", "deadline")
        .filter(token=(token or "")[:40])
        .first()
    )
    if complaint is None or not token:
        raise NotFound("complaint.not_found", "未找到该投诉，请核对链接。")
    return complaint


def faqs_for_matter(matter) -> QuerySet[Inquiry]:
    """The answered online questions of a matter its department approved for the guide
    (R-CASE-8): only after that review, never before."""
    return Inquiry.objects.filter(
        matter=matter, state=Inquiry.State.ANSWERED, faq_state=FaqState.PUBLISHED
    ).order_by("-faq_reviewed_at", "-id")
