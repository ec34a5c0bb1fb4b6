"""The intake page's one form (一表申请) and reuse (材料复用): the applicant's fields
prefilled from the applicant already known, the stored documents that can be reused."""

from __future__ import annotations

from onewindow.cases.selectors import pages
from onewindow.cases.selectors.files import applicant_find, reusable_documents
from onewindow.core import idnumber


def _hides_identity(field: dict) -> bool:
    """Identity numbers are never prefilled from the profile: they would show unmasked."""
    return field.get("type") == "id_number" or "id_number" in str(field.get("key", ""))


def _int(raw) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _known_applicant(post, looked_up: bool, ticket):
    """The applicant already known by the identity number or credit code the clerk
    entered (or, on a lookup, the phone), else by the called ticket's phone."""
    if post:
        return applicant_find(
            id_number=post.get("id_number", ""),
            credit_code=post.get("credit_code", ""),
            phone=post.get("phone", "") if looked_up else "",
        )
    if ticket is not None and ticket.phone:
        return applicant_find(phone=ticket.phone)
    return None


def _values(post, known, ticket) -> dict:
    def pick(key: str, stored: str = "") -> str:
        return (post.get(key) or "").strip() or stored or ""

    return {
        "kind": post.get("kind") or (known.kind if known else "person"),
        "name": pick("name", known.name if known else ""),
        "phone": pick("phone", known.phone if known else (ticket.phone if ticket else "")),
        "id_number": pick("id_number"),
        "credit_code": pick("credit_code", known.credit_code if known else ""),
        "address": pick("address", known.address if known else ""),
    }


def _form_rows(post, known, version) -> list[tuple]:
    profile = (known.profile or {}) if known else {}
    rows = []
    for field in version.form_fields or []:
        key = field.get("key")
        if not key:
            continue
        stored = str(profile.get(key) or "")
        if _hides_identity(field) or idnumber.holds_number(stored):
            stored = ""
        rows.append((field, (post.get(f"form_{key}") or "").strip() or stored or ""))
    return rows


def intake_context(request, version, ticket=None) -> dict:
    """What the intake page shows for the applicant and the materials: the fields
    prefilled from the applicant already known, and the stored documents that can be
    reused, ticked unless the clerk unticked them."""
    post = request.POST if request.method == "POST" else {}
    looked_up = "lookup" in post
    known = _known_applicant(post, looked_up, ticket)
    values = _values(post, known, ticket)
    reusable = reusable_documents(known, version)
    submitted = bool(post) and not looked_up
    material_rows = []
    for material in pages.own_materials(version):
        stored = reusable.get(material.pk)
        ticked = bool(stored) and (
            post.get(f"reuse_{material.pk}") == str(stored.pk) if submitted else True
        )
        material_rows.append((material, stored, ticked))
    lookup_note = ""
    if looked_up:
        lookup_note = (
            f"已带出申请人“{known.name}”的基本信息，请核对。"
            if known
            else "未找到已登记的申请人，请完整填写基本信息。"
        )
    return {
        "values": values,
        "initial_phone": values["phone"],
        "known_applicant": known,
        "form_rows": _form_rows(post, known, version),
        "material_rows": material_rows,
        "reusable_count": len(reusable),
        "lookup_note": lookup_note,
        "is_lookup": looked_up,
    }


def reuse_choice(post, version) -> dict[int, int]:
    """The stored documents the clerk kept ticked: material id → stored document id."""
    chosen = {}
    for material in pages.guide_materials(version):
        stored_id = _int(post.get(f"reuse_{material.pk}"))
        if stored_id is not None:
            chosen[material.pk] = stored_id
    return chosen
