"""``onewindow fake-gateway``: the local fake SMS and WeChat gateway (messaging/fakegateway.py)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from onewindow.core.links import public_reverse
from onewindow.messaging.fakegateway import FakeGateway


class Command(BaseCommand):
    help = "启动本地模拟短信、微信网关和省级数据交换接口（记录收到的每个请求）"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--log", default=str(settings.DATA_DIR / "fake-gateway.jsonl"))

    def handle(self, *args, port=8025, log="", **options):
        gateway = FakeGateway(
            port=port,
            secret=settings.MESSAGING["GATEWAYS"]["sms"]["secret"],
            callback_url=public_reverse("messaging:sms_inbound"),
            log=log,
            province_secret=settings.MESSAGING["GATEWAYS"]["province"]["secret"],
        ).start()
        self.stdout.write(f"模拟网关已启动：{gateway.url}（请求记录：{log}）")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            gateway.stop()
