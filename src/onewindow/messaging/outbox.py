"""Writing to the outbox (R-MSG-1): ``enqueue`` is called inside the transaction of the
event that causes the message (a hook of a lower app, run synchronously in its service's
atomic block), so the row exists if and only if the event committed. A key makes it
idempotent: the same event enqueued twice is one message.

The channel follows the recipient: a staff user gets an in-app message; a phone with a
WeChat binding (and a WeChat gateway configured) a template message; any other phone an
SMS. A non-urgent message falling in the quiet hours (22:00–08:00 by default) waits for
their end: deferred, never dropped. A refused phone's non-urgent message is kept as
refused, not sent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.core.clock import now as clock_now
from onewindow.messaging import texts
from onewindow.messaging.models import Message, Refusal, WeChatBinding

# the channels that reach a person's phone: refusal and the quiet hours apply to them
PERSONAL = frozenset({Message.Channel.SMS, Message.Channel.WECHAT})


class NotInTransaction(RuntimeError):
    """The outbox is written only inside the transaction of the event it tells."""


def conf(name: str):
    return settings.MESSAGING[name]


def in_quiet_hours(at: datetime) -> bool:
    start, end = conf("QUIET_HOURS")
    hour = timezone.localtime(at).hour
    return hour >= start or hour < end if start > end else start <= hour < end


def quiet_end(at: datetime) -> datetime:
    """The end of the quiet hours ``at`` falls in (``at`` itself outside them)."""
    if not in_quiet_hours(at):
        return at
    local = timezone.localtime(at)
    _, end = conf("QUIET_HOURS")
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(end)), local.tzinfo)


def is_refused(phone: str) -> bool:
    return bool(phone) and Refusal.objects.filter(phone=phone).exists()


def _channel(phone: str, user) -> tuple[str, str]:
    if user is not None:
        return Message.Channel.INAPP, ""
    if "wechat" in conf("GATEWAYS"):
        openid = WeChatBinding.objects.filter(phone=phone).values_list("openid", flat=True).first()
        if openid:
            return Message.Channel.WECHAT, openid
    return Message.Channel.SMS, ""


def _message(key: str, template: str, params: dict, *, channel, state, due, now) -> Message:
    """An unsaved message of ``template`` (its body rendered, its SMS parts counted), to
    be given its recipient."""
    params = {name: str(value) for name, value in params.items()}
    body = texts.render(template, params)
    return Message(
        key=key[:120],
        channel=channel,
        template=template,
        params=params,
        body=body,
        parts=texts.sms_parts(body, conf("SIGNATURE")),
        urgent=texts.TEMPLATES[template].urgent,
        state=state,
        next_at=due,
        created_at=now,
    )


def enqueue(
    *,
    key: str,
    template: str,
    params: dict,
    phone: str = "",
    user=None,
    center=None,
    now: datetime | None = None,
) -> Message | None:
    """The message of an event, written in the event's transaction; the existing one
    when the key was enqueued before; None when there is nobody to tell."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction(key)
    if user is None and not phone:
        return None
    existing = Message.objects.filter(key=key).first()
    if existing is not None:
        return existing
    now = clock_now(now)
    urgent = texts.TEMPLATES[template].urgent
    channel, openid = _channel(phone, user)
    state = Message.State.PENDING
    if channel != Message.Channel.INAPP and not urgent and is_refused(phone):
        state = Message.State.REFUSED
    due = now if urgent or channel == Message.Channel.INAPP else quiet_end(now)
    message = _message(key, template, params, channel=channel, state=state, due=due, now=now)
    message.phone, message.openid, message.user, message.center = phone, openid, user, center
    try:
        with transaction.atomic():
            message.save(force_insert=True)
            return message
    except IntegrityError:  # the same key written meanwhile by another transaction
        return Message.objects.filter(key=key).first()


def enqueue_to_staff(
    *, template: str, items: list[tuple[str, dict, int, int | None]], now: datetime | None = None
) -> int:
    """Many in-app messages to staff users at once, as ``enqueue`` writes each (a staff
    user's message is in-app, due at once, never refused): ``items`` are (key, params,
    user id, center id); a key enqueued before keeps its message. One insert for all;
    the number of items."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction(template)
    now = clock_now(now)
    rows = []
    for key, params, user_id, center_id in items:
        message = _message(
            key,
            template,
            params,
            channel=Message.Channel.INAPP,
            state=Message.State.PENDING,
            due=now,
            now=now,
        )
        message.user_id, message.center_id = user_id, center_id
        rows.append(message)
    Message.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


def push(
    *,
    key: str,
    kind: str,
    record_id: int,
    fields: dict,
    summary: str,
    center=None,
    now: datetime | None = None,
) -> Message:
    """A record pushed to the provincial platform (R-MSG-3, ``exchange.py``), written in
    the transaction of the step or review it tells; the existing one when the key was
    pushed before. Never refused, never held by the quiet hours."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction(key)
    existing = Message.objects.filter(key=key).first()
    if existing is not None:
        return existing
    now = clock_now(now)
    try:
        with transaction.atomic():
            return Message.objects.create(
                key=key[:120],
                channel=Message.Channel.PROVINCE,
                template=f"province_{kind}",
                params=fields,
                body=summary[:500],
                parts=0,
                center=center,
                urgent=False,
                next_at=now,
                created_at=now,
                record_type=kind,
                record_id=record_id,
            )
    except IntegrityError:
        return Message.objects.filter(key=key).first()
