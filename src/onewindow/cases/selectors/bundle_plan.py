"""The plan of a "one thing" application (一件事一次办, R-CASE-7) at a center: the matters it
takes (every required one and the chosen optional ones, each with its published listing
there), one merged form (each key asked once) and one deduplicated material list (the
same common type or the same name given once, as the catalog's bundle page merges them;
shared materials are never asked for)."""

from __future__ import annotations

from dataclasses import dataclass, field

from onewindow.catalog.models import Bundle, GuideVersion, Listing, Material, Matter
from onewindow.catalog.selectors import material_key, merge_form_fields
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.org.models import Center


@dataclass
class Part:
    matter: Matter
    listing: Listing
    version: GuideVersion
    optional: bool
    keys: set[str] = field(default_factory=set)


@dataclass
class MergedMaterial:
    key: str
    name: str
    form: str
    copies: int
    required: bool
    pledge_allowed: bool
    conditions: list[str]
    matters: list[str]
    material_ids: list[int]

    @property
    def field_id(self) -> int:
        """The id a page names this material by (its first version's material)."""
        return self.material_ids[0]


@dataclass
class Plan:
    bundle: Bundle
    center: Center
    parts: list[Part]
    fields: list[dict]
    materials: list[MergedMaterial]
    shared: list[str]


@dataclass
class Choice:
    """An item of the bundle as the intake page offers it at a center."""

    matter: Matter
    optional: bool
    note: str
    listing: Listing | None
    published: bool

    @property
    def available(self) -> bool:
        return self.published and self.listing is not None


def listing_at(center: Center, matter: Matter) -> Listing | None:
    return (
        Listing.objects.public()
        .select_related("department", "center__region", "matter__current_version")
        .filter(center=center, matter=matter)
        .order_by("pk")
        .first()
    )


def bundle_choices(*, bundle: Bundle, center: Center) -> list[Choice]:
    """Each matter of the bundle, whether it is required, and its listing at the center."""
    return [
        Choice(
            matter=item.matter,
            optional=item.optional,
            note=item.note,
            listing=listing_at(center, item.matter),
            published=item.matter.status == Matter.Status.ACTIVE
            and item.matter.current_version_id is not None,
        )
        for item in bundle.items.select_related("matter__current_version").order_by("order", "id")
    ]


def merge_fields(parts: list[Part]) -> list[dict]:
    """The merged application form: each key once (required if any guide requires it);
    a key a chosen part outputs is not asked of the applicant (the catalog's rule)."""
    for part in parts:
        part.keys.update(f.get("key") for f in part.version.form_fields or [] if f.get("key"))
    return merge_form_fields((part.matter.name, part.version.form_fields) for part in parts)


def merge_materials(parts: list[Part]) -> tuple[list[MergedMaterial], list[str]]:
    """One list, each material once (same common type or same name, as the catalog's
    bundle page merges them): the most copies, required if any part requires it, a
    pledge only where every part allows it. Shared materials are never asked for."""
    merged: dict[str, MergedMaterial] = {}
    shared: list[str] = []
    for part in parts:
        for material in part.version.materials.select_related("material_type").order_by("order"):
            if material.source == Material.Source.SHARED:
                if material.name not in shared:
                    shared.append(material.name)
                continue
            key = material_key(material)
            required = material.requirement == Material.Requirement.REQUIRED
            item = merged.get(key)
            if item is None:
                merged[key] = MergedMaterial(
                    key=key,
                    name=material.material_type.name
                    if material.material_type_id
                    else material.name,
                    form=material.get_form_display(),
                    copies=material.copies,
                    required=required,
                    pledge_allowed=material.pledge_allowed,
                    conditions=[material.condition] if material.condition else [],
                    matters=[part.matter.name],
                    material_ids=[material.pk],
                )
                continue
            item.copies = max(item.copies, material.copies)
            item.required = item.required or required
            item.pledge_allowed = item.pledge_allowed and material.pledge_allowed
            item.material_ids.append(material.pk)
            if part.matter.name not in item.matters:
                item.matters.append(part.matter.name)
            if material.condition and material.condition not in item.conditions:
                item.conditions.append(material.condition)
    return list(merged.values()), shared


def bundle_plan(*, bundle: Bundle, center: Center, matters=()) -> Plan:
    """The parts an application takes at a center: every required matter and the chosen
    optional ones, each with its published listing there; the merged form and list."""
    if not bundle.is_active:
        raise NotFound("bundle.not_found", "未找到该“一件事”。")
    chosen = {m.pk if isinstance(m, Matter) else int(m) for m in matters}
    choices = bundle_choices(bundle=bundle, center=center)
    unknown = chosen - {c.matter.pk for c in choices}
    if unknown:
        raise InvalidInput(
            "bundle.matter_not_in_bundle",
            "所选事项不属于该“一件事”。",
            {"matters": "所选事项不属于该“一件事”。"},
        )
    parts = []
    for choice in choices:
        if choice.optional and choice.matter.pk not in chosen:
            continue
        if not choice.published:
            message = f"“{choice.matter.name}”暂无现行办事指南，不能作为一件事受理。"
            raise InvalidInput("bundle.matter_unpublished", message, {"matters": message})
        if choice.listing is None:
            message = f"“{choice.matter.name}”未在{center.name}进驻办理，不能作为一件事受理。"
            raise InvalidInput("bundle.matter_not_listed", message, {"matters": message})
        parts.append(
            Part(
                matter=choice.matter,
                listing=choice.listing,
                version=choice.listing.matter.current_version,
                optional=choice.optional,
            )
        )
    if not parts:
        raise InvalidInput(
            "bundle.no_matter", "请至少选择一个办理事项。", {"matters": "请至少选择一个事项。"}
        )
    fields = merge_fields(parts)
    materials, shared = merge_materials(parts)
    return Plan(
        bundle=bundle,
        center=center,
        parts=parts,
        fields=fields,
        materials=materials,
        shared=shared,
    )
