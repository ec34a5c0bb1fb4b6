"""How often a public client may submit (R-HALL-6): booking, cancelling, taking a ticket
on the portal. Counted per client (address or API client) and per phone."""

from __future__ import annotations

from onewindow.core import ratelimit

# (attempts, seconds) per client key and per phone; settings.ONEWINDOW_BOOKING_RATE_LIMITS overrides.
DEFAULT_RATE_LIMITS = {"client": (10, 3600), "phone": (5, 3600)}


def rate_limits() -> dict:
    return ratelimit.limits_from_settings("ONEWINDOW_BOOKING_RATE_LIMITS", DEFAULT_RATE_LIMITS)


def rate_limit_hit(kind: str, key: str) -> None:
    """Count one attempt for ``key``; refuse when over the limit of ``kind`` (fixed window)."""
    limit, seconds = rate_limits()[kind]
    ratelimit.hit(
        f"hall:{kind}",
        key,
        limit=limit,
        seconds=seconds,
        code="appointment.rate_limited",
        message=f"提交过于频繁：{ratelimit.span(seconds)}内最多提交{limit}次，请稍后再试，"
        "或拨打服务中心电话预约。",
    )
