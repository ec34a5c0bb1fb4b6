"""Reads of the licences (R-MSG-2), always within the caller's scope, and the public
verification by code (which shows no more than the licence itself shows), limited per
client address as the other anonymous lookups are (``core/ratelimit.py``): every
verification counts (each checks a signature), and unknown codes count apart, fewer."""

from __future__ import annotations

from dataclasses import dataclass, field

from onewindow.cases import states
from onewindow.cases.models import Case, CaseEvent
from onewindow.core import ratelimit
from onewindow.core.errors import NotFound
from onewindow.licences import payload as payloads
from onewindow.licences import signing
from onewindow.licences.models import Licence

AFTER_DECISION = frozenset({states.APPROVED, states.READY, states.DELIVERED, states.ARCHIVED})

# (verifications, seconds) per client address: all of them, and those of unknown codes;
# settings.ONEWINDOW_LICENCE_VERIFY_RATE_LIMITS overrides.
DEFAULT_VERIFY_LIMITS = {"client": (120, 3600), "unknown": (20, 3600)}

# The fields of the payload the verification page shows, in order, with their labels.
SHOWN = (
    ("title", "证照名称"),
    ("number", "证照编号"),
    ("holder", "持证人"),
    ("holder_id", "证件号码"),
    ("matter", "办理事项"),
    ("department", "发证部门"),
    ("center", "出证中心"),
    ("decided_on", "决定日期"),
    ("issued_on", "签发日期"),
)


def approved(case: Case) -> bool:
    """Whether the case's standing decision is 准予 (approved and after: to the delivery
    window, delivered, archived); a reopened case is not, until decided again."""
    if case.state not in AFTER_DECISION:
        return False
    last = (
        CaseEvent.objects.filter(case=case, action__in=("approve", "deny"))
        .order_by("-at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    return last == "approve"


def licences_of_case(*, scope, case: Case):
    return (
        Licence.objects.visible_to(scope)
        .filter(case=case)
        .select_related("replaced_by", "issued_by", "revoked_by")
        .order_by("-issued_at", "-id")
    )


def licence_get_for(*, scope, licence_id: int) -> Licence:
    licence = (
        Licence.objects.visible_to(scope)
        .select_related("case__center", "case__department", "signer")
        .filter(pk=licence_id)
        .first()
    )
    if licence is None:
        raise NotFound("licence.not_found", "未找到该电子证照。")
    return licence


def licences_for_citizen(case: Case):
    """What the applicant may download from their progress page: the case's licences
    that are valid now (a revoked or replaced one is only verified, not handed out)."""
    return Licence.objects.filter(case=case, state=Licence.State.VALID).order_by("-issued_at")


def licence_for_citizen(case: Case, licence_id: int) -> Licence:
    licence = licences_for_citizen(case).select_related("signer").filter(pk=licence_id).first()
    if licence is None:
        raise NotFound("licence.not_found", "未找到该电子证照。")
    return licence


def signature_holds(licence: Licence) -> bool:
    """Whether the stored payload is what the center signed, and it names this licence."""
    body = licence.payload if isinstance(licence.payload, dict) else {}
    return (
        body.get("code") == licence.code
        and body.get("number") == licence.number
        and body.get("key_id") == licence.signer.key_id
        and signing.verify(licence.signer.public_key, body, licence.signature)
    )


@dataclass
class Verification:
    code: str
    status: str  # valid, revoked, replaced, tampered, unknown
    label: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    at: object = None  # when revoked or replaced
    reason: str = ""
    replaced_by: str = ""  # the successor's number
    replaced_by_code: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "valid"


LABELS = {
    "valid": "有效：签名核验通过，证照现行有效",
    "revoked": "已撤销",
    "replaced": "已换发（原证照失效）",
    "tampered": "核验未通过：证照内容与电子签名不符，可能被篡改",
    "unknown": "未找到该核验码对应的电子证照",
}


def _refusal(seconds: int) -> str:
    return (
        f"核验次数过多，请{ratelimit.span(seconds)}后再试；"
        "也可以携带证照到出证的政务服务中心窗口核验。"
    )


def verify_code(text: str, *, client: str = "") -> Verification:
    """The public verification of a licence by its code: the signature checked against
    the center's public key, then its standing. A licence whose content no longer matches
    its signature shows nothing of its content. ``client`` (the caller's address; empty
    for the system's own reads) is limited: ``RateLimited`` past the limits."""
    limits = ratelimit.limits_from_settings(
        "ONEWINDOW_LICENCE_VERIFY_RATE_LIMITS", DEFAULT_VERIFY_LIMITS
    )
    unknown = ratelimit.FailureLimit("licence-verify:unknown", *limits["unknown"])
    if unknown.locked(client):
        raise ratelimit.RateLimited("licence.rate_limited", _refusal(unknown.seconds))
    attempts, seconds = limits["client"]
    ratelimit.hit(
        "licence-verify:client",
        client,
        limit=attempts,
        seconds=seconds,
        code="licence.rate_limited",
        message=_refusal(seconds),
    )
    code = payloads.normalise_code(text)
    licence = (
        Licence.objects.select_related("signer", "replaced_by").filter(code=code).first()
        if code
        else None
    )
    if licence is None:
        unknown.failed(client)
        return Verification(code=code, status="unknown", label=LABELS["unknown"])
    if not signature_holds(licence):
        return Verification(code=code, status="tampered", label=LABELS["tampered"])
    shown = [(label, str(licence.payload.get(key, ""))) for key, label in SHOWN]
    result = Verification(
        code=code, status=licence.state, label=LABELS[licence.state], fields=shown
    )
    if licence.state != Licence.State.VALID:
        result.at, result.reason = licence.revoked_at, licence.reason
    if licence.replaced_by is not None:
        result.replaced_by = licence.replaced_by.number
        result.replaced_by_code = payloads.grouped(licence.replaced_by.code)
    return result
