"""The API's shared parts: the auth classes, the caller's scope, the error shape.

Auth: the session (pages, with CSRF), a personal bearer token, or a machine client's
key in ``X-Api-Key``. Errors: ``{"code", "message", "fields"}`` with a 4xx status.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from pydantic import WithJsonSchema

from onewindow.core.errors import DomainError
from onewindow.core.models import ApiClient
from onewindow.core.openapi_links import add_links
from onewindow.core.scope import Scope, scope_for
from onewindow.core.tokens import client_for_key, user_for_token

try:
    from ninja import Status
except ImportError:  # django-ninja before 1.6 takes a (status, body) tuple

    def Status(status_code, body):  # noqa: N802
        return status_code, body


class BearerToken(HttpBearer):
    openapi_description = "个人接口令牌：Authorization: Bearer <令牌>"

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
            return user
        return None


class ClientKey(APIKeyHeader):
    param_name = "X-Api-Key"
    openapi_description = "接入系统密钥（12345热线等）"

    def authenticate(self, request, key):
        client = client_for_key(key)
        if client is not None:
            request.api_client = client
            return client
        return None


class SessionAuth(NinjaSessionAuth):
    """The signed-in page's session (its CSRF token checked on writes), for a caller that
    presents no other credential. A request carrying a bearer token or a client key that
    this operation did not accept is not the page's: it is refused as unauthenticated
    (401), not for a CSRF cookie such a client never has (403). The name is ninja's, so
    the OpenAPI's security scheme keeps its name."""

    def __call__(self, request):
        if request.headers.get("Authorization") or request.headers.get(ClientKey.param_name):
            return None
        return super().__call__(request)


session_auth = SessionAuth()

# The bearer token is tried first: the session check refuses a write without a CSRF
# token before any later method is consulted, which would lock out token clients.
AUTH = [BearerToken(), session_auth]
# Read endpoints that machine integrations may also call.
AUTH_WITH_CLIENTS = [BearerToken(), ClientKey(), session_auth]


def is_machine(request) -> bool:
    """Whether the caller is a machine client (``X-Api-Key``), not a person: it holds no
    role, so an operation open to machines checks its scope alone."""
    return isinstance(getattr(request, "auth", None), ApiClient)


def request_scope(request):
    """The scope of the caller: a machine client sees its region's subtree."""
    if is_machine(request):
        return Scope(region_paths=frozenset({request.auth.region.path}))
    return scope_for(request.user)


# A time of day in the center's own time (Beijing time), as the API writes it: JSON
# Schema's "time" format would demand an offset the hall's hours do not have.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
            "description": "北京时间 HH:MM:SS",
        }
    ),
]

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": "每个错误的同一形状：code 稳定（程序据此判断），message 是给人看的中文，"
    "fields 指出出错的输入。",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["code", "message", "fields"],
}
ERROR_RESPONSES = {
    "4XX": "请求有误：401 未登录，403 无权办理，404 不存在或不在可见范围，409 当前状态不允许，"
    "413 文件过大，422 输入不正确，429 请求过于频繁",
    "503": "暂时无法服务（数据库不可用），请稍后重试",
}
METHODS = ("get", "put", "post", "delete", "patch")


class OneWindowAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI says what every operation may also answer: the error
    shape with a 4xx (and a 503 while the database is away), so a generated client
    knows every response it can get."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for item in schema.get("paths", {}).values():
            for method in METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                responses = operation.setdefault("responses", {})
                for code, description in ERROR_RESPONSES.items():
                    responses.setdefault(code, {"description": description, "content": body})
        _answers_carry_every_field(schema)
        return add_links(schema)


def _refs(node, found: set[str]) -> set[str]:
    """The component names ``node`` refers to, directly or through other components."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def _closure(names: set[str], components: dict) -> set[str]:
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name not in seen and name in components:
            seen.add(name)
            todo.extend(_refs(components[name], set()) - seen)
    return seen


def _answers_carry_every_field(schema: dict) -> None:
    """A field with a default is optional in a body but always present in an answer:
    the schemas only answers use list every field as required, so a generated client
    reads them as always there (not "maybe unset")."""
    components = schema.get("components", {}).get("schemas", {})
    sent, answered = set(), set()
    for item in schema.get("paths", {}).values():
        for method in METHODS:
            operation = item.get(method) or {}
            _refs(operation.get("requestBody", {}), sent)
            _refs(operation.get("parameters", []), sent)
            _refs(operation.get("responses", {}), answered)
    for name in _closure(answered, components) - _closure(sent, components):
        component = components[name]
        if component.get("type") == "object" and component.get("properties"):
            component["required"] = list(component["properties"])


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error the API answers has one shape: ``{"code", "message", "fields"}``
    with a 4xx status."""

    def _error(request, status: int, code: str, message: str, fields: dict | None = None):
        return api.create_response(
            request, {"code": code, "message": message, "fields": fields or {}}, status=status
        )

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return _error(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        fields = {}
        for err in exc.errors:
            loc = [
                str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")
            ]
            fields[".".join(loc) or "_"] = err.get("msg", "")
        return _error(request, 422, "invalid_input", "提交的内容格式不正确。", fields)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request, exc: DjangoValidationError):
        fields = {}
        if hasattr(exc, "error_dict"):
            fields = {
                k: "；".join(m for e in v for m in e.messages) for k, v in exc.error_dict.items()
            }
        return _error(request, 422, "invalid_input", "；".join(exc.messages), fields)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return _error(request, 401, "auth.required", "请先登录或提供有效的接口令牌。")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(request, 404, "not_found", "未找到该记录。")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return _error(request, exc.status_code, f"http.{exc.status_code}", str(exc))
