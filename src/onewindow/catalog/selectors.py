"""Reads of the catalog. Published guides and active listings are public (one source
for the hall, the web, phones and terminals, R-CAT-9); drafts, reviews and change
requests are read within the user's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from onewindow.catalog.models import (
    Bundle,
    ChangeRequest,
    GuideVersion,
    Listing,
    Material,
    Matter,
    ProcessChange,
    ReviewState,
    Step,
)
from onewindow.core.errors import NotFound
from onewindow.org.models import Center


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


# --- staff-side reads -----------------------------------------------------------------------


def matters_for_staff(*, scope) -> QuerySet[Matter]:
    return Matter.objects.visible_to(scope).select_related("current_version", "department", "line")


def matter_get_for_staff(*, scope, matter_id: int) -> Matter:
    matter = matters_for_staff(scope=scope).filter(pk=matter_id).first()
    if matter is None:
        raise NotFound("matter.not_found", "未找到该事项。")
    return matter


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


# --- R-CAT-3: entry rate ---------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRate:
    center: Center
    total: int
    entered: int
    outside: list[Listing] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return None if not self.total else self.entered / self.total


def entry_rate(center: Center) -> EntryRate:
    """应进必进: the share of the center's active listings handled in the center."""
    listings = Listing.objects.active().filter(center=center).select_related("matter")
    outside = [item for item in listings if item.handled_outside]
    total = len(listings)
    return EntryRate(center=center, total=total, entered=total - len(outside), outside=outside)


def entry_rates(*, scope) -> list[EntryRate]:
    centers = (
        Center.objects.visible_to(scope)
        .annotate(
            total=Count("listings", filter=Q(listings__status=Listing.Status.ACTIVE)),
            outside=Count(
                "listings",
                filter=Q(listings__status=Listing.Status.ACTIVE, listings__handled_outside=True),
            ),
        )
        .filter(total__gt=0)
        .select_related("region")
    )
    return [EntryRate(center=c, total=c.total, entered=c.total - c.outside) for c in centers]


# --- R-CAT-8: compression report ----------------------------------------------------------------


@dataclass(frozen=True)
class CompressionRow:
    matter: Matter
    version: GuideVersion
    ratio: float | None
    meets: bool
    exception: bool
    before: dict
    after: dict


def compression_report(*, scope, department_id: int | None = None) -> list[CompressionRow]:
    matters = matters_for_staff(scope=scope).filter(current_version__isnull=False)
    if department_id:
        matters = matters.filter(department_id=department_id)
    last_applied = {}
    for change in ProcessChange.objects.filter(
        matter__in=matters, state=ReviewState.APPLIED
    ).order_by("final_at"):
        last_applied[change.matter_id] = change
    rows = []
    for matter in matters.order_by("department__region__path", "code"):
        version = matter.current_version
        change = last_applied.get(matter.pk)
        rows.append(
            CompressionRow(
                matter=matter,
                version=version,
                ratio=version.compression_ratio,
                meets=version.meets_compression,
                exception=version.compression_exception_accepted,
                before=change.before if change else {},
                after=change.after if change else {},
            )
        )
    return rows


# --- bundles: merged materials and form --------------------------------------------------------


def material_key(material: Material) -> str:
    if material.material_type_id:
        return f"type:{material.material_type_id}"
    return "name:" + re.sub(r"[\s（）()《》“”\"'、，,。.]", "", material.name)


@dataclass
class MergedMaterial:
    name: str
    form: str
    copies: int
    required: bool
    pledge_allowed: bool
    source: str
    matters: list[str]
    conditions: list[str]


def bundle_get_public(*, code: str) -> Bundle:
    bundle = (
        Bundle.objects.filter(code=code, is_active=True).prefetch_related("items__matter").first()
    )
    if bundle is None:
        raise NotFound("bundle.not_found", "未找到该“一件事”。")
    return bundle


def bundle_matters(bundle: Bundle) -> list[Matter]:
    return [
        item.matter
        for item in bundle.items.select_related("matter", "matter__current_version")
        if item.matter.status == Matter.Status.ACTIVE and item.matter.current_version_id
    ]


def bundle_materials(bundle: Bundle) -> list[MergedMaterial]:
    """One list, each material once: the strictest form, the most copies, required if
    any matter requires it; materials shared between departments are not asked for."""
    merged: dict[str, MergedMaterial] = {}
    order: list[str] = []
    for matter in bundle_matters(bundle):
        for material in matter.current_version.materials.all():
            if material.source == Material.Source.SHARED:
                continue
            key = material_key(material)
            required = material.requirement == Material.Requirement.REQUIRED
            if key not in merged:
                merged[key] = MergedMaterial(
                    name=material.material_type.name
                    if material.material_type_id
                    else material.name,
                    form=material.get_form_display(),
                    copies=material.copies,
                    required=required,
                    pledge_allowed=material.pledge_allowed,
                    source=material.get_source_display(),
                    matters=[matter.name],
                    conditions=[material.condition] if material.condition else [],
                )
                order.append(key)
                continue
            item = merged[key]
            item.copies = max(item.copies, material.copies)
            item.required = item.required or required
            item.pledge_allowed = item.pledge_allowed and material.pledge_allowed
            if matter.name not in item.matters:
                item.matters.append(matter.name)
            if material.condition and material.condition not in item.conditions:
                item.conditions.append(material.condition)
    return [merged[k] for k in order]


def merge_form_fields(forms) -> list[dict]:
    """One merged application form (一表申请) from ``(matter name, form fields)`` pairs:
    each key once, required if any guide requires it, with the matters that ask it.

    A key that one of the matters outputs (``"output": true`` in its guide, such as the
    credit code a company registration issues) is produced inside the bundle: it is never
    required of the applicant and is listed in ``produced_by``, to be filled when that
    matter is decided."""
    fields: dict[str, dict] = {}
    produced: dict[str, list[str]] = {}
    for name, items in forms:
        for item in items or []:
            key = item.get("key")
            if not key:
                continue
            if item.get("output"):
                produced.setdefault(key, []).append(name)
            if key in fields:
                fields[key]["required"] = fields[key].get("required", False) or item.get(
                    "required", False
                )
                fields[key]["matters"].append(name)
            else:
                fields[key] = {**item, "matters": [name]}
    for key, names in produced.items():
        fields[key].update(required=False, produced_by=names)
    return list(fields.values())


def bundle_form_fields(bundle: Bundle) -> list[dict]:
    """The merged application form (一表申请): each field once, by key."""
    return merge_form_fields(
        (m.name, m.current_version.form_fields) for m in bundle_matters(bundle)
    )


def bundle_summary(bundle: Bundle) -> dict:
    matters = bundle_matters(bundle)
    versions = [m.current_version for m in matters]
    separate_materials = sum(
        v.materials.exclude(source=Material.Source.SHARED).count() for v in versions
    )
    return {
        "matters": matters,
        "materials": bundle_materials(bundle),
        "form_fields": bundle_form_fields(bundle),
        "separate_material_count": separate_materials,
        "promised_days": max((v.promised_days for v in versions), default=0),
        "visits": max((v.visits for v in versions), default=0),
    }
