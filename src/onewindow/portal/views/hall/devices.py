"""Which terminal a terminal page serves, and its local devices (docs/terminal-devices.md).

The terminal is known by the signed credential it received once, at its enrollment
(``hall.selectors.terminals``), kept in the ``ow_terminal_key`` cookie (HttpOnly, path
``/hall/terminal/``). ``terminal_page`` checks it on every terminal page: a write
(a ticket, a check-in, a review, a complaint, 补交材料) needs an enrolled terminal of the
page's center and is audited as that terminal (``TerminalActor``); a forged, superseded
or revoked credential gets a Chinese page saying so on every terminal page, and
nothing is written. Reading (search, guides) needs no credential.

The device service's address comes from ``ONEWINDOW_TERMINAL_DEVICES``, given to the
page's script (``terminal.js``) and allowed in the page's Content-Security-Policy, only on
the pages that use a device."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render

from onewindow.core.audit import TerminalActor
from onewindow.hall import selectors as hall_selectors
from onewindow.hall.selectors import terminals

# The cookie the terminal keeps its signed credential in (set at its enrollment).
TERMINAL_COOKIE = "ow_terminal_key"
TERMINAL_COOKIE_PATH = "/hall/terminal/"
TERMINAL_COOKIE_AGE = 10 * 365 * 24 * 3600


def device_service_url() -> str:
    """The device service's origin (scheme, host, port), or "" when none is configured."""
    raw = getattr(settings, "ONEWINDOW_TERMINAL_DEVICES", "") or ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def allow_device_service(response):
    """Let the page's script reach the device service (CSP ``connect-src``)."""
    origin = device_service_url()
    if origin:
        response.csp_extra = {"connect-src": origin}
    return response


def terminal_check(request, center) -> terminals.TerminalCheck:
    return terminals.terminal_check(request.COOKIES.get(TERMINAL_COOKIE), center)


def refused(request, center, check: terminals.TerminalCheck):
    """The page a terminal without a valid credential shows instead (403)."""
    context = {"center": center, "message": check.message, "problem": check.problem}
    return render(request, "hall/screens/terminal_refused.html", context, status=403)


def terminal_page(view):
    """A terminal page of ``center_id``: refused to a forged or revoked credential, and
    to any request without an enrolled terminal when it writes (POST)."""

    @wraps(view)
    def wrapped(request, center_id, *args, **kwargs):
        center = hall_selectors.display_center(center_id)
        check = terminal_check(request, center)
        if not check.ok and (request.method == "POST" or check.problem != terminals.MISSING):
            return refused(request, center, check)
        request.terminal = check.terminal
        return view(request, center_id, *args, **kwargs)

    return wrapped


def terminal_actor(request, center) -> TerminalActor:
    """Who acts on this terminal page: the enrolled terminal ``terminal_page`` checked,
    never an anonymous visitor."""
    terminal = getattr(request, "terminal", None)
    if terminal is None or terminal.center_id != center.pk:
        raise PermissionError("a terminal write without an enrolled terminal")
    return TerminalActor(center_id=center.pk, code=terminal.code)


def remember_credential(request, response, credential: str):
    response.set_cookie(
        TERMINAL_COOKIE,
        credential,
        max_age=TERMINAL_COOKIE_AGE,
        path=TERMINAL_COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
