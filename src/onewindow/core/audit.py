"""Writing the audit trail (R-SEC-1). Services call ``audit_record`` inside their
own transaction, so the record and the change commit or roll back together."""

from __future__ import annotations

import contextvars
import datetime
import decimal
import re
import uuid
from dataclasses import dataclass
from typing import ClassVar

from django.db import models

from onewindow.core.models import AuditEvent


@dataclass(frozen=True)
class RequestMeta:
    client_ip: str | None = None
    request_id: str = ""


current_request: contextvars.ContextVar[RequestMeta | None] = contextvars.ContextVar(
    "onewindow_request", default=None
)


# A terminal's device code as its local device service states it (``GET /status``,
# docs/terminal-devices.md): capital letters, digits and hyphens, e.g. ``LX-SIM-01``.
TERMINAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")


def terminal_code(raw) -> str:
    """The device code if ``raw`` is a well-formed one, else ""."""
    raw = str(raw or "").strip().upper()
    return raw if TERMINAL_CODE.fullmatch(raw) else ""


@dataclass(frozen=True)
class TerminalActor:
    """A citizen acting on a self-service terminal (自助终端): not a signed-in user, so no
    permission comes with it, but the audit trail names the terminal (its device code)
    instead of an anonymous visitor. The code is what the terminal's device service says
    of itself, an identification, not an authentication."""

    center_id: int | None = None
    code: str = ""

    is_authenticated: ClassVar[bool] = False
    pk: ClassVar[None] = None

    def __str__(self) -> str:
        return f"自助终端 {self.code}" if self.code else "自助终端"


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


# Field names never written to the audit trail in clear.
SECRET_FIELDS = frozenset({"password", "id_number_cipher", "id_number_digest", "digest"})


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The audited picture of a model instance: concrete fields, secrets left out."""
    data = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in SECRET_FIELDS:
            continue
        data[f.name] = _plain(getattr(instance, f.attname))
    return data


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys that changed."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_event(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
    center=None,
    department=None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """One audit row, not written yet (``audit_record`` writes one; a batch is written
    with ``AuditEvent.objects.bulk_create``)."""
    meta = current_request.get() or RequestMeta()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_label = target_label or str(target)[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor=user,
        actor_label=(str(user) if user else (str(actor) if actor else "系统"))[:100],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:200],
        center=center,
        department=department,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        note=note,
        client_ip=meta.client_ip,
        request_id=meta.request_id,
    )


def audit_record(**fields) -> AuditEvent:
    """Write one audit row (the arguments of ``audit_event``)."""
    event = audit_event(**fields)
    event.save(force_insert=True)
    return event
