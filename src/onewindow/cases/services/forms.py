"""The application form of a case for the people who decide on it (R-CASE-1, R-CASE-8).

Whoever may act on a case — its center's front window (intake, pre-review, delivery),
its department's back office, and the supervisors and center administrators whose
scope holds it — reads the form's data on the case page, identity numbers masked. A
full identity number is shown only after a reason is given, and every such view is
written to the audit trail (``core.pii``).
"""

from __future__ import annotations

from django.db import transaction

from onewindow.cases.models import Case
from onewindow.cases.selectors.actions import can_act_back, can_act_front, in_scope
from onewindow.core import idnumber, pii
from onewindow.core.errors import Conflict, Forbidden, NotFound
from onewindow.core.roles import may

ID_NUMBER = "id_number"


def can_read_form(actor, case: Case) -> bool:
    """Whether ``actor`` may read the case's application form (masked)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser:
        return True
    if can_act_front(actor, case) or can_act_back(actor, case):
        return True
    return may(actor, "case.force") and in_scope(actor, case)


def secret_keys(case: Case) -> list[str]:
    """The form fields of the pinned guide version that hold an identity number: a field
    of that type, or any other a number was typed into."""
    data = case.form_data or {}
    return [
        f["key"]
        for f in case.guide_version.form_fields or []
        if f.get("key")
        and (f.get("type") == ID_NUMBER or idnumber.holds_number(str(data.get(f["key"]) or "")))
    ]


@transaction.atomic
def case_reveal_id_numbers(*, actor, case: Case, reason: str) -> dict[str, str]:
    """The full identity numbers of the case's form (by field key) and of its applicant
    (key ``applicant``), for someone who may read the form and gives a reason; the view
    is logged with the reason before the numbers are returned."""
    if not in_scope(actor, case):
        raise NotFound("case.not_found", "未找到该办件。")
    if not can_read_form(actor, case):
        raise Forbidden("pii.not_allowed", "您无权查看完整身份证号码。")
    reason = pii.reveal_reason(reason)
    fields_of = case.guide_version.form_fields or []
    labels = {f.get("key"): f.get("label") or f.get("key") for f in fields_of}
    numbers = {
        key: str((case.form_data or {}).get(key) or "").strip()
        for key in secret_keys(case)
        if str((case.form_data or {}).get(key) or "").strip()
    }
    fields = [labels[key] for key in numbers]
    if case.applicant.id_number_cipher:
        numbers["applicant"] = case.applicant.decrypted_id_number()
        fields.insert(0, "申请人身份证号码")
    if not numbers:
        raise Conflict("pii.nothing_to_reveal", "该办件没有需要查看的身份证号码。")
    pii.log_reveal(
        actor=actor,
        target=case,
        reason=reason,
        center=case.center,
        department=case.department,
        fields=fields,
    )
    return numbers
