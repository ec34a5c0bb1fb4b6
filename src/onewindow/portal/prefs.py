"""A visitor's two remembered choices, kept in cookies (no account needed): the elder
mode (长辈版, R-CIT-2) and the center chosen on the home page. Read by the context
processor for every page, written by the elder switch and the home page."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

ELDER_COOKIE = "ow_elder"
CENTER_COOKIE = "ow_center"
YEAR = 365 * 24 * 3600


def elder_mode(request) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def chosen_center_id(request) -> int | None:
    raw = request.GET.get("center") or request.COOKIES.get(CENTER_COOKIE) or ""
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def remember(response, name: str, value: str) -> None:
    response.set_cookie(name, value, max_age=YEAR, samesite="Lax", httponly=True)


def safe_next(request, default: str = "/", prefix: str = "/") -> str:
    """The address to return to (``next``), kept on this site and under ``prefix``."""
    target = request.POST.get("next") or request.GET.get("next") or default
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok and target.startswith(prefix) else default


def context(request):
    """Template context for every page: ``elder_mode``."""
    return {"elder_mode": elder_mode(request)}
