"""Delivering the outbox: ``onewindow send-messages`` (``--once`` or long-running).

A worker claims due messages by writing its name and a lease (``claimed_by``,
``claimed_until``) on them: on PostgreSQL it picks them with ``SELECT … FOR UPDATE SKIP
LOCKED`` (workers never wait for each other), on SQLite by one conditional ``UPDATE``
(writes are serialized). A batch is claimed and read in one transaction; a message is
sent only by the worker whose claim it carries; a worker that dies mid-send leaves a
claim that lapses after the lease, and the message is sent by the next, under the same
key: the SMS and WeChat requests carry it as the caller's id of the message (``OutId``,
``client_msg_id``) and the province's as ``dataKey``, so a gateway that drops a
repeated id (the province, WeChat, the fake gateway) delivers it once.

Each attempt is an ``Attempt`` row, written with the message's new state in one short
transaction right after the group's gateway answers (``record``: the messages updated
on the condition that the claim is still this worker's, the attempts inserted, each
statement prepared once and run for the whole group). A failed
attempt is tried again after a backoff that doubles (``BACKOFF_SECONDS`` · 2^(n−1), at
most ``BACKOFF_MAX_SECONDS``); after ``MAX_ATTEMPTS`` failures in a row the message is
parked and listed for the center's administrators (``messaging:parked``), who may send
it again. The gateways keep their HTTP connection open between requests
(``gateways/http.py``).
"""

from __future__ import annotations

import os
import socket
import time as systime
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Q

from onewindow.core.clock import now as clock_now
from onewindow.messaging.gateways import GatewayError, gateway_for
from onewindow.messaging.models import Attempt, Message, Refusal
from onewindow.messaging.outbox import PERSONAL, conf, in_quiet_hours, quiet_end

# a group: sent at once on the sending threads, its attempts written in one transaction
# (a worker killed before writing them leaves its messages claimed: they are sent again
# after the lease, under the same key, which the gateways and the province dedup by)
GROUP = 8
SENDERS = 4


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"[:64]


def backoff(failures: int) -> timedelta:
    seconds = conf("BACKOFF_SECONDS") * 2 ** max(0, failures - 1)
    return timedelta(seconds=min(seconds, conf("BACKOFF_MAX_SECONDS")))


def _free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim_messages(*, worker: str, now: datetime | None = None, batch: int = 20) -> list[Message]:
    """Claim up to ``batch`` due messages for ``worker`` and read them, in one transaction."""
    now = clock_now(now)
    until = now + timedelta(seconds=conf("LEASE_SECONDS"))
    due = (
        Message.objects.filter(state=Message.State.PENDING, next_at__lte=now)
        .filter(_free(now))
        .order_by("next_at", "pk")
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            rows = list(due.select_for_update(skip_locked=True)[:batch])
            if rows:
                Message.objects.filter(pk__in=[m.pk for m in rows]).update(
                    claimed_by=worker, claimed_until=until
                )
            for message in rows:
                message.claimed_by, message.claimed_until = worker, until
            return rows
        ids = list(due.values_list("pk", flat=True)[:batch])
        if not ids:
            return []
        Message.objects.filter(pk__in=ids).filter(_free(now)).update(
            claimed_by=worker, claimed_until=until
        )
        return list(
            Message.objects.filter(pk__in=ids, claimed_by=worker, claimed_until=until).order_by(
                "next_at", "pk"
            )
        )


def claim(*, worker: str, now: datetime | None = None, batch: int = 20) -> list[int]:
    """Claim up to ``batch`` due messages for ``worker``; their ids."""
    return [m.pk for m in claim_messages(worker=worker, now=now, batch=batch)]


def _release(message: Message, **fields) -> None:
    fields.update(claimed_by="", claimed_until=None)
    Message.objects.filter(pk=message.pk, claimed_by=message.claimed_by).update(**fields)


@dataclass
class Tried:
    """One attempt made and not yet written."""

    message: Message
    at: datetime
    ok: bool
    answer: str
    millis: int


def _outcome(tried: Tried) -> str:
    """Set the failed message's new state (in memory) after the attempt; what happened."""
    message, now = tried.message, tried.at
    message.failures += 1
    message.last_error = tried.answer[:300]
    if message.failures >= conf("MAX_ATTEMPTS"):
        message.state = Message.State.PARKED
        return "parked"
    message.next_at = now + backoff(message.failures)
    return "failed"


_SQL: dict[tuple[str, str], str] = {}


def _sql(name: str) -> str:
    """One of the three statements ``record`` runs, by name (built once per database:
    compiling the ORM's conditional update of a group cost more than running it)."""
    if (connection.vendor, name) in _SQL:
        return _SQL[connection.vendor, name]
    q = connection.ops.quote_name

    def col(model, field):
        return q(model._meta.get_field(field).column)

    m = {
        field: col(Message, field)
        for field in (
            "id",
            "state",
            "sent_at",
            "failures",
            "receipt",
            "claimed_by",
            "claimed_until",
            "attempts",
            "last_error",
            "next_at",
        )
    }
    table = q(Message._meta.db_table)
    release = (
        f"{m['claimed_by']} = '', {m['claimed_until']} = NULL, "
        f"{m['attempts']} = {m['attempts']} + 1"
    )
    mine = f"WHERE {m['id']} = %s AND {m['claimed_by']} = %s AND {m['state']} = 'pending'"
    columns = ("message", "number", "worker", "at", "ok", "answer", "millis")
    statements = {
        "sent": f"UPDATE {table} SET {m['state']} = 'sent', {m['sent_at']} = %s, "
        f"{m['failures']} = 0, {m['receipt']} = %s, {release} {mine}",
        "failed": f"UPDATE {table} SET {m['state']} = %s, {m['failures']} = %s, "
        f"{m['last_error']} = %s, {m['next_at']} = %s, {release} {mine}",
        "attempts": f"INSERT INTO {q(Attempt._meta.db_table)} "
        f"({', '.join(col(Attempt, c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})",
    }
    for key, sql in statements.items():
        _SQL[connection.vendor, key] = sql
    return _SQL[connection.vendor, name]


def record(tried: list[Tried], *, worker: str) -> list[str]:
    """The attempts and their messages' new states, in one transaction (a group commit:
    one commit for the messages of a group sent together), in three statements whatever
    the group's size: the sent messages updated (each its gateway's receipt) and the
    failed ones (each its new state and next time) on the condition that they are still
    under this worker's claim, the attempts inserted; each statement prepared once and
    run for the whole group (``executemany``). A message whose claim lapsed meanwhile
    (never by design: see ``run_once``) has its attempt recorded all the same."""
    if not tried:
        return []
    outcomes = ["sent" if one.ok else _outcome(one) for one in tried]
    when = connection.ops.adapt_datetimefield_value
    sent = [(when(one.at), one.answer[:80], one.message.pk, worker) for one in tried if one.ok]
    failed = [
        (m.state, m.failures, m.last_error, when(m.next_at), m.pk, worker)
        for m in (one.message for one in tried if not one.ok)
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        held = 0
        for name, rows in (("sent", sent), ("failed", failed)):
            if rows:
                cursor.executemany(_sql(name), rows)
                held += cursor.rowcount
        numbers = {one.message.pk: one.message.attempts + 1 for one in tried}
        if held < len(tried):  # a claim lapsed: number the attempts by those recorded
            counted = dict(
                Attempt.objects.filter(message_id__in=numbers)
                .values_list("message_id")
                .annotate(n=Count("pk"))
            )
            for pk in numbers:
                numbers[pk] = counted.get(pk, 0) + 1
                Message.objects.filter(pk=pk).update(attempts=numbers[pk])
        cursor.executemany(
            _sql("attempts"),
            [
                (
                    one.message.pk,
                    numbers[one.message.pk],
                    worker,
                    when(one.at),
                    one.ok,
                    one.answer[:300],
                    one.millis,
                )
                for one in tried
            ],
        )
    return outcomes


def _send(message: Message, now: datetime) -> Tried:
    """The gateway's call (no database: run by the sending threads)."""
    started = systime.perf_counter()
    try:
        answer, ok = gateway_for(message.channel).send(message), True
    except GatewayError as exc:
        answer, ok = str(exc), False
    return Tried(message, now, ok, answer, int((systime.perf_counter() - started) * 1000))


def _hold(message: Message, *, now: datetime, refused: set[str]) -> str:
    """Whether a claimed message goes to its gateway now ("send"), or is kept from it:
    refused, deferred by the quiet hours."""
    if message.channel in PERSONAL and not message.urgent:
        if message.phone in refused:
            _release(message, state=Message.State.REFUSED)
            return "refused"
        if in_quiet_hours(now):
            _release(message, next_at=quiet_end(now))
            return "deferred"
    return "send"


def _refused(messages: list[Message]) -> set[str]:
    phones = {m.phone for m in messages if m.phone and m.channel in PERSONAL and not m.urgent}
    if not phones:
        return set()
    return set(Refusal.objects.filter(phone__in=phones).values_list("phone", flat=True))


def deliver(pk: int, *, worker: str, now: datetime | None = None) -> str:
    """Send one claimed message; what happened (sent, failed, parked, deferred, refused,
    skipped)."""
    message = Message.objects.filter(pk=pk, claimed_by=worker, state=Message.State.PENDING).first()
    if message is None:
        return "skipped"
    now = clock_now(now)
    held = _hold(message, now=now, refused=_refused([message]))
    return held if held != "send" else record([_send(message, now)], worker=worker)[0]


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


def _groups(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run_once(*, worker: str | None = None, now: datetime | None = None, batch: int = 20) -> Pass:
    """Send everything due now (claiming batch after batch) and return.

    A batch is sent in groups of ``GROUP`` messages: the group's requests go out at
    once, on ``SENDERS`` threads each with its kept connection (the gateways' latency
    overlaps; the threads touch no database), then the group's attempts are written in
    one transaction. A batch whose sending takes half the lease gives back its rest
    (claimed again at once), so no message is sent under a lease that may have lapsed."""
    worker = worker or worker_name()
    result = Pass()
    with ThreadPoolExecutor(SENDERS, thread_name_prefix="outbox") as senders:
        while True:
            claimed = claim_messages(worker=worker, now=now, batch=batch)
            if not claimed:
                return result
            started, refused = systime.monotonic(), _refused(claimed)
            for i, group in enumerate(_groups(claimed, GROUP)):
                if systime.monotonic() - started > conf("LEASE_SECONDS") / 2:
                    rest = [m.pk for m in claimed[i * GROUP :]]
                    Message.objects.filter(pk__in=rest, claimed_by=worker).update(
                        claimed_by="", claimed_until=None
                    )
                    break
                at = clock_now(now)
                going = []
                for message in group:
                    held = _hold(message, now=at, refused=refused)
                    if held == "send":
                        going.append(message)
                    else:
                        result.add(held)
                tried = list(senders.map(lambda m, at=at: _send(m, at), going))
                for outcome in record(tried, worker=worker):
                    result.add(outcome)


def run_forever(*, idle_seconds: float = 2.0, batch: int = 20, stop=lambda: False) -> None:
    worker = worker_name()
    while not stop():
        if not run_once(worker=worker, batch=batch).counts:
            systime.sleep(idle_seconds)
