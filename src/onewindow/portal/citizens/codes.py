"""The one-time phone codes' way out: senders registered here receive each code after
its transaction commits. The messages outbox registers its SMS sender here when it
lands; until then the code is written to the ``onewindow.citizen_codes`` log (demo and
development read it there; tests read the ``PhoneCode`` row)."""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger("onewindow.citizen_codes")

CodeSender = Callable[[str, str, str], None]  # (phone, code, purpose label)

SENDERS: list[CodeSender] = []


def register_code_sender(sender: CodeSender) -> CodeSender:
    if sender not in SENDERS:
        SENDERS.append(sender)
    return sender


def log_code(phone: str, code: str, purpose: str) -> None:
    logger.info("手机验证码（%s）%s：%s", purpose, phone, code)


def send(phone: str, code: str, purpose: str) -> None:
    for sender in SENDERS or [log_code]:
        sender(phone, code, purpose)
