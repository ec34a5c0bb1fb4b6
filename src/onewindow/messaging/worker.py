"""Delivering the outbox: ``onewindow send-messages`` (``--once`` or long-running).

A worker claims due messages by writing its name and a lease (``claimed_by``,
``claimed_until``) on them: on PostgreSQL it picks them with ``SELECT … FOR UPDATE SKIP
LOCKED`` (workers never wait for each other), on SQLite by one conditional ``UPDATE``
(writes are serialized). A message is sent only by the worker whose claim it carries;
a worker that dies mid-send leaves a claim that lapses after the lease, and the
message is sent by the next.

Each attempt is an ``Attempt`` row. A failed attempt is tried again after a backoff
that doubles (``BACKOFF_SECONDS`` · 2^(n−1), at most ``BACKOFF_MAX_SECONDS``); after
``MAX_ATTEMPTS`` failures in a row the message is parked and listed for the center's
administrators (``messaging:parked``), who may send it again.
"""

from __future__ import annotations

import os
import socket
import time as systime
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q

from onewindow.core.clock import now as clock_now
from onewindow.messaging.gateways import GatewayError, gateway_for
from onewindow.messaging.models import Attempt, Message
from onewindow.messaging.outbox import conf, in_quiet_hours, is_refused, quiet_end


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"[:64]


def backoff(failures: int) -> timedelta:
    seconds = conf("BACKOFF_SECONDS") * 2 ** max(0, failures - 1)
    return timedelta(seconds=min(seconds, conf("BACKOFF_MAX_SECONDS")))


def _free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim(*, worker: str, now: datetime | None = None, batch: int = 20) -> list[int]:
    """Claim up to ``batch`` due messages for ``worker``; their ids."""
    now = clock_now(now)
    until = now + timedelta(seconds=conf("LEASE_SECONDS"))
    due = (
        Message.objects.filter(state=Message.State.PENDING, next_at__lte=now)
        .filter(_free(now))
        .order_by("next_at", "pk")
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch])
            if not ids:
                return []
            Message.objects.filter(pk__in=ids).update(claimed_by=worker, claimed_until=until)
            return ids
        ids = list(due.values_list("pk", flat=True)[:batch])
        Message.objects.filter(pk__in=ids).filter(_free(now)).update(
            claimed_by=worker, claimed_until=until
        )
    return list(
        Message.objects.filter(pk__in=ids, claimed_by=worker, claimed_until=until).values_list(
            "pk", flat=True
        )
    )


def _release(message: Message, **fields) -> None:
    fields.update(claimed_by="", claimed_until=None)
    Message.objects.filter(pk=message.pk, claimed_by=message.claimed_by).update(**fields)


def deliver(pk: int, *, worker: str, now: datetime | None = None) -> str:
    """Send one claimed message; what happened (sent, failed, parked, deferred, refused,
    skipped)."""
    now = clock_now(now)
    message = Message.objects.filter(pk=pk, claimed_by=worker, state=Message.State.PENDING).first()
    if message is None:
        return "skipped"
    if message.channel != Message.Channel.INAPP and not message.urgent:
        if is_refused(message.phone):
            _release(message, state=Message.State.REFUSED)
            return "refused"
        if in_quiet_hours(now):
            _release(message, next_at=quiet_end(now))
            return "deferred"
    started = systime.perf_counter()
    try:
        receipt, ok = gateway_for(message.channel).send(message), True
    except GatewayError as exc:
        receipt, ok = str(exc), False
    millis = int((systime.perf_counter() - started) * 1000)
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=pk)
        number = locked.attempts + 1
        Attempt.objects.create(
            message=locked,
            number=number,
            worker=worker,
            at=now,
            ok=ok,
            answer=receipt[:300],
            millis=millis,
        )
        locked.attempts, locked.claimed_by, locked.claimed_until = number, "", None
        if ok:
            locked.state, locked.sent_at, locked.receipt = Message.State.SENT, now, receipt[:80]
            locked.failures, outcome = 0, "sent"
        else:
            locked.failures += 1
            locked.last_error = receipt[:300]
            if locked.failures >= conf("MAX_ATTEMPTS"):
                locked.state, outcome = Message.State.PARKED, "parked"
            else:
                locked.next_at, outcome = now + backoff(locked.failures), "failed"
        locked.save()
    return outcome


@dataclass
class Pass:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    def summary(self) -> str:
        names = {
            "sent": "已发送",
            "failed": "失败待重试",
            "parked": "暂停",
            "deferred": "免打扰顺延",
            "refused": "已退订",
            "skipped": "跳过",
        }
        parts = [f"{names[k]} {v} 条" for k, v in sorted(self.counts.items())]
        return "消息发送：" + ("，".join(parts) if parts else "没有待发送的消息") + "。"


def run_once(*, worker: str | None = None, now: datetime | None = None, batch: int = 20) -> Pass:
    """Send everything due now (claiming batch after batch) and return."""
    worker = worker or worker_name()
    result = Pass()
    while True:
        ids = claim(worker=worker, now=now, batch=batch)
        if not ids:
            return result
        for pk in ids:
            result.add(deliver(pk, worker=worker, now=now))


def run_forever(*, idle_seconds: float = 2.0, batch: int = 20, stop=lambda: False) -> None:
    worker = worker_name()
    while not stop():
        if not run_once(worker=worker, batch=batch).counts:
            systime.sleep(idle_seconds)
