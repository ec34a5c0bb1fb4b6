"""Registering, enrolling and revoking self-service terminals (R-HALL-7). The center
administrator registers a terminal and gets a one-time enrollment link (valid
``ENROLLMENT_HOURS``); the terminal's browser opens it once and keeps the signed
credential it gets (``hall.selectors.terminals``). Issuing a new link and enrolling
again replaces the credential; a revocation stops it. Each action is one transaction
with its audit record."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.core.audit import TerminalActor, audit_record, terminal_code
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.links import public_url
from onewindow.core.locking import for_update
from onewindow.hall.access import require_center_admin
from onewindow.hall.selectors.terminals import (
    enrollment_digest,
    terminal_by_enrollment,
    terminal_credential,
)
from onewindow.hall.terminal_models import Terminal
from onewindow.org.models import Center

ENROLLMENT_HOURS = 24
ENROLLMENT_GONE = "该登记链接无效或已使用，请向中心管理员索取新的登记链接。"


def _require_admin(actor, center: Center) -> None:
    """A center administrator of the center; ``None`` is the server's operator at its
    console (the ``terminal_enroll_link`` command and the demo loader), never a page."""
    if actor is not None:
        require_center_admin(actor, center)


def _snapshot(terminal: Terminal) -> dict:
    return {
        "code": terminal.code,
        "place": terminal.place,
        "generation": terminal.generation,
        "revoked": terminal.revoked_at is not None,
    }


def _new_enrollment(terminal: Terminal, now) -> str:
    code = secrets.token_urlsafe(24)
    terminal.enrollment_digest = enrollment_digest(code)
    terminal.enrollment_expires_at = now + dt.timedelta(hours=ENROLLMENT_HOURS)
    return code


@transaction.atomic
def terminal_register(*, actor, center: Center, code: str, place: str = "", now=None):
    """A new terminal of the center; returns it and its one-time enrollment code."""
    _require_admin(actor, center)
    clean = terminal_code(code)
    if not clean:
        message = "终端编号只能包含大写字母、数字和连字符（最多32位），如 LX-01。"
        raise InvalidInput("terminal.code", message, {"code": message})
    terminal = Terminal(center=center, code=clean, place=str(place or "").strip()[:60])
    secret = _new_enrollment(terminal, now or timezone.now())
    try:
        with transaction.atomic():
            terminal.save()
    except IntegrityError:
        message = f"终端编号 {clean} 已被使用。"
        raise Conflict("terminal.duplicate", message, {"code": message}) from None
    audit_record(
        actor=actor,
        action="terminal.register",
        target=terminal,
        center=center,
        after=_snapshot(terminal),
    )
    return terminal, secret


@transaction.atomic
def terminal_enrollment_issue(*, actor, terminal: Terminal, now=None) -> str:
    """A new one-time enrollment code (the previous unused one stops working)."""
    terminal = for_update(Terminal.objects).get(pk=terminal.pk)
    _require_admin(actor, terminal.center)
    secret = _new_enrollment(terminal, now or timezone.now())
    terminal.save(update_fields=["enrollment_digest", "enrollment_expires_at"])
    audit_record(
        actor=actor,
        action="terminal.enrollment_issue",
        target=terminal,
        center=terminal.center,
        after=_snapshot(terminal),
    )
    return secret


@transaction.atomic
def terminal_enroll(*, code: str, now=None) -> tuple[Terminal, str]:
    """The terminal's browser uses its one-time code: returns the terminal and its new
    signed credential. Older credentials of the terminal stop working."""
    now = now or timezone.now()
    found = terminal_by_enrollment(code)
    if found is None:
        raise NotFound("terminal.enrollment", ENROLLMENT_GONE)
    terminal = for_update(Terminal.objects).select_related("center").get(pk=found.pk)
    if terminal.enrollment_digest != enrollment_digest(code):
        raise NotFound("terminal.enrollment", ENROLLMENT_GONE)
    if terminal.enrollment_expires_at is None or terminal.enrollment_expires_at < now:
        raise InvalidInput(
            "terminal.enrollment_expired", "该登记链接已过期，请向中心管理员索取新的登记链接。"
        )
    before = _snapshot(terminal)
    terminal.generation += 1
    terminal.enrollment_digest = ""
    terminal.enrollment_expires_at = None
    terminal.enrolled_at = now
    terminal.revoked_at = None
    terminal.revoked_reason = ""
    terminal.save()
    audit_record(
        actor=TerminalActor(center_id=terminal.center_id, code=terminal.code),
        action="terminal.enroll",
        target=terminal,
        center=terminal.center,
        before=before,
        after=_snapshot(terminal),
    )
    return terminal, terminal_credential(terminal)


@transaction.atomic
def terminal_revoke(*, actor, terminal: Terminal, reason: str = "", now=None) -> Terminal:
    """Stop the terminal: its credential and any unused enrollment code are refused."""
    terminal = for_update(Terminal.objects).select_related("center").get(pk=terminal.pk)
    _require_admin(actor, terminal.center)
    if terminal.revoked_at is not None:
        raise Conflict("terminal.revoked", f"{terminal}已停用。")
    before = _snapshot(terminal)
    terminal.revoked_at = now or timezone.now()
    terminal.revoked_reason = str(reason or "").strip()[:100]
    terminal.enrollment_digest = ""
    terminal.enrollment_expires_at = None
    terminal.save()
    audit_record(
        actor=actor,
        action="terminal.revoke",
        target=terminal,
        center=terminal.center,
        before=before,
        after=_snapshot(terminal),
        note=terminal.revoked_reason,
    )
    return terminal


def terminal_enrollment_line(*, actor, terminal: Terminal) -> str:
    """A fresh enrollment link for ``terminal`` as one line for the console (the
    ``terminal-enroll-link`` command, the demo's printout)."""
    code = terminal_enrollment_issue(actor=actor, terminal=terminal)
    link = public_url(reverse("portal:terminal_enroll", args=[code]))
    return (
        f"{terminal}（{terminal.center.name}）的登记链接"
        f"（在终端浏览器中打开并确认，一次有效，{ENROLLMENT_HOURS}小时内）：{link}"
    )
