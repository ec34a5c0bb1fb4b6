"""SMS through the HTTP shape of a common Chinese SMS API: the phone, the signature name
(签名), the template code and its parameters as JSON, the access key, a timestamp and a
nonce, signed (``signing.py``), and the outbox key as the caller's id of the message
(``OutId``): it comes back in the delivery report, and a provider that drops a repeated
id (as the fake gateway does) delivers a message the worker sent twice once — a worker
killed after sending a group and before recording it sends the group again under the
same keys (``worker.py``). The answer ``{"Code": "OK", "BizId": …}``."""

from __future__ import annotations

import json
import uuid

from django.utils import timezone

from onewindow.messaging.gateways import signing
from onewindow.messaging.gateways.base import GatewayError
from onewindow.messaging.gateways.http import post_json


class SmsGateway:
    def __init__(
        self,
        *,
        url: str,
        access_key: str,
        secret: str,
        sign_name: str,
        template_codes=None,
        timeout: float = 5.0,
    ):
        self.url, self.access_key, self.secret = url, access_key, secret
        self.sign_name, self.timeout = sign_name, timeout
        self.template_codes = dict(template_codes or {})

    def request(self, message) -> dict:
        params = {
            "Action": "SendSms",
            "PhoneNumbers": message.phone,
            "SignName": self.sign_name,
            "TemplateCode": self.template_codes.get(message.template, message.template),
            "TemplateParam": json.dumps(message.params, ensure_ascii=False, sort_keys=True),
            "OutId": message.key,
            "AccessKeyId": self.access_key,
            "Timestamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "SignatureNonce": uuid.uuid4().hex,
        }
        params["Signature"] = signing.sign(params, self.secret)
        return params

    def send(self, message) -> str:
        answer = post_json(self.url, self.request(message), self.timeout)
        if answer.get("Code") != "OK":
            raise GatewayError(f"{answer.get('Code')}: {answer.get('Message', '')}"[:200])
        return str(answer.get("BizId", ""))
