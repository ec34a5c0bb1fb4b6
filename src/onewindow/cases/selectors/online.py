"""Reads of online applications (R-CASE-8): the listings a citizen may apply for on the
portal (found by the catalog's own search), a case by the citizen's secret link, the
reason a draft was returned, and the window's queues (pre-review, awaiting intake,
deemed accepted) within a reader's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.cases import states
from onewindow.cases.models import Case, CaseEvent
from onewindow.catalog import search
from onewindow.catalog.models import ONLINE_APPLY_DEPTHS, Listing
from onewindow.core.errors import NotFound

ONLINE_CHANNELS = frozenset({Case.Channel.WEB, Case.Channel.MOBILE, Case.Channel.TERMINAL})
# Guides whose online depth allows an application on the portal.
ONLINE_DEPTHS = ONLINE_APPLY_DEPTHS


def online_listings() -> QuerySet[Listing]:
    """Published listings whose guide may be applied for online."""
    return (
        Listing.objects.public()
        .filter(matter__current_version__online_depth__in=ONLINE_DEPTHS)
        .select_related("matter", "matter__current_version", "center__region", "department")
    )


def online_listings_search(query: str) -> list[Listing]:
    """The online listings for what a citizen typed, found by the catalog's own search
    (words, pinyin initials, everyday phrases: 营业执照, yyzz, 开饭店), in its order; a
    center's name finds that center's listings after them. An empty query lists all."""
    listings = online_listings()
    query = (query or "").strip()
    if not query:
        return list(listings.order_by("matter__name", "center__region__path", "pk"))
    hits = search.search_matters(query, limit=search.MAX_LIMIT).matters
    rank = {m.pk: index for index, m in enumerate(hits)}
    found = sorted(
        listings.filter(matter_id__in=list(rank)),
        key=lambda item: (rank[item.matter_id], item.center.region.path, item.pk),
    )
    seen = {item.pk for item in found}
    found += [
        item
        for item in listings.filter(center__name__icontains=query[:50]).order_by(
            "matter__name", "pk"
        )
        if item.pk not in seen
    ]
    return found


def online_listing_get(*, listing_id: int) -> Listing:
    listing = online_listings().filter(pk=listing_id).first()
    if listing is None:
        raise NotFound("listing.not_online", "该事项未开通网上申请或尚未发布。")
    return listing


def online_case_by_token(*, token: str) -> Case:
    """The case behind a citizen's secret link; a wrong token answers like a missing case."""
    token = (token or "").strip()[:40]
    case = (
        Case.objects.select_related("matter", "center", "applicant", "guide_version", "deadline")
        .filter(token=token, channel__in=ONLINE_CHANNELS)
        .first()
        if token
        else None
    )
    if case is None:
        raise NotFound("case.not_found", "未找到该申请，请核对链接。")
    return case


def prereview_return_reason(case: Case) -> CaseEvent | None:
    """The last pre-review return of a draft, which the citizen is asked to fix."""
    if case.state != states.DRAFT:
        return None
    return case.events.filter(action="prereview_return").order_by("-at", "-id").first()


def prereview_queue(*, scope, center_id: int | None = None) -> QuerySet[Case]:
    """Applications waiting for pre-review, the earliest due first."""
    cases = Case.objects.visible_to(scope).filter(state=states.PRE_REVIEW)
    if center_id:
        cases = cases.filter(center_id=center_id)
    return cases.select_related("matter", "applicant", "department").order_by(
        "prereview_due", "received_at", "id"
    )


def awaiting_intake(*, scope, center_id: int | None = None) -> QuerySet[Case]:
    """Online applications past pre-review that the window has not taken in yet."""
    cases = Case.objects.visible_to(scope).filter(
        state=states.INTAKE, channel__in=ONLINE_CHANNELS, intake_due__isnull=False
    )
    if center_id:
        cases = cases.filter(center_id=center_id)
    return cases.select_related("matter", "applicant", "department").order_by(
        "intake_due", "received_at", "id"
    )


def deemed_cases(*, scope, center_id: int | None = None) -> QuerySet[Case]:
    """Applications that became accepted because nobody took them in in time."""
    cases = Case.objects.visible_to(scope).filter(deemed_accepted=True)
    if center_id:
        cases = cases.filter(center_id=center_id)
    return cases.select_related("matter", "applicant", "department", "deadline").order_by(
        "-accepted_at", "-id"
    )
