"""A simulator of the terminal's local device service (docs/terminal-devices.md): a real
HTTP server on 127.0.0.1 speaking the protocol the terminal's pages use, with the
identity card "on the reader" and the page "under the camera" set by whoever runs it.
Standard library only; no Django.

    GET  /status          → {"protocol": 1, "terminal": "LX-SIM-01", "idcard": {...},
                             "camera": {...}}
    POST /idcard/read     → {"ok": true, "card": {"name", "number", "sex", "ethnicity",
                             "birth", "address", "issuer", "valid", "photo": null}}
                            or {"ok": false, "code": "idcard.no_card", "message": …} (409)
    POST /camera/capture  → {"ok": true, "image": {"type": "image/png", "width", "height",
                             "data": base64}} or {"ok": false, …} (409)

Every answer carries CORS headers for the terminal's origin (``*`` by default) and
answers the Private Network Access preflight, since the page is served by the center's
server and the service listens on the terminal's loopback address.
"""

from __future__ import annotations

import base64
import json
import struct
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROTOCOL = 1
DEFAULT_PORT = 17890
# The simulated terminal's device code (the audit trail names the terminal by it).
SIMULATOR_TERMINAL = "LX-SIM-01"
# A test card (the number's check digit is right): the demo's 马阿丽.
DEMO_CARD = {
    "name": "马阿丽",
    "number": "622921199203040029",
    "sex": "女",
    "ethnicity": "回",
    "birth": "1992-03-04",
    "address": "甘肃省临夏州临夏县韩集镇阳山村",
    "issuer": "临夏县公安局",
    "valid": "2016.05.01-2036.05.01",
    "photo": None,
}


def png(width: int, height: int, rows) -> bytes:
    """A greyscale PNG from rows of byte values (a tiny writer: no imaging library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def sample_page(width: int = 210, height: int = 297) -> bytes:
    """A "photographed page": white paper with grey text lines, as a camera gives it."""
    rows = []
    for y in range(height):
        line = 20 <= y % 24 <= 22 and 20 < y < height - 30
        rows.append([90 if line and 18 <= x < width - 18 else 250 for x in range(width)])
    return png(width, height, rows)


@dataclass
class DeviceState:
    """What the simulated devices hold; change it while the server runs."""

    card: dict | None = field(default_factory=lambda: dict(DEMO_CARD))
    terminal: str = SIMULATOR_TERMINAL
    idcard_present: bool = True
    camera_present: bool = True
    paper: bool = True
    allow_origin: str = "*"
    reads: int = 0
    captures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def status(self) -> dict:
        return {
            "protocol": PROTOCOL,
            "terminal": self.terminal,
            "idcard": {"present": self.idcard_present, "card": self.card is not None},
            "camera": {"present": self.camera_present},
        }


def _handler(state: DeviceState):
    class Handler(BaseHTTPRequestHandler):
        server_version = "OneWindowDeviceSimulator/1"

        def log_message(self, format, *args):  # noqa: A002  (quiet: tests run it)
            return

        def _cors(self) -> None:
            self.send_header("Access-Control-Allow-Origin", state.allow_origin)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Access-Control-Allow-Private-Network", "true")
            self.send_header("Access-Control-Max-Age", "600")

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self._cors()
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _refuse(self, status: int, code: str, message: str) -> None:
            self._answer(status, {"ok": False, "code": code, "message": message})

        def do_OPTIONS(self):  # noqa: N802
            self.send_response(204)
            self._cors()
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            if self.path.split("?")[0] == "/status":
                self._answer(200, {"ok": True, **state.status()})
            else:
                self._refuse(404, "device.unknown", "没有这个接口。")

        def do_POST(self):  # noqa: N802
            length = min(int(self.headers.get("Content-Length") or 0), 4096)
            if length:
                self.rfile.read(length)
            path = self.path.split("?")[0]
            with state.lock:
                if path == "/idcard/read":
                    self._read_card()
                elif path == "/camera/capture":
                    self._capture()
                else:
                    self._refuse(404, "device.unknown", "没有这个接口。")

        def _read_card(self) -> None:
            if not state.idcard_present:
                self._refuse(503, "idcard.absent", "未连接身份证读卡器。")
            elif state.card is None:
                self._refuse(409, "idcard.no_card", "请将身份证放在读卡区。")
            else:
                state.reads += 1
                self._answer(200, {"ok": True, "card": dict(state.card)})

        def _capture(self) -> None:
            if not state.camera_present:
                self._refuse(503, "camera.absent", "未连接高拍仪。")
            elif not state.paper:
                self._refuse(409, "camera.no_paper", "请将材料放在高拍仪下。")
            else:
                state.captures += 1
                data = sample_page()
                image = {"type": "image/png", "width": 210, "height": 297}
                image["data"] = base64.b64encode(data).decode()
                self._answer(200, {"ok": True, "image": image})

    return Handler


class DeviceSimulator:
    """The simulator as a server object: ``start()`` in a thread, ``url``, ``stop()``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, state: DeviceState | None = None):
        self.state = state or DeviceState()
        self.server = ThreadingHTTPServer((host, port), _handler(self.state))
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> DeviceSimulator:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
