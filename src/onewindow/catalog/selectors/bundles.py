"""“One thing” bundles: the public bundle, its matters, one merged material list and one
merged application form (一表申请)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from onewindow.catalog.models import Bundle, Listing, Material, Matter
from onewindow.core.errors import NotFound


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


def bundles_public() -> QuerySet[Bundle]:
    return Bundle.objects.filter(is_active=True).prefetch_related("items__matter").order_by("code")


def bundle_page(bundle: Bundle) -> dict:
    """What the public page of a bundle shows: its matters with their current guides,
    one merged material list and form, and what the merging saves."""
    summary = bundle_summary(bundle)
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
    return {
        "bundle": bundle,
        **summary,
        "rows": rows,
        "merged_count": len(summary["materials"]),
        "saved_count": summary["separate_material_count"] - len(summary["materials"]),
        "departments": sorted({m.department.name for m in summary["matters"]}),
    }


def bundles_at(center, *, limit: int = 6) -> list[Bundle]:
    """The life events (一件事) with at least one matter listed at ``center``."""
    listed = Listing.objects.public().filter(center=center).values("matter_id")
    return list(
        Bundle.objects.filter(is_active=True, items__matter_id__in=listed)
        .distinct()
        .order_by("code")[:limit]
    )
