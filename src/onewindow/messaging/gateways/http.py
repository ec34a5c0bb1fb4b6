"""The one HTTP call the gateways make (standard library: a POST of JSON, its JSON answer),
over a connection kept open between requests (HTTP/1.1 keep-alive), one per thread and
address: a worker sending a batch opens one TCP connection, not one per message. A kept
connection the server has closed meanwhile is opened again once, before the request is
counted as failed."""

from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import urlsplit

from onewindow.messaging.gateways.base import GatewayError

_local = threading.local()


def _connection(scheme: str, netloc: str, timeout: float) -> http.client.HTTPConnection:
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    conn = pool.get((scheme, netloc))
    if conn is None:
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = pool[(scheme, netloc)] = cls(netloc, timeout=timeout)
    return conn


def _drop(scheme: str, netloc: str) -> None:
    conn = getattr(_local, "pool", {}).pop((scheme, netloc), None)
    if conn is not None:
        conn.close()


def close_all() -> None:
    """Close this thread's kept connections."""
    for scheme, netloc in list(getattr(_local, "pool", {})):
        _drop(scheme, netloc)


def _exchange(url, data: bytes, headers: dict, timeout: float) -> tuple[int, bytes]:
    path = url.path + (f"?{url.query}" if url.query else "")
    for fresh in (False, True):
        conn = _connection(url.scheme, url.netloc, timeout)
        reused = conn.sock is not None
        try:
            conn.request("POST", path or "/", body=data, headers=headers)
            answer = conn.getresponse()
            body = answer.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            _drop(url.scheme, url.netloc)
            if reused and not fresh:
                continue  # the server closed the kept connection: once more on a new one
            raise
        except (OSError, http.client.HTTPException):
            _drop(url.scheme, url.netloc)
            raise
        if answer.will_close:
            _drop(url.scheme, url.netloc)
        return answer.status, body
    raise ConnectionError("connection closed")  # pragma: no cover - the loop returns


def post_json(url: str, body: dict, timeout: float, headers: dict | None = None) -> dict:
    data = json.dumps(body, ensure_ascii=False).encode()
    sent = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    try:
        status, raw = _exchange(urlsplit(url), data, sent, timeout)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise GatewayError(f"连接失败：{exc}"[:200]) from None
    if status >= 400:
        raise GatewayError(f"HTTP {status}")
    try:
        answer = json.loads(raw.decode() or "{}")
    except ValueError as exc:
        raise GatewayError(f"应答格式不正确：{exc}"[:200]) from None
    return answer if isinstance(answer, dict) else {}
