"""A guide as staff and citizens read it: its texts and their lint findings with the
clause marked (R-CAT-6), its compression (R-CAT-8), the before and after of a process
change, and what the guide partial (``catalog/_guide.html``) shows of one version."""

from __future__ import annotations

from django.utils.html import format_html

from onewindow.catalog import guidelint
from onewindow.catalog.models import GuideVersion, Listing, Material, ProcessChange, ReviewState

# The reasons a listing is handled outside the center, by code.
OUTSIDE_REASONS = dict(Listing._meta.get_field("outside_reason").choices)


def guide_texts(version: GuideVersion) -> dict[str, str]:
    """The texts of a guide by field name, as the lint reads them."""
    texts = {"conditions": version.conditions, "fees": version.fees, "result": version.result}
    for i, m in enumerate(version.materials.all(), start=1):
        texts[f"materials[{i}].name"] = m.name
        texts[f"materials[{i}].condition"] = m.condition
        texts[f"materials[{i}].note"] = m.note
    for i, s in enumerate(version.steps.all(), start=1):
        texts[f"steps[{i}].name"] = s.name
        texts[f"steps[{i}].description"] = s.description
    for i, item in enumerate(version.faq or [], start=1):
        texts[f"faq[{i}].question"] = str(item.get("question", ""))
        texts[f"faq[{i}].answer"] = str(item.get("answer", ""))
    return {k: v for k, v in texts.items() if v}


FIELD_LABELS = {
    "conditions": "受理条件",
    "fees": "收费标准",
    "result": "办理结果",
    "materials": "申请材料",
    "steps": "办理环节",
    "faq": "常见问题",
}


def field_label(field: str) -> str:
    head, _, rest = field.partition("[")
    label = FIELD_LABELS.get(head, head)
    if rest:
        index, _, sub = rest.partition("]")
        sub_labels = {
            ".name": "名称",
            ".condition": "适用情形",
            ".note": "说明",
            ".description": "办理要求",
            ".question": "问题",
            ".answer": "解答",
        }
        return f"{label}第{index}项{sub_labels.get(sub, '')}"
    return label


def guide_lint(version: GuideVersion) -> list:
    return guidelint.lint_guide(guide_texts(version))


def process_changed(version: GuideVersion) -> bool:
    base = version.matter.current_version
    if base is None:
        return True
    return base.process_facts() != version.process_facts()


def lint_items(version: GuideVersion, findings=None) -> list[dict]:
    """Each finding with its field's label and the clause marked in its text."""
    texts = guide_texts(version)
    findings = guide_lint(version) if findings is None else findings
    items = []
    for f in findings:
        text = texts.get(f.field, "")
        start, end = max(0, f.start - 30), min(len(text), f.end + 30)
        excerpt = format_html(
            '{}{}<mark class="clause">{}</mark>{}{}',
            "…" if start > 0 else "",
            text[start : f.start],
            text[f.start : f.end],
            text[f.end : end],
            "…" if end < len(text) else "",
        )
        items.append(
            {
                "field": f.field,
                "label": field_label(f.field),
                "clause": f.clause,
                "message": f.message,
                "excerpt": excerpt,
                "blocking": f.blocking,
            }
        )
    return items


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
