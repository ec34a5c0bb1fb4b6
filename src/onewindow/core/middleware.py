from __future__ import annotations

import ipaddress
import time
import uuid
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.http import JsonResponse, QueryDict
from django.utils.functional import SimpleLazyObject

from onewindow.core.audit import RequestMeta, current_request
from onewindow.core.scope import scope_for


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(raw: str | None):
    try:
        return ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    proxies = tuple(getattr(settings, "TRUSTED_PROXIES", ()))
    return address is not None and any(address in net for net in _networks(proxies))


def client_ip(request) -> str | None:
    """The client's address. The forwarded headers (``X-Real-IP``, else the last
    address in ``X-Forwarded-For`` that is not itself a trusted proxy) are believed only
    when the peer is one of ``settings.TRUSTED_PROXIES`` (addresses or networks);
    anyone else could write them to pass for another client."""
    peer = request.META.get("REMOTE_ADDR") or None
    if not _trusted(_address(peer)):
        return peer
    real = _address(request.META.get("HTTP_X_REAL_IP"))
    if real is not None:
        return str(real)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        if not _trusted(address):
            return str(address)
    return peer


class RequestContextMiddleware:
    """Puts the scope on the request and the client address where services find it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for(request.user))
        token = current_request.set(RequestMeta(client_ip(request), uuid.uuid4().hex[:16]))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class IdleSessionTimeoutMiddleware:
    """Signs out a session idle for SESSION_IDLE_SECONDS (shared hall PCs)."""

    KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
                request.session["_expired"] = True
            elif last is None or now - last > 60:
                request.session[self.KEY] = now
        return self.get_response(request)


NUL_MESSAGE = "请求中含有不允许的字符（空字符），请检查后重试。"


class NulInputMiddleware:
    """A NUL character is never meaningful input, and PostgreSQL refuses it in text, so it
    would end as a server error deep in a query. In the query string it is dropped (a
    search for "a\\x00b" is a search for "ab"); in the path the request answers 400 (the
    API with its error shape, pages with the 400 page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "invalid_input", "message": NUL_MESSAGE, "fields": {}}, status=400
                )
            raise BadRequest(NUL_MESSAGE)
        if "%00" in request.META.get("QUERY_STRING", ""):
            clean = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            clean._mutable = False
            request.GET = clean
        return self.get_response(request)


class ApiErrorShapeMiddleware:
    """Under ``/api/``, what Django answers on its own (a path that does not exist: 404; a
    method the path does not take: 405) has the API's one error shape too, so a client
    (or a fuzzer) never meets an HTML page there."""

    ANSWERS = {
        404: ("not_found", "未找到该接口或记录。"),
        405: ("method_not_allowed", "该接口不支持此请求方法。"),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        answer = self.ANSWERS.get(response.status_code)
        if (
            answer is None
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code, message = answer
        shaped = JsonResponse(
            {"code": code, "message": message, "fields": {}},
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        if response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped
