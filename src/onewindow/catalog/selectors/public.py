"""Public reads: published guides and active listings, one source for the hall, the web,
phones and terminals (R-CAT-9)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from onewindow.catalog.models import GuideVersion, Listing, Material, Matter, Step
from onewindow.catalog.selectors.guides import OUTSIDE_REASONS
from onewindow.core.errors import NotFound
from onewindow.org.models import Center, DepartmentLine


def published_matters() -> QuerySet[Matter]:
    return (
        Matter.objects.active()
        .filter(current_version__isnull=False)
        .select_related("current_version", "line", "department")
    )


def matter_get_public(*, matter_id: int) -> Matter:
    matter = published_matters().filter(pk=matter_id).first()
    if matter is None:
        raise NotFound("matter.not_found", "未找到该事项。")
    return matter


def guide_with_parts(version_id: int) -> GuideVersion:
    return (
        GuideVersion.objects.select_related("matter", "matter__line", "matter__department")
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("order", "id")),
            Prefetch("steps", queryset=Step.objects.order_by("order", "id")),
        )
        .get(pk=version_id)
    )


def guide_version_get_public(*, matter_id: int, number: int | None = None) -> GuideVersion:
    """A published (or superseded) version of a matter's guide; the current one by default."""
    matter = matter_get_public(matter_id=matter_id)
    if number is None:
        return guide_with_parts(matter.current_version_id)
    version = matter.versions.published().filter(number=number).first()
    if version is None:
        raise NotFound("guide.not_found", "未找到该版本的办事指南。")
    return guide_with_parts(version.pk)


def public_listings(*, center: Center | None = None) -> QuerySet[Listing]:
    qs = Listing.objects.public().select_related(
        "matter", "matter__current_version", "center", "center__region", "department"
    )
    if center is not None:
        qs = qs.filter(center=center)
    return qs


def listings_of_matter(matter: Matter) -> QuerySet[Listing]:
    return public_listings().filter(matter=matter).order_by("center__region__path")


def listing_get_public(*, listing_id: int) -> Listing:
    listing = public_listings().filter(pk=listing_id).first()
    if listing is None:
        raise NotFound("listing.not_found", "未找到该事项的实施清单。")
    return listing


def listings_with_actions(matter: Matter, *, chosen: int | None = None) -> list[Listing]:
    """The matter's public listings, the chosen center first, each with what a citizen can
    do next there (R-CAT-9, R-CASE-8): apply online where the current guide allows it,
    and book or take a ticket in the hall's queue that serves the matter there (the
    center's service category that lists the matter)."""
    listings = list(listings_of_matter(matter))
    listings.sort(key=lambda item: item.center_id != chosen)
    centers = [i.center_id for i in listings]
    categories: dict[int, int] = {}
    for center_id, category_id in (
        matter.service_categories.filter(is_active=True, needs_clerk=True, center_id__in=centers)
        .order_by("center_id", "order", "letter")
        .values_list("center_id", "pk")
    ):
        categories.setdefault(center_id, category_id)
    with_queue = set(
        Center.objects.filter(
            pk__in=centers,
            service_categories__is_active=True,
            service_categories__needs_clerk=True,
        ).values_list("pk", flat=True)
    )
    online = matter.current_version.allows_online_application
    for item in listings:
        item.outside_reason_label = OUTSIDE_REASONS.get(item.outside_reason, "")
        item.online_apply = online
        item.has_queue = item.center_id in with_queue
        item.category_id = categories.get(item.center_id)
    return listings


def guide_history(matter: Matter) -> list[dict]:
    """The published versions of a matter's guide, newest first; ``current`` marks the one
    in force."""
    return [
        {**row, "current": row["status"] == GuideVersion.Status.PUBLISHED}
        for row in matter.versions.published()
        .order_by("-number")
        .values("number", "published_at", "status")
    ]


def center_get_public(*, center_id: int | None) -> Center | None:
    """An active center (with its region) by id, or None."""
    if not center_id:
        return None
    return Center.objects.filter(pk=center_id, is_active=True).select_related("region").first()


def active_centers() -> QuerySet[Center]:
    return (
        Center.objects.filter(is_active=True)
        .select_related("region")
        .order_by("region__path", "code")
    )


def department_lines() -> QuerySet[DepartmentLine]:
    return DepartmentLine.objects.order_by("code")


def line_get(*, code: str) -> DepartmentLine | None:
    return DepartmentLine.objects.filter(code=code).first()
