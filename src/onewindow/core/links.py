"""Absolute links that leave the screen: printed on notices, receipts and slips, put
in QR codes, given to other systems.

The public base URL follows the address the request was served on (its scheme and
``Host``, so ``make run PORT=8101`` prints 8101) unless the deployment sets
``PUBLIC_BASE_URL`` (``settings.ONEWINDOW["PUBLIC_BASE_URL"]``), which then wins:
behind a proxy or on a public domain the printed address is the public one.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

# Only for links built outside any request (commands) when no base URL is set.
FALLBACK_BASE_URL = "http://127.0.0.1:8000"


def public_base_url(request=None) -> str:
    """The scheme and host printed links start with, without a trailing slash."""
    configured = (settings.ONEWINDOW.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return FALLBACK_BASE_URL


def public_url(path: str, request=None) -> str:
    """``path`` (starting with ``/``) as an absolute public URL."""
    return public_base_url(request) + path


def public_reverse(viewname: str, *, request=None, args=None, kwargs=None) -> str:
    """``reverse()`` as an absolute public URL."""
    return public_url(reverse(viewname, args=args, kwargs=kwargs), request)
