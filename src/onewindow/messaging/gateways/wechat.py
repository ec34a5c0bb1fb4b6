"""WeChat service-account template messages: an access token from ``/cgi-bin/token``
(kept until it expires), then ``/cgi-bin/message/template/send`` with the person's
openid, the template id, its data and the outbox key as ``client_msg_id`` (WeChat's
guard against a repeat); the answer ``{"errcode": 0, "msgid": …}``."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

from onewindow.messaging.gateways.base import GatewayError
from onewindow.messaging.gateways.http import post_json


class WeChatGateway:
    def __init__(
        self, *, base_url: str, appid: str, secret: str, template_ids=None, timeout: float = 5.0
    ):
        self.base_url, self.appid, self.secret = base_url.rstrip("/"), appid, secret
        self.template_ids, self.timeout = dict(template_ids or {}), timeout
        self._token, self._expires = "", 0.0

    def token(self) -> str:
        if self._token and time.monotonic() < self._expires:
            return self._token
        query = urlencode(
            {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        )
        try:
            with urllib.request.urlopen(
                f"{self.base_url}/cgi-bin/token?{query}", timeout=self.timeout
            ) as answer:
                got = json.loads(answer.read().decode())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise GatewayError(f"获取access_token失败：{exc}"[:200]) from None
        if not got.get("access_token"):
            raise GatewayError(f"获取access_token失败：{got.get('errmsg', '')}"[:200])
        self._token = got["access_token"]
        self._expires = time.monotonic() + int(got.get("expires_in", 7200)) - 300
        return self._token

    def send(self, message) -> str:
        data = {name: {"value": str(value)} for name, value in message.params.items()}
        data["first"] = {"value": message.body}
        body = {
            "touser": message.openid,
            "template_id": self.template_ids.get(message.template, message.template),
            # the caller's id: WeChat sends one message per openid and id (a repeat
            # after a worker died before recording its send is not sent again)
            "client_msg_id": message.key,
            "data": data,
        }
        answer = post_json(
            f"{self.base_url}/cgi-bin/message/template/send?access_token={self.token()}",
            body,
            self.timeout,
        )
        if answer.get("errcode") != 0:
            if answer.get("errcode") in (40001, 42001):  # token expired: fetch it again next time
                self._token = ""
            raise GatewayError(f"{answer.get('errcode')}: {answer.get('errmsg', '')}"[:200])
        return str(answer.get("msgid", ""))
