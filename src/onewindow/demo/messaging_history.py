"""Messages in the Linxia demo (R-MSG-1): what the demo's history wrote to the outbox
(its tickets called, cases received, accepted, ready and delivered, complaints
received) is sent through the local fake gateway, started here on a free port of
127.0.0.1 and logging every request to ``fake-gateway-demo.jsonl`` in the data
directory; one citizen has refused messages by replying TD; one message, to a number the
provider rejects, fails five times and is parked for 临夏县's center administrator.

Messages the history wrote long ago are sent at the demo's clock as one batch (their
rows keep the time they were written). Idempotent: once an attempt exists, nothing."""

from __future__ import annotations

import copy
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.test import override_settings

from onewindow.core import clock
from onewindow.messaging import gateways, services, worker
from onewindow.messaging.fakegateway import FakeGateway
from onewindow.messaging.models import Attempt, Message
from onewindow.messaging.outbox import enqueue, in_quiet_hours, quiet_end
from onewindow.org.models import Center

REFUSER = "13909300099"
REJECTED = "13900000000"  # an illegal number: the provider refuses it every time


def load() -> int:
    if Attempt.objects.exists():
        return 0
    # sent in the day, its five passes (half an hour) clear of the quiet hours
    now = quiet_end(clock.now())
    if in_quiet_hours(now + timedelta(hours=1)):
        now = quiet_end(now + timedelta(hours=1))
    conf = copy.deepcopy(settings.MESSAGING)
    secret = conf["GATEWAYS"]["sms"]["secret"]
    log = settings.DATA_DIR / "fake-gateway-demo.jsonl"
    province = conf["GATEWAYS"]["province"]
    fake = FakeGateway(secret=secret, log=log, province_secret=province["secret"]).start()
    fake.reject = {REJECTED}
    conf["GATEWAYS"]["sms"]["url"] = fake.url + "/sms/send"
    conf["GATEWAYS"]["wechat"]["base_url"] = fake.url + "/wechat"
    province["url"] = fake.url + "/province/push"  # the cases' pushes (R-MSG-3)
    county = Center.objects.filter(code="C622921").first()
    try:
        with override_settings(MESSAGING=conf):
            gateways.reset()
            services.inbound_reply(phone=REFUSER, text="TD", now=now)
            with transaction.atomic():
                enqueue(
                    key="demo:refused",
                    template="case_ready",
                    params={"number": "622921演示0001", "center": "临夏县政务服务中心"},
                    phone=REFUSER,
                    center=county,
                    now=now,
                )
                enqueue(
                    key="demo:rejected",
                    template="case_ready",
                    params={"number": "622921演示0002", "center": "临夏县政务服务中心"},
                    phone=REJECTED,
                    center=county,
                    now=now,
                )
            at = now
            for _ in range(settings.MESSAGING["MAX_ATTEMPTS"]):
                worker.run_once(worker="demo", now=at, batch=200)
                at += worker.backoff(settings.MESSAGING["MAX_ATTEMPTS"])
    finally:
        gateways.reset()
        fake.stop()
    return Message.objects.count()
