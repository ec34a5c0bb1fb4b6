"""The provincial platform's data exchange (R-MSG-3, ``docs/exchange.md``): one POST of
JSON per record — the app key, a timestamp and a nonce, the data type (``project``: a
case record, ``evaluation``: a review), the record's key (``dataKey``: the province
dedups by it) and its fields (``data``), signed like the SMS requests (``signing.py``,
HMAC-SHA256 with the app secret) over the same parameters, ``data`` as sorted JSON. The
province answers ``{"code": "0", "msg": …, "ackId": …, "duplicate": bool}``; any other
code is a failed attempt, retried."""

from __future__ import annotations

import json
import uuid

from django.utils import timezone

from onewindow.messaging.gateways import signing
from onewindow.messaging.gateways.base import GatewayError
from onewindow.messaging.gateways.http import post_json

DATA_TYPES = {"province_case": "project", "province_review": "evaluation"}


def signed_params(body: dict) -> dict:
    """The parameters the signature covers: the body's, ``data`` as sorted JSON."""
    params = {k: str(v) for k, v in body.items() if k not in ("data", "Signature")}
    params["data"] = json.dumps(body.get("data", {}), ensure_ascii=False, sort_keys=True)
    return params


class ProvinceGateway:
    def __init__(self, *, url: str, app_key: str, secret: str, timeout: float = 5.0):
        self.url, self.app_key, self.secret, self.timeout = url, app_key, secret, timeout

    def request(self, message) -> dict:
        body = {
            "appKey": self.app_key,
            "timestamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "nonce": uuid.uuid4().hex,
            "dataType": DATA_TYPES.get(message.template, message.template),
            "dataKey": message.key,
            "data": message.params,
        }
        body["Signature"] = signing.sign(signed_params(body), self.secret)
        return body

    def send(self, message) -> str:
        answer = post_json(self.url, self.request(message), self.timeout)
        if str(answer.get("code")) != "0" or not answer.get("ackId"):
            raise GatewayError(f"{answer.get('code')}: {answer.get('msg', '')}"[:200])
        return str(answer["ackId"])
