"""Reads of the self-service terminal and the portal's ticket page (R-HALL-7): the
matters found by a search with the categories that serve them, a guide's listing at the
center, today's ticket by its printed number, the categories a person may queue for."""

from __future__ import annotations

from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.search import search_matters
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.hall.models import ServiceCategory, Window
from onewindow.hall.selectors.queue import waiting_counts
from onewindow.org.models import Center


def terminal_category(center: Center, category_id) -> ServiceCategory:
    """An active category of the center; NotFound for any other."""
    category = ServiceCategory.objects.filter(pk=category_id, center=center, is_active=True).first()
    if category is None:
        raise NotFound("category.not_found", "未找到该业务类别。")
    return category


def terminal_matters(center: Center, query: str, open_now: bool) -> list[dict]:
    """The matters a search finds at the center, each with the categories that take
    tickets for it now."""
    hits = search_matters(query, center=center, limit=8).hits
    ids = [h.matter.pk for h in hits]
    serving: dict[int, list[ServiceCategory]] = {}
    categories = ServiceCategory.objects.filter(center=center, is_active=True, matters__in=ids)
    if not open_now:
        categories = categories.filter(needs_clerk=False)
    through = ServiceCategory.matters.through.objects.filter(
        matter_id__in=ids, servicecategory__in=categories
    ).select_related("servicecategory")
    for row in through:
        serving.setdefault(row.matter_id, []).append(row.servicecategory)
    return [
        {
            "matter": h.matter,
            "categories": sorted(serving.get(h.matter.pk, []), key=lambda c: (c.order, c.letter)),
        }
        for h in hits
    ]


def guide_at_center(center: Center, matter_id):
    """The published guide version of a matter and its listing at the center (or None);
    NotFound when the matter has no published guide."""
    version = catalog_selectors.guide_version_get_public(matter_id=matter_id)
    listing = (
        catalog_selectors.public_listings(center=center)
        .filter(matter_id=version.matter_id)
        .select_related("department")
        .first()
    )
    return version, listing


def guide_categories(center: Center, matter, *, open_now: bool) -> list[ServiceCategory]:
    """The categories that take tickets for a matter now."""
    categories = ServiceCategory.objects.filter(
        center=center, is_active=True, matters=matter
    ).order_by("order", "letter")
    if not open_now:
        categories = categories.filter(needs_clerk=False)
    return list(categories)


def queue_categories(center: Center, day) -> list[tuple[ServiceCategory, int]]:
    """The categories a person may queue for on the portal, with how many wait."""
    counts = waiting_counts(center, day)
    categories = center.service_categories.filter(is_active=True, needs_clerk=True).order_by(
        "order", "letter"
    )
    return [(c, counts.get(c.pk, 0)) for c in categories]


# --- the window console ------------------------------------------------------------------------


def console_targets(window: Window) -> dict:
    """Where the console may transfer a ticket: the center's active categories and its
    other active windows."""
    return {
        "categories": ServiceCategory.objects.filter(center_id=window.center_id, is_active=True),
        "other_windows": Window.objects.filter(center_id=window.center_id, is_active=True).exclude(
            pk=window.pk
        ),
    }


def transfer_target(window: Window, raw: str) -> dict:
    """The posted target of a transfer (``c:<category>`` or ``w:<window>``) of the
    window's center, as the service's keyword."""
    kind, _, pk = (raw or "").strip().partition(":")
    if kind == "c" and pk.isdigit():
        category = ServiceCategory.objects.filter(pk=int(pk), center_id=window.center_id).first()
        if category is not None:
            return {"to_category": category}
    if kind == "w" and pk.isdigit():
        target = Window.objects.filter(pk=int(pk), center_id=window.center_id).first()
        if target is not None:
            return {"to_window": target}
    raise InvalidInput("ticket.transfer_target", "请选择转入的业务类别或窗口。")
