"""A local fake of the SMS provider and of WeChat's API: a real HTTP server on
127.0.0.1 that records every request it gets (and, with ``log``, appends them to a
JSON-lines file), for the tests, the demo and a developer's machine. Used by the
command ``onewindow fake-gateway`` and by the tests' fixture; never a mock in the code.

- ``POST /sms/send``: the SMS API (signature checked; ``{"Code": "OK", "BizId": …}``).
  A request whose caller's id (``OutId``: the outbox key) was delivered before is
  answered as that delivery (the same ``BizId``) and recorded with ``"duplicate": true``,
  not delivered again: the citizen gets one text however often the worker sends it.
- ``GET /wechat/cgi-bin/token``, ``POST /wechat/cgi-bin/message/template/send``: a
  repeated ``client_msg_id`` for the same ``touser`` is not delivered again either.
- ``POST /_control``: ``{"fail": n}`` answers the next n sends with an error (HTTP 500),
  ``{"fail": -1}`` every send until ``{"fail": 0}``; ``{"delay": seconds}``;
  ``{"reject": [phones]}`` answers every SMS to those numbers as an illegal number;
  ``{"hold": seconds}`` accepts (and records) a message at once but holds the answer
  (until the time passes or ``{"hold": 0}``): a sender killed meanwhile has sent it
  without knowing.
- ``POST /province/push``: the provincial platform's exchange (``gateways/province.py``):
  signature checked (with ``province_secret``), records kept by ``dataKey`` — a key
  pushed again is acknowledged with the same ``ackId`` and ``"duplicate": true``, never
  kept twice; ``GET /province/records``: what the province holds. ``{"fail": n}``
  applies to it too.
- ``GET /_requests``: what was recorded (``?delivered=1``: only what reached a citizen,
  once each); ``POST /_reset`` forgets it.
- ``POST /_reply``: ``{"phone", "text"}`` — a citizen's reply: the server posts it,
  signed, to the callback URL it was started with (``messaging:sms_inbound``).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request, urlopen

from onewindow.messaging.gateways import province, signing


class FakeGateway:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        secret: str = "",
        callback_url: str = "",
        log: str | Path | None = None,
        province_secret: str = "",
    ):
        self.secret, self.callback_url = secret, callback_url
        self.province_secret = province_secret
        self.province: dict[str, dict] = {}
        self.log = Path(log) if log else None
        self.requests: list[dict] = []
        self.fail, self.delay, self.hold = 0, 0.0, 0.0
        self.reject: set[str] = set()
        # what was delivered, by the caller's id: (channel, recipient, id) -> receipt
        self.delivered_ids: dict[tuple[str, str, str], str] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGateway:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.province.clear()
            self.delivered_ids.clear()
            self.fail, self.delay, self.hold = 0, 0.0, 0.0
            self.reject = set()

    def sent(self, kind: str | None = None) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if kind is None or r["kind"] == kind]

    def delivered(self, kind: str | None = None) -> list[dict]:
        """The messages that reached their recipient (a repeat by its id not again)."""
        return [r for r in self.sent(kind) if r["ok"] and not r.get("duplicate")]

    def deliver_once(self, kind: str, recipient: str, caller_id: str, body: dict, receipt):
        """Record a delivery unless the caller's id was delivered before; the receipt
        (the first delivery's for a repeat)."""
        key = (kind, recipient, caller_id)
        with self.lock:
            first = self.delivered_ids.get(key) if caller_id else None
            if caller_id and first is None:
                self.delivered_ids[key] = receipt
        self._record(kind, body, True, duplicate=first is not None)
        return receipt if first is None else first

    def held(self) -> None:
        """Hold an answer while ``hold`` says so (the message already recorded)."""
        end = time.monotonic() + self.hold
        while self.hold and time.monotonic() < end:
            time.sleep(0.01)

    def _record(self, kind: str, body: dict, ok: bool, duplicate: bool = False) -> None:
        entry = {"kind": kind, "at": time.time(), "ok": ok, "body": body}
        if duplicate:
            entry["duplicate"] = True
        with self.lock:
            self.requests.append(entry)
            if self.log:
                with self.log.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def _failing(self) -> bool:
        with self.lock:
            if self.fail == 0:
                return False
            if self.fail > 0:
                self.fail -= 1
            return True

    def province_push(self, body: dict) -> tuple[int, dict]:
        """The province's answer to a push (kept once by its ``dataKey``)."""
        if self.province_secret and not signing.verify(
            {**province.signed_params(body), "Signature": body.get("Signature", "")},
            self.province_secret,
        ):
            self._record("province", body, False)
            return 200, {"code": "401", "msg": "签名校验失败"}
        if self._failing():
            self._record("province", body, False)
            return 503, {"code": "503", "msg": "服务暂不可用"}
        key = str(body.get("dataKey", ""))
        if not key or not isinstance(body.get("data"), dict):
            self._record("province", body, False)
            return 200, {"code": "400", "msg": "缺少dataKey或data"}
        with self.lock:
            kept = self.province.get(key)
            if kept is None:
                kept = self.province[key] = {
                    "ackId": "P" + uuid.uuid4().hex[:16],
                    "dataType": body.get("dataType"),
                    "data": body["data"],
                }
        self._record("province", body, True)
        duplicate = kept["data"] is not body["data"]
        return 200, {"code": "0", "msg": "成功", "ackId": kept["ackId"], "duplicate": duplicate}

    def reply(self, phone: str, text: str) -> dict:
        params = {
            "PhoneNumber": phone,
            "Content": text,
            "SendTime": time.strftime("%Y-%m-%d %H:%M:%S"),
            "AccessKeyId": "callback",
            "SignatureNonce": uuid.uuid4().hex,
        }
        params["Signature"] = signing.sign(params, self.secret)
        request = Request(
            self.callback_url,
            data=json.dumps(params, ensure_ascii=False).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urlopen(request, timeout=5) as answer:
            return json.loads(answer.read().decode())

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: a worker's batch on one connection

            def setup(self):
                super().setup()
                # headers and body are two writes: without this, Nagle's algorithm and
                # the client's delayed ACK hold every answer on a kept connection ~40 ms
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args):  # quiet
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length).decode() or "{}")
                except ValueError:
                    return {}
                return body if isinstance(body, dict) else {}

            def do_GET(self):
                url = urlsplit(self.path)
                if url.path == "/_requests":
                    if parse_qs(url.query).get("delivered"):
                        return self._json(200, {"requests": gateway.delivered()})
                    return self._json(200, {"requests": gateway.sent()})
                if url.path == "/province/records":
                    with gateway.lock:
                        held = dict(gateway.province)
                    return self._json(200, {"records": held})
                if url.path == "/wechat/cgi-bin/token":
                    query = parse_qs(url.query)
                    if not query.get("appid"):
                        return self._json(200, {"errcode": 40013, "errmsg": "invalid appid"})
                    return self._json(
                        200, {"access_token": "fake-" + uuid.uuid4().hex, "expires_in": 7200}
                    )
                return self._json(404, {"error": "not found"})

            def do_POST(self):
                url = urlsplit(self.path)
                body = self._body()
                if url.path == "/_control":
                    with gateway.lock:
                        gateway.fail = int(body.get("fail", gateway.fail))
                        gateway.delay = float(body.get("delay", gateway.delay))
                        gateway.reject = set(body.get("reject", gateway.reject))
                        gateway.hold = float(body.get("hold", gateway.hold))
                    return self._json(200, {"ok": True})
                if url.path == "/_reset":
                    gateway.reset()
                    return self._json(200, {"ok": True})
                if url.path == "/_reply":
                    return self._json(
                        200, gateway.reply(str(body.get("phone", "")), str(body.get("text", "")))
                    )
                if gateway.delay:
                    time.sleep(gateway.delay)
                if url.path == "/province/push":
                    return self._json(*gateway.province_push(body))
                if url.path == "/sms/send":
                    if gateway.secret and not signing.verify(body, gateway.secret):
                        gateway._record("sms", body, False)
                        return self._json(
                            200,
                            {
                                "Code": "SignatureDoesNotMatch",
                                "Message": "Specified signature is not matched",
                            },
                        )
                    if gateway._failing():
                        gateway._record("sms", body, False)
                        return self._json(500, {"Code": "ServiceUnavailable"})
                    if body.get("PhoneNumbers") in gateway.reject:
                        gateway._record("sms", body, False)
                        return self._json(
                            200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
                        )
                    biz_id = gateway.deliver_once(
                        "sms",
                        str(body.get("PhoneNumbers", "")),
                        str(body.get("OutId", "")),
                        body,
                        uuid.uuid4().hex[:20],
                    )
                    gateway.held()
                    return self._json(
                        200,
                        {
                            "Code": "OK",
                            "Message": "OK",
                            "BizId": biz_id,
                            "RequestId": uuid.uuid4().hex,
                        },
                    )
                if url.path == "/wechat/cgi-bin/message/template/send":
                    if gateway._failing():
                        gateway._record("wechat", body, False)
                        return self._json(200, {"errcode": -1, "errmsg": "system error"})
                    msgid = gateway.deliver_once(
                        "wechat",
                        str(body.get("touser", "")),
                        str(body.get("client_msg_id", "")),
                        body,
                        time.time_ns() // 1000,
                    )
                    gateway.held()
                    return self._json(200, {"errcode": 0, "errmsg": "ok", "msgid": msgid})
                return self._json(404, {"error": "not found"})

        return Handler
