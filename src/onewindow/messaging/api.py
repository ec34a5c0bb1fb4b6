"""The parked messages through the API at /api/v1/messages/ (R-MSG-1), as their page
does them: a center administrator reads the messages of their scope that failed too
often and were parked (with each attempt and the counts by state), and sends one again.

The same selectors and service as the page (``messaging.selectors``,
``services.message_retry``), the same right (``message.manage``); a message outside the
caller's scope is a 404, a message that is not parked a 409 that changes nothing."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import Field, Router, Schema

from onewindow.core.api import AUTH, request_scope
from onewindow.core.paging import Id, Offset, limit_param
from onewindow.core.pii import mask_phone
from onewindow.core.roles import may
from onewindow.messaging import selectors, services

router = Router(tags=["消息"])


class AttemptOut(Schema):
    number: int
    at: datetime
    ok: bool
    answer: str = Field(..., description="网关应答")


class ParkedMessageOut(Schema):
    id: int
    created_at: datetime
    center_id: int | None
    center: str
    channel: str = Field(..., description="sms 短信、wechat 微信、inapp 站内、province 省平台")
    recipient: str = Field(..., description="手机号（遮蔽）或接收人")
    body: str
    state: str
    attempts: int
    failures: int
    last_error: str
    tried: list[AttemptOut]


class ParkedListOut(Schema):
    count: int = Field(..., description="暂停发送的消息总数")
    counts: dict[str, int] = Field(..., description="本范围内各状态的消息数")
    items: list[ParkedMessageOut]


def _out(m, tried) -> dict:
    return {
        "id": m.pk,
        "created_at": m.created_at,
        "center_id": m.center_id,
        "center": m.center.name if m.center_id else "",
        "channel": m.channel,
        "recipient": mask_phone(m.phone) if m.phone else (str(m.user) if m.user_id else ""),
        "body": m.body,
        "state": m.state,
        "attempts": m.attempts,
        "failures": m.failures,
        "last_error": m.last_error,
        "tried": [{"number": a.number, "at": a.at, "ok": a.ok, "answer": a.answer} for a in tried],
    }


@router.get("/parked", response=ParkedListOut, auth=AUTH, summary="暂停发送的消息（本人范围内）")
def parked(request, limit: int = limit_param(50), offset: Offset = 0):
    if not may(request.user, "message.manage"):
        raise Http404
    scope = request_scope(request)
    qs = selectors.parked_messages(scope=scope).select_related("user")
    rows = list(qs[offset : offset + limit])
    tried = selectors.attempts_of(rows)
    return {
        "count": qs.count(),
        "counts": selectors.state_counts(scope=scope),
        "items": [_out(m, tried.get(m.pk, [])) for m in rows],
    }


@router.post(
    "/parked/{message_id}/retry",
    response=ParkedMessageOut,
    auth=AUTH,
    summary="重新发送一条暂停的消息",
)
def retry(request, message_id: Id):
    message = services.message_retry(actor=request.user, message_id=message_id)
    tried = selectors.attempts_of([message])
    return _out(message, tried.get(message.pk, []))
