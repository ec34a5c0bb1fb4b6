"""Staff reads: matters, drafts, process changes and change requests within the user's
scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from onewindow.catalog.models import (
    LISTING_LOCAL_FIELDS,
    ChangeRequest,
    GuideVersion,
    Listing,
    Matter,
    ProcessChange,
    ReviewState,
)
from onewindow.catalog.selectors.access import can_decide
from onewindow.catalog.selectors.guides import (
    OUTSIDE_REASONS,
    compression_facts,
    process_comparison,
)
from onewindow.catalog.selectors.public import guide_with_parts
from onewindow.core.errors import NotFound
from onewindow.core.roles import may
from onewindow.org.models import Center, Department


def matters_for_staff(*, scope) -> QuerySet[Matter]:
    return Matter.objects.visible_to(scope).select_related("current_version", "department", "line")


def matter_get_for_staff(*, scope, matter_id: int) -> Matter:
    matter = matters_for_staff(scope=scope).filter(pk=matter_id).first()
    if matter is None:
        raise NotFound("matter.not_found", "未找到该事项。")
    return matter


def matter_get_for_listing_staff(*, scope, matter_id: int) -> tuple[Matter, bool]:
    """A matter for the staff page: one whose owner department is in scope (``True``:
    its drafts and reviews too), or one listed at a center in scope (``False``: the
    catalog's admins of that center see its published versions, its listings and its
    entrustments)."""
    matter = matters_for_staff(scope=scope).filter(pk=matter_id).first()
    if matter is not None:
        return matter, True
    listed = Listing.objects.visible_to(scope).filter(matter_id=matter_id).values("matter_id")
    matter = (
        Matter.objects.filter(pk__in=listed)
        .select_related("current_version", "department", "line")
        .first()
    )
    if matter is None:
        raise NotFound("matter.not_found", "未找到该事项。")
    return matter, False


def version_get_for_staff(*, scope, version_id: int) -> GuideVersion:
    version = GuideVersion.objects.filter(
        pk=version_id, matter__in=matters_for_staff(scope=scope)
    ).first()
    if version is None:
        raise NotFound("guide.not_found", "未找到该办事指南版本。")
    return guide_with_parts(version.pk)


def process_changes_for(*, scope, state: str | None = None) -> QuerySet[ProcessChange]:
    qs = ProcessChange.objects.visible_to(scope).select_related(
        "matter", "proposed", "base", "matter__department"
    )
    if state:
        qs = qs.filter(state=state)
    return qs


def recent_process_changes(*, scope, limit: int = 50) -> QuerySet[ProcessChange]:
    return process_changes_for(scope=scope).select_related("submitted_by")[:limit]


def process_change_get(*, scope, change_id: int) -> ProcessChange:
    change = process_changes_for(scope=scope).filter(pk=change_id).first()
    if change is None:
        raise NotFound("process_change.not_found", "未找到该流程再造申请。")
    return change


def change_requests_for(*, scope, state: str | None = None) -> QuerySet[ChangeRequest]:
    qs = ChangeRequest.objects.visible_to(scope).select_related(
        "listing", "listing__matter", "center", "department", "approver_region"
    )
    if state:
        qs = qs.filter(state=state)
    return qs


def change_request_get(*, scope, request_id: int) -> ChangeRequest:
    request = change_requests_for(scope=scope).filter(pk=request_id).first()
    if request is None:
        raise NotFound("change_request.not_found", "未找到该申请。")
    return request


def open_versions_of(matter_ids) -> dict[int, GuideVersion]:
    """The draft or in-review version of each matter that has one."""
    return {
        v.matter_id: v
        for v in GuideVersion.objects.filter(
            matter__in=list(matter_ids),
            status__in=[GuideVersion.Status.DRAFT, GuideVersion.Status.IN_REVIEW],
        )
    }


def matters_search_for_staff(*, scope, q: str = "") -> QuerySet[Matter]:
    matters = matters_for_staff(scope=scope).order_by("code")
    if q:
        matters = matters.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return matters


def open_version_of(matter: Matter) -> GuideVersion | None:
    return open_versions_of([matter.pk]).get(matter.pk)


def review_queue_counts(*, actor, scope) -> dict[str, int]:
    """What waits for the actor on the catalog's home: reviews of their stage, change
    requests their office decides."""
    queue = {}
    if may(actor, "catalog.review_legality"):
        queue["legality"] = process_changes_for(
            scope=scope, state=ReviewState.LEGALITY_REVIEW
        ).count()
    if may(actor, "catalog.review_final"):
        queue["final"] = process_changes_for(scope=scope, state=ReviewState.FINAL_REVIEW).count()
    if may(actor, "catalog.approve_request"):
        queue["requests"] = len(decision_queue(actor=actor, scope=scope))
    return queue


def decision_queue(*, actor, scope) -> list[ChangeRequest]:
    """The submitted change requests the actor's office decides."""
    return [
        r
        for r in change_requests_for(scope=scope, state=ChangeRequest.State.SUBMITTED)
        if can_decide(actor, r)
    ]


def review_queues(*, actor, scope) -> list[tuple[str, str, QuerySet[ProcessChange]]]:
    """The review stages the actor works in, each with its waiting process changes."""
    queues = []
    if may(actor, "catalog.review_legality"):
        queues.append(
            (
                "合法性审核（司法部门）",
                "legality",
                process_changes_for(scope=scope, state=ReviewState.LEGALITY_REVIEW),
            )
        )
    if may(actor, "catalog.review_final"):
        queues.append(
            (
                "终审（审改部门）",
                "final",
                process_changes_for(scope=scope, state=ReviewState.FINAL_REVIEW),
            )
        )
    return queues


def can_review(actor, change: ProcessChange) -> bool:
    """Whether the change waits in a review stage the actor works in."""
    if change.in_legality_review:
        return may(actor, "catalog.review_legality")
    if change.in_final_review:
        return may(actor, "catalog.review_final")
    return False


def matter_staff_page(*, scope, matter: Matter, own: bool = True) -> dict:
    """A matter's versions, its process changes with their before and after (R-CAT-8) and
    its listings in the scope; not ``own`` (seen through a listing): published versions
    and applied changes only."""
    versions = matter.versions.order_by("-number").select_related("created_by", "published_by")
    changes = ProcessChange.objects.filter(matter=matter)
    if not own:
        versions = versions.published()
        changes = changes.filter(state=ReviewState.APPLIED)
    versions = list(versions)
    changes = list(
        changes.select_related(
            "base", "proposed", "submitted_by", "legality_by", "final_by"
        ).order_by("-submitted_at", "-id")
    )
    for change in changes:
        change.rows = process_comparison(change.before, change.after)
    current = matter.current_version
    return {
        "versions": versions,
        "changes": changes,
        "open_version": next((v for v in versions if v.is_draft or v.is_in_review), None),
        "listings": Listing.objects.visible_to(scope)
        .filter(matter=matter)
        .select_related("center", "department"),
        "current": current,
        "compression": compression_facts(current) if current else None,
    }


def change_of_version(version: GuideVersion) -> ProcessChange | None:
    return ProcessChange.objects.filter(proposed=version).first()


# --- listings and change requests (R-CAT-4) ---------------------------------------------------


def listings_for_staff(*, scope) -> QuerySet[Listing]:
    return Listing.objects.visible_to(scope).select_related("matter", "center", "department")


def listing_get_for_staff(*, scope, listing_id: int) -> Listing:
    listing = listings_for_staff(scope=scope).filter(pk=listing_id).first()
    if listing is None:
        raise NotFound("listing.not_found", "未找到该事项的实施清单。")
    return listing


def listings_search_for_staff(*, scope, q: str = "", status: str = "") -> QuerySet[Listing]:
    listings = listings_for_staff(scope=scope).order_by("center__region__path", "matter__code")
    if q:
        listings = listings.filter(Q(matter__name__icontains=q) | Q(code__icontains=q))
    if status in Listing.Status.values:
        listings = listings.filter(status=status)
    return listings


def mark_open_requests(listings) -> None:
    """Mark each listing of a page that waits for a decision, and its outside reason."""
    open_ids = set(
        ChangeRequest.objects.filter(
            listing__in=[item.pk for item in listings], state=ChangeRequest.State.SUBMITTED
        ).values_list("listing_id", flat=True)
    )
    for item in listings:
        item.has_open_request = item.pk in open_ids
        item.outside_reason_label = OUTSIDE_REASONS.get(item.outside_reason, "")


def listing_entry_choices(*, scope) -> dict:
    """What a listing entry may name: published matters, active centers and departments of
    the scope."""
    return {
        "matters": Matter.objects.active().filter(current_version__isnull=False).order_by("code"),
        "centers": Center.objects.visible_to(scope).filter(is_active=True).select_related("region"),
        "departments": Department.objects.visible_to(scope),
    }


def change_requests_in_state(*, scope, state: str = "") -> QuerySet[ChangeRequest]:
    requests = change_requests_for(scope=scope).select_related("submitted_by")
    if state in ChangeRequest.State.values:
        requests = requests.filter(state=state)
    return requests


LISTING_LABELS = {f: str(Listing._meta.get_field(f).verbose_name) for f in LISTING_LOCAL_FIELDS}


def change_request_rows(change: ChangeRequest) -> list[dict]:
    """Each proposed local fact beside the listing's current one."""
    listing = change.listing
    return [
        {
            "label": LISTING_LABELS.get(k, k),
            "current": getattr(listing, k, ""),
            "proposed": OUTSIDE_REASONS.get(v, v) if k == "outside_reason" else v,
        }
        for k, v in (change.payload or {}).items()
    ]
