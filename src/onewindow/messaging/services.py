"""The writes of messaging besides the outbox itself: a parked message sent again by a
center administrator, a phone's refusal (a reply word through the SMS provider's
callback, or the toggle) and its withdrawal, a person's WeChat openid."""

from __future__ import annotations

import re

from django.db import transaction

from onewindow.core.audit import audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.messaging.models import Message, Refusal, WeChatBinding

PHONE_RE = re.compile(r"^1\d{10}$")
REFUSAL_WORDS = {"TD", "T", "N", "退订", "退"}


def _phone(value: str) -> str:
    phone = (value or "").strip().removeprefix("+86")
    if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        raise InvalidInput(
            "message.phone_invalid", "请填写11位手机号码。", {"phone": "手机号格式不正确"}
        )
    return phone


@transaction.atomic
def message_retry(*, actor, message_id: int, now=None) -> Message:
    if not may(actor, "message.manage"):
        raise Forbidden("message.forbidden", "您没有管理消息发送的权限。")
    visible = Message.objects.visible_to(scope_for(actor)).filter(pk=message_id)
    message = for_update(Message.objects).filter(pk__in=visible.values("pk")).first()
    if message is None:
        raise NotFound("message.not_found", "未找到该消息。")
    if message.state != Message.State.PARKED:
        raise Conflict("message.not_parked", "该消息不是发送失败暂停的消息，不能重新发送。")
    message.state, message.failures = Message.State.PENDING, 0
    message.next_at, message.claimed_by, message.claimed_until = clock_now(now), "", None
    message.save()
    audit_record(
        actor=actor,
        action="message.retry",
        target=message,
        center=message.center,
        before={"state": Message.State.PARKED},
        after={"state": message.state},
    )
    return message


@transaction.atomic
def refusal_set(*, actor, phone: str, refused: bool, source: str = "toggle", now=None) -> bool:
    """Refuse (or accept again) the non-urgent messages to ``phone``; whether it changed."""
    phone = _phone(phone)
    if refused:
        _, created = Refusal.objects.get_or_create(
            phone=phone, defaults={"source": source, "at": clock_now(now)}
        )
        changed = created
    else:
        changed = Refusal.objects.filter(phone=phone).delete()[0] > 0
    if changed:
        audit_record(
            actor=actor,
            action="message.refuse" if refused else "message.accept",
            target_type="messaging.refusal",
            target_label=f"手机尾号{phone[-4:]}",
            after={"phone_tail": phone[-4:], "source": source},
        )
    return changed


def inbound_reply(*, phone: str, text: str, now=None) -> bool:
    """A citizen's reply through the provider's callback; a refusal word refuses."""
    if (text or "").strip().upper() not in REFUSAL_WORDS or not PHONE_RE.match(phone or ""):
        return False
    return refusal_set(actor="短信回复", phone=phone, refused=True, source="reply", now=now)


@transaction.atomic
def wechat_bind(*, actor, phone: str, openid: str, now=None) -> WeChatBinding:
    phone, openid = _phone(phone), (openid or "").strip()
    if not openid or len(openid) > 64:
        raise InvalidInput("message.openid_invalid", "openid不正确。", {"openid": "openid不正确"})
    WeChatBinding.objects.filter(openid=openid).exclude(phone=phone).delete()
    binding, _ = WeChatBinding.objects.update_or_create(
        phone=phone, defaults={"openid": openid, "bound_at": clock_now(now)}
    )
    audit_record(
        actor=actor, action="message.wechat_bind", target=binding, after={"phone_tail": phone[-4:]}
    )
    return binding
