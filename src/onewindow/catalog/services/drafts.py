"""Guide drafts: a new version from the current one, its fields, materials (R-CAT-5) and
steps; a draft changes until it is published or sent to review."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from onewindow.catalog.models import (
    GUIDE_FIELDS,
    MATERIAL_FIELDS,
    STEP_FIELDS,
    GuideVersion,
    Material,
    MaterialType,
    Matter,
    Step,
)
from onewindow.catalog.services.common import lock_version, require_draft, require_editor
from onewindow.core.audit import audit_record, diff, snapshot
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.text import join_messages
from onewindow.core.validation import full_clean


def _check_limits(version: GuideVersion) -> None:
    """The promised limit within the statutory one, said in words before the database's
    constraint would say it in its own."""
    promised, statutory = version.promised_days, version.statutory_days
    if isinstance(promised, int) and isinstance(statutory, int) and promised > statutory:
        raise InvalidInput(
            "guide.promised_over_statutory",
            "承诺时限不能超过法定时限。",
            {"promised_days": "承诺时限不能超过法定时限。"},
        )


@transaction.atomic
def guide_draft_create(*, actor, matter: Matter, **fields) -> GuideVersion:
    """A new draft: a copy of the current version (materials and steps included),
    with ``fields`` changed; or, for a matter without a guide, from ``fields``."""
    matter = for_update(Matter.objects).get(pk=matter.pk)
    require_editor(actor, matter)
    if matter.status != Matter.Status.ACTIVE:
        raise Conflict("matter.cancelled", "该事项已取消，不能编制新的办事指南。")
    if matter.versions.filter(
        status__in=[GuideVersion.Status.DRAFT, GuideVersion.Status.IN_REVIEW]
    ).exists():
        raise Conflict(
            "guide.draft_exists", "该事项已有未发布的草稿或审核中的版本，请继续编辑该版本。"
        )
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown:
        raise InvalidInput("guide.unknown_field", f"未知字段：{', '.join(sorted(unknown))}")
    base = matter.current_version
    number = (matter.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    values = {f: getattr(base, f) for f in GUIDE_FIELDS} if base else {}
    values.update(fields)
    values.setdefault("change_note", "")
    version = GuideVersion(
        matter=matter, number=number, created_by=actor if actor else None, **values
    )
    _check_limits(version)
    full_clean(version, "guide.invalid", exclude=["matter", "created_by", "published_by"])
    version.save()
    if base is not None:
        for m in base.materials.all():
            Material.objects.create(
                version=version,
                order=m.order,
                material_type=m.material_type,
                blank_form=m.blank_form,
                sample=m.sample,
                **{f: getattr(m, f) for f in MATERIAL_FIELDS},
            )
        for s in base.steps.all():
            Step.objects.create(
                version=version, order=s.order, **{f: getattr(s, f) for f in STEP_FIELDS}
            )
    audit_record(
        actor=actor,
        action="guide.draft_create",
        target=version,
        department=matter.department,
        after={"number": number, "base": base.number if base else None},
    )
    return version


@transaction.atomic
def guide_draft_update(*, actor, version: GuideVersion, **fields) -> GuideVersion:
    version = lock_version(version.pk)
    require_editor(actor, version.matter)
    require_draft(version)
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown:
        raise InvalidInput("guide.unknown_field", f"未知字段：{', '.join(sorted(unknown))}")
    before = snapshot(version, list(fields))
    for key, value in fields.items():
        setattr(version, key, value)
    _check_limits(version)
    full_clean(version, "guide.invalid", exclude=["matter", "created_by", "published_by"])
    version.save()
    b, a = diff(before, snapshot(version, list(fields)))
    audit_record(
        actor=actor,
        action="guide.draft_update",
        target=version,
        department=version.matter.department,
        before=b,
        after=a,
    )
    return version


def _material_type(value) -> MaterialType | None:
    if value in (None, ""):
        return None
    if isinstance(value, MaterialType):
        return value
    found = MaterialType.objects.filter(code=value).first()
    if found is None:
        raise InvalidInput("guide.unknown_material_type", f"未知的通用材料编码：{value}")
    return found


@transaction.atomic
def guide_materials_set(
    *, actor, version: GuideVersion, materials: Iterable[dict]
) -> list[Material]:
    """Replace the draft's material list (R-CAT-5)."""
    version = lock_version(version.pk)
    require_editor(actor, version.matter)
    require_draft(version)
    before = [m.name for m in version.materials.all()]
    version.materials.all().delete()
    created, fields = [], {}
    for index, raw in enumerate(materials, start=1):
        data = {k: v for k, v in raw.items() if k in MATERIAL_FIELDS}
        material = Material(
            version=version,
            order=index,
            material_type=_material_type(raw.get("material_type")),
            **data,
        )
        try:
            material.full_clean(exclude=["version", "blank_form", "sample"])
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                fields[f"materials[{index}].{key}"] = f"第{index}项材料：" + "；".join(errors)
            continue
        material.save()
        created.append(material)
    if fields:
        raise InvalidInput("guide.invalid_materials", join_messages(fields.values()), fields)
    if len({m.name for m in created}) != len(created):
        raise InvalidInput("guide.duplicate_material", "材料清单中有重复的材料名称。")
    audit_record(
        actor=actor,
        action="guide.materials_set",
        target=version,
        department=version.matter.department,
        before={"materials": before},
        after={"materials": [m.name for m in created]},
    )
    return created


@transaction.atomic
def guide_steps_set(*, actor, version: GuideVersion, steps: Iterable[dict]) -> list[Step]:
    version = lock_version(version.pk)
    require_editor(actor, version.matter)
    require_draft(version)
    before = [s.name for s in version.steps.all()]
    version.steps.all().delete()
    created = []
    for index, raw in enumerate(steps, start=1):
        step = Step(
            version=version, order=index, **{k: v for k, v in raw.items() if k in STEP_FIELDS}
        )
        full_clean(step, "guide.invalid_steps", exclude=["version"])
        step.save()
        created.append(step)
    audit_record(
        actor=actor,
        action="guide.steps_set",
        target=version,
        department=version.matter.department,
        before={"steps": before},
        after={"steps": [s.name for s in created]},
    )
    return created
