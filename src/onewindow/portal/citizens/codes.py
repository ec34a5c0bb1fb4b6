"""The one-time phone codes' way out: each code is written to the messages outbox in the
transaction that issues it (an SMS to the phone, urgent, so quiet hours do not hold it),
and to the ``onewindow.citizen_codes`` log, which development and the demo read (no
SMS provider there) and production silences. Other senders may register here."""

from __future__ import annotations

import logging
from collections.abc import Callable

from onewindow.messaging.outbox import enqueue

logger = logging.getLogger("onewindow.citizen_codes")

CodeSender = Callable[[str, str, str], None]  # (phone, code, purpose label)

SENDERS: list[CodeSender] = []


def register_code_sender(sender: CodeSender) -> CodeSender:
    if sender not in SENDERS:
        SENDERS.append(sender)
    return sender


def log_code(phone: str, code: str, purpose: str) -> None:
    logger.info("手机验证码（%s）%s：%s", purpose, phone, code)


def outbox_code(phone: str, code: str, purpose: str, *, key: str) -> None:
    enqueue(
        key=key, template="citizen_code", params={"code": code, "purpose": purpose}, phone=phone
    )


def send(phone: str, code: str, purpose: str, *, key: str) -> None:
    """Inside the issuing transaction: the outbox row, the log line, other senders."""
    outbox_code(phone, code, purpose, key=key)
    log_code(phone, code, purpose)
    for sender in SENDERS:
        sender(phone, code, purpose)
