"""The fake gateway (a real HTTP server on 127.0.0.1, a free port) and settings that
point the gateways at it; times of day in the center's time zone."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from urllib.request import Request, urlopen

import pytest
from django.utils import timezone

from onewindow.messaging import gateways
from onewindow.messaging.fakegateway import FakeGateway

SECRET = "test-sms-secret"
PROVINCE_SECRET = "test-province-secret"


def local(*args) -> datetime:
    """An aware time in the center's zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime(*args))


def control(gateway: FakeGateway, **body) -> None:
    request = Request(
        gateway.url + "/_control",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urlopen(request, timeout=5) as answer:
        assert json.loads(answer.read())["ok"] is True


@pytest.fixture(scope="module")
def fake_gateway():
    gateway = FakeGateway(secret=SECRET, province_secret=PROVINCE_SECRET).start()
    yield gateway
    gateway.stop()


@pytest.fixture
def gateway(fake_gateway, settings):
    fake_gateway.reset()
    conf = copy.deepcopy(settings.MESSAGING)
    conf["GATEWAYS"]["sms"].update(url=fake_gateway.url + "/sms/send", secret=SECRET)
    conf["GATEWAYS"]["wechat"].update(base_url=fake_gateway.url + "/wechat")
    conf["GATEWAYS"]["province"].update(
        url=fake_gateway.url + "/province/push", secret=PROVINCE_SECRET
    )
    settings.MESSAGING = conf
    gateways.reset()
    yield fake_gateway
    gateways.reset()
