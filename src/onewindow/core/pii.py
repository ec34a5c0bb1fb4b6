"""Full identity numbers for the people who need them (R-SEC-1); phone numbers shown
masked to everyone who does not need to call back (``mask_phone``).

Pages show identity numbers masked. Whoever needs one in full gives a reason, and the
view is written to the audit trail (``pii.reveal_id_number``) with that reason before
the number is returned. Every service that unmasks a number goes through here.
"""

from __future__ import annotations

from onewindow.core.audit import audit_record
from onewindow.core.errors import InvalidInput

REVEAL_ACTION = "pii.reveal_id_number"
PHONE_KEPT_TAIL = 4
MAX_REASON = 200


def reveal_reason(reason: str | None) -> str:
    """The reason given for seeing a full number; refused when empty."""
    reason = (reason or "").replace("\x00", "").strip()[:MAX_REASON]
    if not reason:
        raise InvalidInput(
            "pii.reason_required", "查看完整身份证号码须填写事由。", {"reason": "请填写事由。"}
        )
    return reason


def log_reveal(
    *, actor, target, reason: str, center=None, department=None, fields: list[str] | None = None
) -> None:
    """Record that ``actor`` saw full identity numbers of ``target`` (which ones: the
    labels in ``fields``), with the reason they gave. Call inside the service's
    transaction, before the numbers leave it."""
    audit_record(
        actor=actor,
        action=REVEAL_ACTION,
        target=target,
        center=center,
        department=department,
        after={"fields": fields} if fields else None,
        note=reveal_reason(reason),
    )


def mask_phone(phone: str | None) -> str:
    """A phone number as shown to those who need not call it: a mobile number keeps its
    first three and last four digits (139****1234); another number keeps its last four;
    a number of four digits or fewer is hidden whole."""
    phone = "".join(str(phone or "").split())
    if not phone:
        return ""
    digits = sum(c.isdigit() for c in phone)
    if len(phone) == 11 and digits == 11 and phone.startswith("1"):
        return f"{phone[:3]}****{phone[-PHONE_KEPT_TAIL:]}"
    if len(phone) <= PHONE_KEPT_TAIL:
        return "*" * len(phone)
    return "*" * (len(phone) - PHONE_KEPT_TAIL) + phone[-PHONE_KEPT_TAIL:]
