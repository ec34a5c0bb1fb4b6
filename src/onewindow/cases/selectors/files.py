"""Reads of the applicant's file store (材料复用, R-CASE-6) and of the applicant already
known (一表申请): what the store can give again for a guide version — valid, unrevoked,
matched by the common material type (or, without one, the exact name) — and the
applicant found by identity number, credit code or phone to prefill a new form."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from onewindow.cases.models import Applicant, ApplicantDocument
from onewindow.catalog.models import Material
from onewindow.core.idnumber import IdNumberError


def valid_on(today: date) -> Q:
    return Q(revoked=False) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def same_material(stored: ApplicantDocument, material: Material) -> bool:
    if material.material_type_id:
        return stored.material_type_id == material.material_type_id
    return stored.name == material.name


def reusable_documents(
    applicant: Applicant | None, version, *, today: date | None = None
) -> dict[int, ApplicantDocument]:
    """For each material of ``version`` the applicant need not give again: material id →
    the newest valid, unrevoked document of their store of the same material type (or,
    for a material without one, the same name)."""
    if applicant is None or applicant.pk is None:
        return {}
    today = today or timezone.localdate()
    stored = list(
        ApplicantDocument.objects.filter(valid_on(today), applicant=applicant)
        .select_related("file", "material_type")
        .order_by("-created_at", "-id")
    )
    found = {}
    for material in version.materials.exclude(source=Material.Source.SHARED).order_by("order"):
        match = next((s for s in stored if same_material(s, material)), None)
        if match is not None:
            found[material.pk] = match
    return found


def applicant_find(
    *, id_number: str = "", credit_code: str = "", phone: str = ""
) -> Applicant | None:
    """The known applicant by identity number, else credit code, else a phone that
    belongs to exactly one applicant. A malformed number finds nobody."""
    id_number, credit_code = (id_number or "").strip(), (credit_code or "").strip().upper()
    if id_number:
        try:
            digest = Applicant.id_number_lookup(id_number)
        except IdNumberError:
            return None
        return Applicant.objects.filter(id_number_digest=digest).first()
    if credit_code:
        return Applicant.objects.filter(credit_code=credit_code).first()
    phone = (phone or "").strip()
    if phone:
        found = list(Applicant.objects.filter(phone=phone)[:2])
        return found[0] if len(found) == 1 else None
    return None
