"""The provincial exchange in the Linxia demo (R-MSG-3): the demo's case steps and reviews
filed through the services were pushed in their own transactions (and sent with the
demo's messages); the records its history wrote around the services (default reviews,
cases loaded as history) of its last two weeks are pushed here
(``exchange.push_missing``; older ones are left for the reconciliation page to show as
not pushed), and every push is
sent to the local fake province (a real HTTP server on 127.0.0.1, started here, logging
to ``fake-province-demo.jsonl`` in the data directory), which acknowledges each once.
Idempotent: with nothing unpushed and nothing pending, nothing."""

from __future__ import annotations

import copy
from datetime import timedelta

from django.conf import settings
from django.test import override_settings

from onewindow.cases.models import Case
from onewindow.core import clock
from onewindow.evaluation.models import Review
from onewindow.messaging import exchange, gateways, worker
from onewindow.messaging.fakegateway import FakeGateway
from onewindow.messaging.models import Message
from onewindow.messaging.outbox import in_quiet_hours, quiet_end

# the history's records of the last days are pushed; older ones stay "not pushed" on the
# reconciliation page (as a center's records from before its exchange began would)
RECENT_DAYS = 14


def _pending():
    return Message.objects.filter(state=Message.State.PENDING)


def load(now=None) -> int:
    now = clock.now(now)
    since = now - timedelta(days=RECENT_DAYS)
    recent_cases = Case.objects.filter(received_at__gte=since)
    recent_reviews = Review.objects.filter(created_at__gte=since)
    nothing_new = (
        not exchange.unpushed_cases(recent_cases).exists()
        and not exchange.unpushed_reviews(recent_reviews).exists()
    )
    if nothing_new and not _pending().filter(channel=Message.Channel.PROVINCE).exists():
        return 0
    cases, reviews = exchange.push_missing(cases=recent_cases, reviews=recent_reviews, now=now)
    now = quiet_end(now)
    if in_quiet_hours(now + timedelta(hours=1)):
        now = quiet_end(now + timedelta(hours=1))
    conf = copy.deepcopy(settings.MESSAGING)
    province = conf["GATEWAYS"]["province"]
    log = settings.DATA_DIR / "fake-province-demo.jsonl"
    fake = FakeGateway(
        secret=conf["GATEWAYS"]["sms"]["secret"], province_secret=province["secret"], log=log
    ).start()
    province["url"] = fake.url + "/province/push"
    conf["GATEWAYS"]["sms"]["url"] = fake.url + "/sms/send"
    conf["GATEWAYS"]["wechat"]["base_url"] = fake.url + "/wechat"
    try:
        with override_settings(MESSAGING=conf):
            gateways.reset()
            worker.run_once(worker="demo-exchange", now=now, batch=200)
    finally:
        gateways.reset()
        fake.stop()
    return cases + reviews
