"""What the API tests share: a test client signed in with a staff bearer token, and the
check that an answer is the API's error shape with a given status and code."""

from __future__ import annotations

from django.test import Client

from onewindow.core.tokens import api_token_create


def bearer(user, name: str = "接口测试") -> Client:
    _, key = api_token_create(actor=user, name=name)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def is_error(answer, status: int, code: str | None = None) -> bool:
    body = answer.json()
    return (
        answer.status_code == status
        and set(body) == {"code", "message", "fields"}
        and (code is None or body["code"] == code)
    )
