"""Public guide and bundle pages (no login): one published source for every channel
(R-CAT-9); each center's listing adds only its local facts (R-CAT-10)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from onewindow.catalog import selectors
from onewindow.catalog.models import (
    Bundle,
    GuideVersion,
    Listing,
    Material,
    ProcessChange,
    ReviewState,
)
from onewindow.core.errors import NotFound
from onewindow.org.models import Center

OUTSIDE_REASONS = dict(Listing._meta.get_field("outside_reason").choices)


def _int_param(request, name: str) -> int | None:
    """A positive integer from the query string; anything else is treated as absent."""
    raw = (request.GET.get(name) or "").strip()
    if not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


def compression_facts(version: GuideVersion) -> dict:
    """How far the promised limit is compressed from the statutory one (R-CAT-8)."""
    ratio = version.compression_ratio
    return {
        "ratio_pct": None if ratio is None else round(ratio * 100),
        "compressed_pct": None if ratio is None else round((1 - ratio) * 100),
        "meets": version.meets_compression,
        "exception": version.compression_exception_accepted and not version.meets_compression,
    }


def process_comparison(before: dict, after: dict) -> list[dict]:
    """Steps, materials, days and visits before and after a process change, as rows."""
    if not before and not after:
        return []
    rows = []
    for key, label in (("steps", "办理环节"), ("materials", "申请材料")):
        old, new = list(before.get(key) or []), list(after.get(key) or [])
        rows.append(
            {
                "label": label,
                "before": len(old),
                "after": len(new),
                "unit": "项",
                "before_text": f"{len(old)} 项",
                "after_text": f"{len(new)} 项",
                "delta": len(new) - len(old),
                "abs_delta": abs(len(new) - len(old)),
                "added": [x for x in new if x not in old],
                "removed": [x for x in old if x not in new],
            }
        )
    for key, label in (
        ("statutory_days", "法定时限"),
        ("promised_days", "承诺时限"),
        ("visits", "到现场次数"),
    ):
        old, new = before.get(key), after.get(key)
        unit = (
            "次"
            if key == "visits"
            else ("自然日" if after.get("limit_unit") == "natural" else "个工作日")
        )
        rows.append(
            {
                "label": label,
                "before": "—" if old is None else old,
                "after": "—" if new is None else new,
                "unit": unit,
                "before_text": "—" if old is None else f"{old} {unit}",
                "after_text": "—" if new is None else f"{new} {unit}",
                "delta": (new - old) if isinstance(old, int) and isinstance(new, int) else None,
                "abs_delta": abs(new - old)
                if isinstance(old, int) and isinstance(new, int)
                else None,
                "added": [],
                "removed": [],
            }
        )
    return rows


def latest_applied_change(matter) -> ProcessChange | None:
    return (
        ProcessChange.objects.filter(matter=matter, state=ReviewState.APPLIED)
        .order_by("-final_at", "-id")
        .first()
    )


def guide_context(version: GuideVersion) -> dict:
    """What the guide partial (catalog/_guide.html) shows of one version."""
    materials = list(version.materials.all())
    return {
        "version": version,
        "matter": version.matter,
        "materials": materials,
        "steps": list(version.steps.all()),
        "compression": compression_facts(version),
        "submitted_count": sum(1 for m in materials if m.source != Material.Source.SHARED),
    }


def _attach_actions(matter, current: GuideVersion, listings: list[Listing]) -> None:
    """What a citizen can do next at each center (R-CAT-9, R-CASE-8): apply online where
    the current guide allows it, and book or take a ticket in the hall's queue that
    serves the matter there (the center's service category that lists the matter)."""
    categories: dict[int, int] = {}
    for center_id, category_id in (
        matter.service_categories.filter(
            is_active=True, needs_clerk=True, center_id__in=[i.center_id for i in listings]
        )
        .order_by("center_id", "order", "letter")
        .values_list("center_id", "pk")
    ):
        categories.setdefault(center_id, category_id)
    with_queue = set(
        Center.objects.filter(
            pk__in=[i.center_id for i in listings],
            service_categories__is_active=True,
            service_categories__needs_clerk=True,
        ).values_list("pk", flat=True)
    )
    online = current.allows_online_application
    for item in listings:
        item.online_apply = online
        item.has_queue = item.center_id in with_queue
        item.category_id = categories.get(item.center_id)


def matter_detail(request, matter_id: int):
    number = None
    if "version" in request.GET:
        number = _int_param(request, "version")
        if number is None:
            raise Http404
    try:
        version = selectors.guide_version_get_public(matter_id=matter_id, number=number)
    except NotFound:
        raise Http404 from None
    matter = version.matter
    current = matter.current_version
    chosen = _int_param(request, "center")
    listings = list(selectors.listings_of_matter(matter))
    listings.sort(key=lambda item: item.center_id != chosen)  # the chosen center first
    for item in listings:
        item.outside_reason_label = OUTSIDE_REASONS.get(item.outside_reason, "")
    _attach_actions(matter, current, listings)
    change = latest_applied_change(matter)
    history = list(
        matter.versions.published().order_by("-number").values("number", "published_at", "status")
    )
    return render(
        request,
        "catalog/matter_detail.html",
        {
            **guide_context(version),
            "is_current": version.pk == current.pk,
            "current": current,
            "listings": listings,
            "chosen_center": chosen if any(item.center_id == chosen for item in listings) else None,
            # the center the head's buttons act at: the chosen one, else the first listed
            "primary": listings[0] if listings else None,
            # the gains of the change that made this version (not of a first compilation)
            "comparison": (
                process_comparison(change.before, change.after)
                if change and change.before and change.proposed_id == version.pk
                else []
            ),
            "history": history,
        },
    )


def bundle_list(request):
    bundles = (
        Bundle.objects.filter(is_active=True).prefetch_related("items__matter").order_by("code")
    )
    return render(request, "catalog/bundle_list.html", {"bundles": bundles})


def bundle_detail(request, code: str):
    try:
        bundle = selectors.bundle_get_public(code=code)
    except NotFound:
        raise Http404 from None
    summary = selectors.bundle_summary(bundle)
    optional = {item.matter_id for item in bundle.items.all() if item.optional}
    notes = {item.matter_id: item.note for item in bundle.items.all()}
    rows = [
        {
            "matter": m,
            "version": m.current_version,
            "optional": m.pk in optional,
            "note": notes.get(m.pk, ""),
        }
        for m in summary["matters"]
    ]
    return render(
        request,
        "catalog/bundle_detail.html",
        {
            "bundle": bundle,
            **summary,
            "rows": rows,
            "merged_count": len(summary["materials"]),
            "saved_count": summary["separate_material_count"] - len(summary["materials"]),
            "departments": sorted({m.department.name for m in summary["matters"]}),
        },
    )
