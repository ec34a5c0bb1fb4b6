"""The public progress lookup by number and the last four digits of the phone
(R-CAT-9), limited against guessing (R-SEC-1).

Case numbers are sequential and a tail has 10,000 values, so failed lookups are
counted per client address and per number; past either limit every lookup of that
client or number is refused for the window, the right tail too. The progress page,
the API's progress query and the self-service terminal call ``progress_lookup``.
"""

from __future__ import annotations

from onewindow.cases import selectors
from onewindow.cases.models import Applicant, BundleApplication, Case
from onewindow.cases.selectors.bundles import bundle_public_progress
from onewindow.core import ratelimit
from onewindow.core.errors import NotFound

# (failed lookups, seconds) per client address and per number;
# settings.ONEWINDOW_PROGRESS_RATE_LIMITS overrides.
DEFAULT_LIMITS = {"client": (10, 3600), "number": (5, 3600)}


def _limits() -> dict[str, ratelimit.FailureLimit]:
    limits = ratelimit.limits_from_settings("ONEWINDOW_PROGRESS_RATE_LIMITS", DEFAULT_LIMITS)
    return {
        kind: ratelimit.FailureLimit(f"progress:{kind}", attempts, seconds)
        for kind, (attempts, seconds) in limits.items()
    }


def _refuse(limit: ratelimit.FailureLimit) -> ratelimit.RateLimited:
    return ratelimit.RateLimited(
        "progress.rate_limited",
        f"查询失败次数过多，请{ratelimit.span(limit.seconds)}后再试；"
        "也可以扫描受理通知书上的二维码查询，或携带身份证件到服务中心窗口查询。",
    )


def progress_lookup(
    *, number: str, phone_tail: str, client: str, bundles: bool = True
) -> Case | BundleApplication:
    """The case (or, with ``bundles``, the “one thing” application) with this number
    and phone tail. ``client`` is the caller's address (``core.middleware.client_ip``;
    a terminal may add its own name). Raises ``NotFound`` for a wrong pair and
    ``RateLimited`` (429) once the client or the number has failed too often."""
    number = (number or "").strip()[:32]
    phone_tail = (phone_tail or "").strip()[:4]
    limits = _limits()
    keys = {"client": client or "", "number": number.upper()}
    for kind, limit in limits.items():
        if limit.locked(keys[kind]):
            raise _refuse(limit)
    try:
        found = bundle_public_progress(number=number, phone_tail=phone_tail) if bundles else None
        if found is None:
            found = selectors.public_progress(number=number, phone_tail=phone_tail)
    except NotFound:
        for kind, limit in limits.items():
            limit.failed(keys[kind])
        raise
    return found


def cases_by_identity(*, id_number: str, phone_tail: str, center, client: str) -> list[Case]:
    """The self-service terminal's 补交材料: the cases at ``center`` of the applicant with
    this identity number (read from the card, or typed) and phone tail, newest first.
    Counted against guessing like the number's lookup, keyed by the number's digest;
    ``IdNumberError`` for a malformed number, ``NotFound`` when nothing matches."""
    limits = _limits()
    digest = Applicant.id_number_lookup(id_number)
    keys = {"client": client or "", "number": f"id:{digest[:24]}"}
    for kind, limit in limits.items():
        if limit.locked(keys[kind]):
            raise _refuse(limit)
    tail = (phone_tail or "").strip()[:4]
    found = list(
        Case.objects.select_related("matter", "center", "applicant")
        .filter(applicant__id_number_digest=digest, center=center)
        .order_by("-received_at", "-pk")[:20]
    )
    found = [c for c in found if len(tail) == 4 and c.applicant.phone_tail == tail]
    if not found:
        for kind, limit in limits.items():
            limit.failed(keys[kind])
        raise NotFound("case.not_found", "没有找到该身份证在本中心的办件，请核对手机号后四位。")
    return found
