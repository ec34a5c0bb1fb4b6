"""The request signature of the SMS API (the shape of the common Chinese providers' RPC
style): the parameters sorted by name, each ``name=value`` percent-encoded and joined
by ``&``; ``POST&%2F&`` + that string, encoded once more, signed by HMAC-SHA256 with
the access secret followed by ``&``, in base64. The inbound callback (a citizen's reply)
is signed the same way. Shared by the gateway and the fake server that checks it."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote


def _enc(value: str) -> str:
    return quote(str(value), safe="~")


def canonical(params: dict) -> str:
    return "&".join(f"{_enc(k)}={_enc(params[k])}" for k in sorted(params) if k != "Signature")


def sign(params: dict, secret: str) -> str:
    to_sign = "POST&%2F&" + _enc(canonical(params))
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(params: dict, secret: str) -> bool:
    return hmac.compare_digest(sign(params, secret), str(params.get("Signature", "")))
