"""What a licence shows and its signature covers (R-MSG-2): the holder masked as the
rest of the project masks people (the name's first character, the identity number's
first six and last four), an enterprise by its public name and credit code; the
matter, the result, the case number, the deciding department, the center, the dates."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.utils import timezone

from onewindow.cases.models import Applicant, Case

# No 0/O, 1/I/L: a code read aloud or typed from paper is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed (spaces, dashes, lower case) in its stored form."""
    return "".join(ch for ch in str(text or "").upper() if ch.isalnum())[:32]


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def mask_name(name: str) -> str:
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


def holder(applicant: Applicant) -> tuple[str, str]:
    """The holder's name and identifier as the licence shows them."""
    if applicant.kind == Applicant.Kind.ENTERPRISE:
        return applicant.name, applicant.credit_code
    return mask_name(applicant.name), applicant.id_number_masked


def title_for(case: Case) -> str:
    result = (case.guide_version.result or "").strip()
    return result[:200] if result else f"{case.matter.name}准予决定"[:200]


def build(*, case: Case, number: str, code: str, key_id: str, issued_at: datetime) -> dict:
    name, identifier = holder(case.applicant)
    decided = timezone.localdate(case.decided_at) if case.decided_at else None
    return {
        "v": 1,
        "number": number,
        "code": code,
        "title": title_for(case),
        "holder": name,
        "holder_id": identifier,
        "matter": case.matter.name,
        "matter_code": case.matter.code,
        "case": case.number,
        "department": case.department.name,
        "center": case.center.name,
        "center_code": case.center.code,
        "decided_on": decided.isoformat() if decided else "",
        "issued_on": timezone.localdate(issued_at).isoformat(),
        "key_id": key_id,
    }
