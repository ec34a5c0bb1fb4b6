"""The terminal's local devices (docs/terminal-devices.md) as its pages reach them: the
service's address from ``ONEWINDOW_TERMINAL_DEVICES``, given to the page's script
(``terminal.js``) and allowed in the page's Content-Security-Policy, only on the pages
that use a device (and the start page, which asks the service which terminal it is).

The terminal's device code (``terminal`` in ``GET /status``) is kept by the page's
script in the ``ow_terminal`` cookie; every write a citizen makes on the terminal names
that terminal as its actor (``TerminalActor``) in the audit trail."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from onewindow.core.audit import TerminalActor, terminal_code

# The cookie the terminal's script keeps the device code in (terminal.js).
TERMINAL_COOKIE = "ow_terminal"


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


def terminal_actor(request, center) -> TerminalActor:
    """Who acts on this terminal page: the terminal (its device code, when its device
    service told it), never an anonymous visitor."""
    return TerminalActor(
        center_id=center.pk, code=terminal_code(request.COOKIES.get(TERMINAL_COOKIE))
    )
