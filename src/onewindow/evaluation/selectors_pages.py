"""Reads the evaluation's pages need, scoped by the reader: what a review link points
to, the choices of a review's subject, the queues with their filters, a
rectification's page with the steps the reader may take."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from onewindow.cases.models import Case
from onewindow.catalog.models import Listing, Matter
from onewindow.core.errors import NotFound
from onewindow.core.roles import may
from onewindow.core.scope import Scope, scope_for
from onewindow.evaluation import scheme, states
from onewindow.evaluation.models import Appeal, Rectification, Review
from onewindow.evaluation.selectors import (
    CONCLUDED,
    appeals_for,
    rectification_contact,
    rectification_get_for,
    rectifications_for,
    reviews_for,
    roles_on,
)
from onewindow.hall import selectors as hall_selectors
from onewindow.hall import states as ticket_states
from onewindow.hall.models import Ticket, Window
from onewindow.org.models import Center, Department

# --- what a review link points to -------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSubject:
    kind: str  # "ticket" or "case"
    subject: Ticket | Case
    existing: Review | None
    ready: bool


def review_subject(token: str) -> ReviewSubject:
    """The visit (a slip's token has a dot) or the case a review link points to, its
    review if it has one, and whether it may be reviewed yet; NotFound for anything else."""
    if "." in (token or ""):
        ticket = hall_selectors.ticket_by_token(token)
        existing = Review.objects.filter(ticket=ticket, stage="").first()
        return ReviewSubject("ticket", ticket, existing, ticket.state == ticket_states.DONE)
    case = (
        Case.objects.select_related("matter", "center").filter(token=(token or "")[:40]).first()
        if token
        else None
    )
    if case is None:
        raise NotFound("case.not_found", "未找到该办件。")
    existing = Review.objects.filter(case=case, stage="").first()
    return ReviewSubject("case", case, existing, case.state in CONCLUDED)


def terminal_visit(center: Center, code: str) -> tuple[Ticket | None, str]:
    """Today's finished, not yet reviewed visit of this center with that number, or the
    reason there is none (shown on the terminal)."""
    try:
        ticket = hall_selectors.ticket_of_today(center, code)
    except NotFound as exc:
        return None, exc.message
    if ticket.state != ticket_states.DONE:
        return None, f"{ticket.code}号当前为“{ticket.state_label}”，业务办结后才能评价。"
    if Review.objects.filter(ticket=ticket, stage="").exists():
        return None, f"{ticket.code}号已经评价过，每次服务只能评价一次。"
    return ticket, ""


def reviewer_steps(rect: Rectification) -> list:
    """The steps of a rectification the reviewer sees through their link."""
    return [
        e
        for e in rect.events.order_by("at", "id")
        if e.action in states.ACTIONS or e.action == "open"
    ]


# --- a review's subject (综合点评, 监督查评) -------------------------------------------------------


def public_centers() -> QuerySet[Center]:
    return Center.objects.filter(is_active=True).select_related("region").order_by("region__path")


def scope_centers(scope: Scope) -> QuerySet[Center]:
    return Center.objects.visible_to(scope).select_related("region")


def _pick(qs, value):
    return qs.filter(pk=int(value)).first() if str(value or "").isdigit() else None


def subject_form(centers: QuerySet[Center], data, *, public: bool) -> dict:
    """The chosen center and subject of a review form with the center's departments,
    windows and listed matters to choose from (the public page: active windows and the
    first 300 matters)."""
    center = _pick(centers, data.get("center"))
    subject = data.get("subject") if data.get("subject") in scheme.SUBJECTS else "center"
    found = {
        "centers": centers,
        "center": center,
        "subjects": list(scheme.SUBJECTS.items()),
        "subject": subject,
    }
    if center is not None:
        windows = Window.objects.filter(center=center)
        listings = Listing.objects.public().filter(center=center).select_related("matter")
        found["departments"] = Department.objects.filter(center=center).order_by("name")
        found["windows"] = (windows.filter(is_active=True) if public else windows).order_by(
            "number"
        )
        found["listings"] = listings[:300] if public else listings
    return found


def subject_targets(data) -> dict:
    """The department, window and matter a review form names (checked by the service)."""
    return {
        "department": _pick(Department.objects.all(), data.get("department")),
        "window": _pick(Window.objects.all(), data.get("window")),
        "matter": _pick(Matter.objects.all(), data.get("matter")),
    }


# --- the workspace ------------------------------------------------------------------------------


def rectification_queue(*, user, show: str) -> tuple[QuerySet[Rectification], str]:
    """The reader's rectifications: open (default), overdue or all."""
    rects = rectifications_for(user=user)
    if show == "overdue":
        rects = rects.filter(state__in=sorted(states.OPEN), overdue=True)
    elif show != "all":
        show = "open"
        rects = rects.filter(state__in=sorted(states.OPEN))
    return rects.order_by("rectify_deadline__due", "opened_at"), show


def pending_appeals(*, user) -> QuerySet[Appeal]:
    return appeals_for(user=user).filter(state=Appeal.State.PENDING)[:50]


def appeal_get_for(*, user, appeal_id) -> Appeal:
    appeal = (
        appeals_for(user=user)
        .filter(pk=int(appeal_id) if str(appeal_id).isdigit() else 0)
        .select_related("evidence")
        .first()
    )
    if appeal is None:
        raise NotFound("appeal.not_found", "未找到该申诉。")
    return appeal


def rectification_page(*, user, rectification_id) -> dict:
    """A rectification with its events, appeals, the reviewer's contact (the center
    only) and the steps the reader may take."""
    rect = rectification_get_for(user=user, rectification_id=rectification_id)
    mine = roles_on(user, rect)
    actions = [
        spec
        for spec in states.ACTIONS.values()
        if rect.state in spec.sources and spec.by & mine and spec.name not in ("appeal_upheld",)
    ]
    appeals = list(rect.review.appeals.select_related("filed_by", "decided_by"))
    return {
        "rect": rect,
        "review": rect.review,
        "actions": actions,
        "events": rect.events.select_related("actor"),
        "contact": rectification_contact(user=user, rectification=rect),
        "may_appeal": states.DEPARTMENT in mine
        and not rect.review.excluded
        and not any(a.state == Appeal.State.PENDING for a in appeals),
        "may_decide": states.CENTER in mine,
        "appeals": appeals,
    }


def reviews_by_level(*, user, level: str) -> tuple[QuerySet[Review], str]:
    """The reader's reviews: all, bad ones, default ones, or of one level."""
    reviews = reviews_for(user=user)
    if level == "bad":
        return reviews.filter(level__lte=2), level
    if level == "default":
        return reviews.filter(is_default=True), level
    if level.isdigit() and int(level) in scheme.LEVELS:
        return reviews.filter(level=int(level)), level
    return reviews, ""


def _scope_windows(user) -> QuerySet[Window]:
    return scope_for(user).filter(
        Window.objects.select_related("center"), center="center", department=None
    )


def pad_windows(*, user) -> QuerySet[Window]:
    """The windows of the center administrator's scope (to pair a pad to)."""
    return _scope_windows(user).order_by("center__region__path", "number")[:300]


def pad_window(*, user, window_id) -> Window:
    window = _pick(_scope_windows(user), window_id)
    if window is None:
        raise NotFound("window.not_found", "未找到该窗口。")
    return window


def is_center_reviewer(user) -> bool:
    return may(user, "review.center")
