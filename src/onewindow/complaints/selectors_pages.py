"""Reads the complaint and consultation pages need, scoped by the reader: the queues
with their filters, the centers a person registers at, the departments a complaint may
be dispatched to, the hotline's answered orders, a colleague to hand a consultation to,
and what a complaint's page offers the reader."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from onewindow.catalog.models import Listing
from onewindow.complaints import states
from onewindow.complaints.models import FINDINGS_OFFERED, Complaint, Inquiry
from onewindow.complaints.selectors import (
    complaints_for,
    department_queue,
    dispatch_queue,
    inquiries_for,
    is_center_staff,
    is_department_staff,
    revisit_queue,
    sees_identity,
)
from onewindow.core.roles import may
from onewindow.org.models import Center, Department

QUEUES = [
    ("dispatch", "待分办"),
    ("department", "本部门待答复"),
    ("revisit", "待回访/办结"),
    ("overdue", "逾期未答复"),
    ("all", "全部"),
]


def registers(user) -> bool:
    """Whether the person works in a center's complaint office (registers, dispatches)."""
    return may(user, "complaint.center")


def home_center(user) -> Center | None:
    """The center a staff member works at (a department's: the one it is stationed at)."""
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return None
    if profile.center_id:
        return profile.center
    if profile.department_id and profile.department.center_id:
        return profile.department.center
    return None


def complaint_queue(*, scope, user, view: str, q: str) -> tuple[QuerySet[Complaint], str]:
    """One of ``QUEUES`` (the department's by default for department staff, else the
    dispatcher's), searched by number or subject."""
    profile = getattr(user, "staff_profile", None)
    department_id = profile.department_id if profile else None
    default = "department" if department_id and not registers(user) else "dispatch"
    if view not in dict(QUEUES):
        view = default
    if view == "dispatch":
        qs = dispatch_queue(scope=scope)
    elif view == "department":
        qs = (
            department_queue(scope=scope, department_id=department_id)
            if department_id
            else complaints_for(scope=scope).none()
        )
    elif view == "revisit":
        qs = revisit_queue(scope=scope)
    elif view == "overdue":
        qs = complaints_for(scope=scope).filter(overdue=True, state__in=states.OPEN)
    else:
        qs = complaints_for(scope=scope)
    if q:
        qs = qs.filter(number__startswith=q) | qs.filter(subject__icontains=q)
    return qs, view


def registration_centers(*, scope, user) -> QuerySet[Center]:
    """The active centers a person registers complaints or hotline orders at: their own
    if they have one, else those of their scope."""
    centers = Center.objects.visible_to(scope).filter(is_active=True).order_by("code")
    center = home_center(user)
    if center is not None:
        centers = centers.filter(pk=center.pk)
    return centers


def center_by_id(centers: QuerySet[Center], raw) -> Center | None:
    raw = str(raw or "")
    return centers.filter(pk=int(raw)).first() if raw.isdigit() else None


def department_by_id(raw) -> Department | None:
    raw = str(raw or "")
    return Department.objects.filter(pk=int(raw)).first() if raw.isdigit() else None


def dispatch_departments(complaint: Complaint) -> QuerySet[Department]:
    """The departments stationed at the complaint's center or listing matters there."""
    return (
        (
            Department.objects.filter(center=complaint.center)
            | Department.objects.filter(
                pk__in=Listing.objects.filter(center=complaint.center).values("department_id")
            )
        )
        .distinct()
        .order_by("name")
    )


def finding_people(complaint: Complaint) -> list:
    """Whom a finding may name: the active staff of the complaint's center and of its
    department."""
    from_center = Q(staff_profile__center_id=complaint.center_id)
    if complaint.department_id:
        from_center |= Q(staff_profile__department_id=complaint.department_id)
    return list(
        get_user_model()
        .objects.filter(from_center, staff_profile__active=True)
        .order_by("staff_profile__staff_no")
    )


def finding_staff_by_id(complaint: Complaint, raw):
    """The person a finding names, by id, among ``finding_people`` (None when blank; an
    id outside the list is answered by the service's check)."""
    raw = str(raw or "").strip()
    if not raw.isdigit():
        return None
    return get_user_model().objects.select_related("staff_profile").filter(pk=int(raw)).first()


def complaint_page(*, user, complaint: Complaint) -> dict:
    """What a complaint's page shows the reader: the identity or not, the steps, and the
    actions the reader may take in its state."""
    actions = {a for a, spec in states.ACTIONS.items() if complaint.state in spec.sources}
    center_staff = is_center_staff(user, complaint.center_id)
    department_staff = user.is_superuser or is_department_staff(user, complaint)
    return {
        "c": complaint,
        "show_identity": sees_identity(user, complaint),
        "events": [
            {
                "at": e.at,
                "actor": e.actor_label,
                "label": states.label_of(e.action),
                "state": states.LABELS.get(e.to_state, e.to_state),
                "note": e.note,
            }
            for e in complaint.events.order_by("at", "id")
        ],
        "center_actions": actions & {"dispatch", "revisit", "close"} if center_staff else set(),
        "department_actions": actions & {"return", "answer"} if department_staff else set(),
        "can_extend": department_staff
        and complaint.state == states.DISPATCHED
        and not complaint.extension,
        "can_approve": complaint.extension == "requested"
        and may(user, "complaint.approve_extension"),
        "departments": dispatch_departments(complaint) if center_staff else [],
        "repeats": complaint.repeats.all(),
        "may_return_until": complaint.state == states.DISPATCHED and complaint.returns == 0,
        "may_close": complaint.state == states.REVISITED or complaint.anonymous,
        "findings": [(f.value, f.label) for f in FINDINGS_OFFERED],
        "finding_required": complaint.kind == Complaint.Kind.COMPLAINT,
        "finding_people": finding_people(complaint) if "answer" in actions else [],
    }


def hotline_answered(*, scope) -> QuerySet[Complaint]:
    """The answered hotline orders of the file-based hotline, the latest first."""
    return (
        complaints_for(scope=scope)
        .exclude(hotline_order="")
        .filter(answered_at__isnull=False, hotline_client__isnull=True)
        .order_by("-answered_at")[:50]
    )


def scope_departments(scope) -> QuerySet[Department]:
    return Department.objects.visible_to(scope).order_by("name")[:300]


def complaint_by_number(number: str, tail: str) -> Complaint | None:
    """A complaint by its number and the last four digits of its phone (read only)."""
    complaint = (
        Complaint.objects.select_related("department", "deadline").filter(number=number).first()
    )
    if complaint is None or len(tail) != 4 or complaint.phone[-4:] != tail:
        return None
    return complaint


def public_centers() -> QuerySet[Center]:
    return Center.objects.filter(is_active=True).select_related("region").order_by("code")


def inquiry_queue(
    *, scope, user, mine: bool, state: str, online: bool = False, overdue: bool = False
) -> QuerySet[Inquiry]:
    """The consultations in scope; ``online``: the questions asked online, oldest due
    first (those nobody has taken yet, then the rest); ``overdue``: the online questions
    the sweep flagged as past their limit and still open."""
    qs = inquiries_for(scope=scope)
    if mine:
        qs = qs.filter(owner=user)
    if overdue:
        qs = qs.filter(overdue=True, state=Inquiry.State.OPEN).order_by("due", "id")
    if online:
        qs = qs.filter(channel=Inquiry.Channel.WEB).order_by("state", "due", "id")
    if state in Inquiry.State.values:
        qs = qs.filter(state=state)
    return qs


def overdue_inquiry_count(*, scope) -> int:
    """The online questions in scope the sweep flagged as past their limit, still open."""
    return inquiries_for(scope=scope).filter(overdue=True, state=Inquiry.State.OPEN).count()


def handover_colleagues(*, inquiry: Inquiry, user) -> list:
    """The active staff of the inquiry's center (its own and its departments'), but the
    reader, by name; none unless the reader owns the open inquiry."""
    if inquiry.owner_id != user.pk or inquiry.state != Inquiry.State.OPEN:
        return []
    User = get_user_model()
    colleagues = (
        User.objects.filter(is_active=True, staff_profile__active=True)
        .filter(staff_profile__center_id=inquiry.center_id)
        .union(
            User.objects.filter(
                is_active=True,
                staff_profile__active=True,
                staff_profile__department__center_id=inquiry.center_id,
            )
        )
    )
    return sorted((u for u in colleagues if u.pk != user.pk), key=lambda u: str(u))
