"""The one HTTP call the gateways make (standard library: a POST of JSON, its JSON answer)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from onewindow.messaging.gateways.base import GatewayError


def post_json(url: str, body: dict, timeout: float) -> dict:
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read().decode() or "{}")
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise GatewayError(f"连接失败：{exc}"[:200]) from None
