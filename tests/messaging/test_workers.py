"""Two workers at once never send one message twice (R-MSG-1): real threads, each with
its own connection (``SKIP LOCKED`` on PostgreSQL, the conditional claim on SQLite);
a worker process killed after its messages reached the gateway and before it recorded
them: the next worker sends them again under the same keys and the citizen gets each
once; a citizen's reply word through the fake gateway's callback refuses further
messages."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from collections import Counter
from datetime import timedelta
from urllib.request import Request, urlopen

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.urls import reverse

from onewindow.messaging import worker
from onewindow.messaging.models import Attempt, Message, Refusal
from onewindow.messaging.outbox import enqueue
from tests.hall.test_concurrency import run_threads
from tests.messaging.conftest import control, local

pytestmark = pytest.mark.django_db(transaction=True)

DAY = local(2026, 3, 2, 10, 0)
N = 60


def fill(n: int) -> list[str]:
    with transaction.atomic():
        for i in range(n):
            enqueue(
                key=f"m{i}",
                template="case_ready",
                phone=f"1390930{i:04d}",
                now=DAY,
                params={"number": f"LX{i:05d}", "center": "临夏县政务服务中心"},
            )
    return [f"m{i}" for i in range(n)]


def test_r_msg_1_two_workers_at_once_never_send_one_message_twice(gateway):
    fill(N)
    control(gateway, delay=0.005)
    start = threading.Barrier(2)
    done: dict[str, Counter] = {}

    def work(name):
        def run():
            start.wait()
            done[name] = Counter(worker.run_once(worker=name, now=DAY, batch=5).counts)

        return run

    run_threads([work("w1"), work("w2")])
    sent = Counter(r["body"]["OutId"] for r in gateway.sent("sms"))
    assert len(sent) == N and set(sent.values()) == {1}
    assert done["w1"]["sent"] + done["w2"]["sent"] == N
    assert done["w1"]["sent"] > 0 and done["w2"]["sent"] > 0  # both worked, none twice
    assert Message.objects.filter(state="sent").count() == N
    assert Attempt.objects.count() == N
    by_worker = Counter(Attempt.objects.values_list("worker", flat=True))
    assert by_worker == Counter({"w1": done["w1"]["sent"], "w2": done["w2"]["sent"]})


def _doomed_worker() -> None:
    """A worker in a process of its own (forked: the test's settings and database)."""
    connections.close_all()  # the parent's connection is not this process's
    worker.run_once(worker="doomed", now=DAY)


def test_r_msg_1_a_worker_killed_mid_send_the_citizen_gets_each_message_once(gateway):
    keys = fill(5)
    control(gateway, hold=30)  # the gateway takes the messages and holds its answers
    connections.close_all()
    doomed = multiprocessing.get_context("fork").Process(target=_doomed_worker)
    doomed.start()
    try:
        deadline = time.monotonic() + 20
        while len(gateway.sent("sms")) < len(keys) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sorted(r["body"]["OutId"] for r in gateway.sent("sms")) == sorted(keys)
    finally:
        doomed.kill()  # SIGKILL: sent, never recorded
        doomed.join(10)
    control(gateway, hold=0)
    assert doomed.exitcode == -9
    assert set(Message.objects.values_list("state", "claimed_by")) == {("pending", "doomed")}
    assert Attempt.objects.count() == 0
    first = {r["body"]["OutId"]: r for r in gateway.sent("sms")}

    # the lease lapses; the next worker sends them again, under the same keys
    later = DAY + timedelta(seconds=61)
    assert worker.run_once(worker="w2", now=later).counts == {"sent": len(keys)}
    requests = Counter(r["body"]["OutId"] for r in gateway.sent("sms"))
    assert requests == Counter({key: 2 for key in keys})
    delivered = Counter(
        (r["body"]["PhoneNumbers"], r["body"]["OutId"]) for r in gateway.delivered("sms")
    )
    assert len(delivered) == len(keys) and set(delivered.values()) == {1}
    for message in Message.objects.all():
        assert (message.state, message.attempts) == ("sent", 1)
        # the gateway answered the repeat as the delivery it made before: its receipt
        assert first[message.key]["ok"] is True
        assert message.receipt == gateway.delivered_ids["sms", message.phone, message.key]
        assert message.attempt_rows.get().worker == "w2"
    # a key the gateway never saw is delivered: the dedup is by key, not by phone
    with transaction.atomic():
        enqueue(
            key="m0-again",
            template="case_ready",
            phone="13909300000",
            now=later,
            params={"number": "LX00000", "center": "临夏县政务服务中心"},
        )
    assert worker.run_once(worker="w2", now=later).counts == {"sent": 1}
    assert len(gateway.delivered("sms")) == len(keys) + 1


def test_r_msg_1_the_command_sends_what_is_due_once(gateway, settings, capsys):
    settings.MESSAGING["QUIET_HOURS"] = (0, 0)  # no quiet hours: the run's clock is real
    fill(3)
    call_command("send_messages", "--once")
    assert capsys.readouterr().out.strip() == "消息发送：已发送 3 条。"
    assert len(gateway.sent("sms")) == 3
    call_command("send_messages", "--once")
    assert capsys.readouterr().out.strip() == "消息发送：没有待发送的消息。"


def test_r_msg_1_a_reply_word_through_the_gateway_callback_refuses_messages(
    gateway, live_server, client
):
    gateway.callback_url = live_server.url + reverse("messaging:sms_inbound")
    phone = "13909300007"
    request = Request(
        gateway.url + "/_reply",
        data=json.dumps({"phone": phone, "text": "TD"}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read()) == {"Code": "OK"}
    assert Refusal.objects.get(phone=phone).source == "reply"
    with transaction.atomic():
        refused = enqueue(
            key="r",
            template="case_ready",
            phone=phone,
            now=DAY,
            params={"number": "LX1", "center": "临夏县政务服务中心"},
        )
    assert refused.state == "refused"
    # an unsigned (or wrongly signed) callback changes nothing
    forged = {"PhoneNumber": "13909300008", "Content": "TD", "Signature": "x"}
    answer = client.post(reverse("messaging:sms_inbound"), forged, content_type="application/json")
    assert answer.status_code == 403
    assert not Refusal.objects.filter(phone="13909300008").exists()
    # a reply that is no refusal word refuses nothing
    gateway.reply("13909300009", "谢谢")
    assert not Refusal.objects.filter(phone="13909300009").exists()
