"""Guards every request passes (R-SEC-1, R-SEC-2), in ``settings.MIDDLEWARE``.

- ``DatabaseUnavailableMiddleware``: a lost or refused database connection (Django's
  ``OperationalError`` / ``InterfaceError``, wherever in the request it rose) answers
  503 with a Chinese page, or the API's error shape under ``/api/``, and
  ``Retry-After``; never a 500. Django closes the broken connection when the request
  ends, so the next request connects afresh.
- ``AnonymousWriteLimitMiddleware``: every write nobody signed in makes (taking a
  ticket at the terminal or on the portal, booking, a review by its token, a complaint,
  an online application, signing in) is counted per client address
  (``core.middleware.client_ip``) in a fixed window, and answered 429 past the limit.
  Limits: ``ONEWINDOW_ANONYMOUS_WRITE_LIMITS`` ({bucket: (writes, seconds)}; buckets
  ``terminal`` for the self-service terminal, ``anonymous`` for the rest). A request
  carrying API credentials is the API's to judge, not counted here.
- ``SecurityHeadersMiddleware``: ``Permissions-Policy`` and the Content-Security-Policy
  (``CONTENT_SECURITY_POLICY``) with a fresh nonce per request (``request.csp_nonce``,
  ``{{ csp_nonce }}`` in templates) for the page's own inline scripts and styles; no
  ``unsafe-inline``. ``X-Content-Type-Options``, ``Referrer-Policy``, HSTS (production)
  and ``X-Frame-Options`` stay Django's own.
"""

from __future__ import annotations

import logging
import secrets
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from onewindow.core import ratelimit
from onewindow.core.middleware import client_ip

log = logging.getLogger(__name__)

DB_DOWN_CODE = "service_unavailable"
DB_DOWN_MESSAGE = "系统暂时无法连接数据库，请稍后重试；如急需办理，请联系大厅工作人员。"
RETRY_SECONDS = 30


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _error_json(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": message, "fields": {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


class DatabaseUnavailableMiddleware:
    """See the module. Exceptions raised in a view reach ``process_exception``; those
    raised in a middleware further in (the session, the user) have already become a
    500 response by the time they come back here, so ``got_request_exception`` marks
    the request (``connected`` in ``ready``) and the 500 is replaced."""

    MARK = "_onewindow_db_down"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, self.MARK, False) and response.status_code == 500:
            return self.unavailable(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            log.error("database unavailable: %s", exception)
            return self.unavailable(request)
        return None

    @classmethod
    def mark(cls, sender, request=None, **kwargs) -> None:
        """Receiver of ``got_request_exception``: the exception being handled."""
        exception = sys.exc_info()[1]
        if request is not None and isinstance(exception, OperationalError | InterfaceError):
            setattr(request, cls.MARK, True)

    @staticmethod
    def unavailable(request) -> HttpResponse:
        if _api(request):
            response = _error_json(DB_DOWN_CODE, DB_DOWN_MESSAGE, 503)
        else:
            # Rendered without the request: the context processors would ask the
            # database for the signed-in user.
            response = HttpResponse(
                render_to_string("503.html", {"message": DB_DOWN_MESSAGE}), status=503
            )
        response["Retry-After"] = str(RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


DEFAULT_WRITE_LIMITS = {"anonymous": (120, 60), "terminal": (120, 60)}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def write_limits() -> dict[str, tuple[int, int]]:
    return ratelimit.limits_from_settings("ONEWINDOW_ANONYMOUS_WRITE_LIMITS", DEFAULT_WRITE_LIMITS)


def _bucket(path: str) -> str:
    return "terminal" if path.startswith("/hall/terminal/") else "anonymous"


class AnonymousWriteLimitMiddleware:
    """See the module. After the authentication middleware (it reads ``request.user``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS and not self._identified(request):
            bucket = _bucket(request.path)
            limit, seconds = write_limits()[bucket]
            try:
                ratelimit.hit(
                    f"write:{bucket}",
                    client_ip(request) or "-",
                    limit=limit,
                    seconds=seconds,
                    code="rate_limited",
                    message=f"提交过于频繁：{ratelimit.span(seconds)}内最多提交{limit}次，"
                    "请稍后再试；如需帮助，请联系大厅工作人员。",
                )
            except ratelimit.RateLimited as exc:
                return self.refused(request, exc, seconds)
        return self.get_response(request)

    @staticmethod
    def _identified(request) -> bool:
        meta = request.META
        if meta.get("HTTP_AUTHORIZATION") or meta.get("HTTP_X_API_KEY"):
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)

    @staticmethod
    def refused(request, exc, seconds: int) -> HttpResponse:
        if _api(request):
            response = _error_json(exc.code, exc.message, 429)
        else:
            template = "includes/domain_error.html" if request.headers.get("HX-Request") else None
            response = render(request, template or "domain_error.html", {"error": exc}, status=429)
        response["Retry-After"] = str(seconds)
        return response


def content_security_policy(nonce: str, extra: dict[str, str] | None = None) -> str:
    """The policy with the request's nonce; ``extra`` adds sources to some directives
    (a response's ``csp_extra``: the terminal's check-in page and its local devices)."""
    policy = dict(getattr(settings, "CONTENT_SECURITY_POLICY", {}))
    for directive, sources in (extra or {}).items():
        policy[directive] = f"{policy.get(directive, '')} {sources}".strip()
    return "; ".join(
        f"{directive} {value.replace('{nonce}', nonce)}".strip()
        for directive, value in policy.items()
    )


class SecurityHeadersMiddleware:
    """See the module."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        permissions = getattr(settings, "PERMISSIONS_POLICY", "")
        if permissions:
            response.headers.setdefault("Permissions-Policy", permissions)
        policy = content_security_policy(request.csp_nonce, getattr(response, "csp_extra", None))
        if policy:
            header = (
                "Content-Security-Policy-Report-Only"
                if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
                else "Content-Security-Policy"
            )
            response.headers.setdefault(header, policy)
        return response
