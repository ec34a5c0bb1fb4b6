"""The terminal's local devices (docs/terminal-devices.md) as its pages reach them: the
service's address from ``ONEWINDOW_TERMINAL_DEVICES``, given to the page's script
(``terminal.js``) and allowed in the page's Content-Security-Policy, only on the pages
that use a device."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


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
