"""The messages' templates, in Chinese, and the length rules of SMS.

Each template has a code (the SMS provider's template code is configured per code in
``MESSAGING["SMS_TEMPLATE_CODES"]``; unset, the code itself is sent), the text with
its parameters, and whether it is urgent (sent in the quiet hours: a ticket about to
be called cannot wait until morning).

SMS parts: a message of at most 70 characters (the signature 【…】 included) is one
part; a longer one is sent as a long message cut in parts of 67 characters (3 of each
70 carry the joining header), as the Chinese carriers count and bill them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PART = 70
LONG_PART = 67


@dataclass(frozen=True)
class Template:
    code: str
    text: str
    urgent: bool = False


TEMPLATES: dict[str, Template] = {
    t.code: t
    for t in (
        # hall: tickets and appointments
        Template("ticket_soon", "您取的{code}号前面还有{ahead}位，请到{center}候叫区等候。", True),
        Template("ticket_called", "请{code}号到{window}号窗口办理。", True),
        Template(
            "appointment_reminder",
            "您预约了{day} {start}在{center}办理{category}，预约码{code}，请按时到场签到。",
        ),
        Template("appointment_cancelled", "您{day} {start}在{center}的预约（{code}）已取消。"),
        # cases
        Template("case_received", "您的{matter}申请已收件，办件编号{number}，可凭编号查询进度。"),
        Template(
            "case_correction",
            "您的办件{number}需补正：{items}。请于{due}前一次性补齐，逾期视为撤回。",
        ),
        Template("case_accepted", "您的办件{number}（{matter}）已受理，承诺{due}前办结。"),
        Template("case_ready", "您的办件{number}已办结，请到{center}统一出件窗口领取。"),
        Template(
            "case_withdraw_soon",
            "您的办件{number}补正期限为{due}，逾期未补正将视为撤回申请。",
        ),
        Template("case_review_link", "您的办件{number}已出件，欢迎评价本次服务：{link}"),
        # complaints
        Template("complaint_received", "您的投诉已登记，编号{number}，我们将在{due}前答复。"),
        Template("complaint_answered", "您的投诉{number}已有答复，请查看并评价：{link}"),
        # citizen accounts: the one-time code (urgent: sent in quiet hours too)
        Template(
            "citizen_code", "您的验证码为{code}，用于{purpose}，10分钟内有效。请勿告诉他人。", True
        ),
        # staff (in-app)
        Template("staff_deadline", "办件{number}（{matter}）{level}，承诺期限{due}。"),
        Template("staff_urging", "办件{number}被督办：{message}（请于{reply_by}前答复）"),
    )
}


def render(code: str, params: dict) -> str:
    return TEMPLATES[code].text.format(**params)


def sms_parts(text: str, signature: str = "") -> int:
    """How many SMS parts ``text`` with its signature 【…】 takes."""
    length = len(text) + (len(signature) + 2 if signature else 0)
    if length <= PART:
        return 1
    return math.ceil(length / LONG_PART)
