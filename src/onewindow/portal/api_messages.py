"""The citizen's choice of messages through the API at /api/v1/citizen/messages (R-MSG-1),
as the pages do it: signed in (the portal's session, as the other ``citizen/…``
operations), the account's proved phones with whether each refuses the notification
messages, and a choice made for one of them (a phone the account has not claimed is a
403 ``citizen.phone_not_proved``); without an account (the progress page's 短信通知设置),
a code sent to the phone, then the choice made with it (a wrong code is a 422 that
changes nothing). Urgent messages (calls, codes) are sent whatever the choice.

The same selectors and services as the pages (``message_choices``,
``citizen_message_choice``, ``phone_code_issue``, ``phone_message_choice``)."""

from __future__ import annotations

from ninja import Field, Router, Schema

from onewindow.core.api import Status
from onewindow.portal.api import CITIZEN
from onewindow.portal.citizens import selectors, services
from onewindow.portal.models import PhoneCode

router = Router(tags=["我的事务"])


class MessageChoiceOut(Schema):
    phone: str = Field(..., description="本账号已验证的手机号")
    refused: bool = Field(..., description="true 为已退订通知短信（叫号、验证码等即时消息照发）")


class MessageChoiceIn(Schema):
    phone: str = Field(..., max_length=20, description="本账号已认领的手机号")
    refused: bool = Field(..., description="true 退订通知短信，false 恢复接收")


class PhoneChoiceCodeIn(Schema):
    phone: str = Field(..., max_length=20, description="手机号（11位）")


class PhoneChoiceCodeOut(Schema):
    phone_tail: str = Field(..., description="已向该尾号的手机发送验证码")


class PhoneChoiceIn(Schema):
    phone: str = Field(..., max_length=20, description="手机号（11位）")
    code: str = Field(..., max_length=10, description="短信验证码（6位）")
    refused: bool = Field(..., description="true 退订通知短信，false 恢复接收")


class PhoneChoiceOut(Schema):
    phone_tail: str
    refused: bool
    changed: bool = Field(..., description="false 为本来就是这样")


def _choices(account) -> list[dict]:
    return [{"phone": p, "refused": r} for p, r in selectors.message_choices(account)]


@router.get("/messages", response=list[MessageChoiceOut], auth=CITIZEN, summary="我的短信通知设置")
def choices(request):
    return _choices(request.auth)


@router.post(
    "/messages",
    response=list[MessageChoiceOut],
    auth=CITIZEN,
    summary="退订或恢复一个已认领手机号的通知短信",
)
def choose(request, payload: MessageChoiceIn):
    services.citizen_message_choice(
        account=request.auth, phone=payload.phone, refused=payload.refused
    )
    return _choices(request.auth)


@router.post(
    "/messages/phone/code",
    response={202: PhoneChoiceCodeOut},
    auth=None,
    summary="短信通知设置（无账号）：向手机发送验证码",
)
def phone_code(request, payload: PhoneChoiceCodeIn):
    services.phone_code_issue(phone=payload.phone, purpose=PhoneCode.Purpose.MESSAGES)
    return Status(202, {"phone_tail": payload.phone[-4:]})


@router.post(
    "/messages/phone",
    response=PhoneChoiceOut,
    auth=None,
    summary="短信通知设置（无账号）：凭验证码退订或恢复通知短信",
)
def phone_choose(request, payload: PhoneChoiceIn):
    changed = services.phone_message_choice(
        phone=payload.phone, code=payload.code, refused=payload.refused
    )
    return {"phone_tail": payload.phone[-4:], "refused": payload.refused, "changed": changed}
