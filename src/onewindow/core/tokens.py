"""Personal API tokens and machine client keys: only their SHA-256 digest is stored.

A terminal or a window's caller presents its key on every request (a hall in a morning
rush: hundreds a second), so what a key stands for (the token's user and that user's
scope, or the client with its region) is remembered in this process for ``KEY_TTL``
seconds. Revoking a token forgets it here at once (and again after commit); a change
made by another process (a revocation, a deactivated user, changed roles) reaches this
one within ``KEY_TTL`` seconds.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import threading
import time

from django.db import transaction
from django.utils import timezone

from onewindow.core.audit import audit_record
from onewindow.core.locking import for_update
from onewindow.core.models import ApiClient, ApiToken
from onewindow.core.scope import remember_scope, scope_for

ttl_clock = time.monotonic  # replaced in tests to pass the TTL
KEY_TTL = 10.0  # seconds; the bound on how late another process's change is seen
MAX_KEYS = 4096

_keys: dict[tuple[str, str], tuple[float, object, object]] = {}
_keys_lock = threading.Lock()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _remembered(kind: str, digest: str):
    with _keys_lock:
        entry = _keys.get((kind, digest))
    if entry is None or entry[0] <= ttl_clock():
        return None
    return entry


def _remember(kind: str, digest: str, value, extra=None) -> None:
    with _keys_lock:
        if len(_keys) >= MAX_KEYS:
            _keys.clear()
        _keys[(kind, digest)] = (ttl_clock() + KEY_TTL, value, extra)


def forget_keys(digest: str | None = None) -> None:
    """Forget what keys stand for in this process: one token's digest, or all."""
    with _keys_lock:
        if digest is None:
            _keys.clear()
        else:
            _keys.pop(("token", digest), None)
            _keys.pop(("client", digest), None)


@transaction.atomic
def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``actor``; the clear key is returned once and never stored."""
    key = "ow_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name[:100] or "接口令牌", digest=_digest(key), prefix=key[:8]
    )
    audit_record(actor=actor, action="api_token.create", target=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    token = for_update(ApiToken.objects).get(pk=token_id, user=actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token)
    forget_keys(token.digest)
    transaction.on_commit(lambda: forget_keys(token.digest))
    return token


@transaction.atomic
def api_client_create(*, actor, name: str, region) -> tuple[ApiClient, str]:
    key = "owc_" + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(name=name, region=region, digest=_digest(key), prefix=key[:8])
    audit_record(actor=actor, action="api_client.create", target=client)
    return client, key


def user_for_token(key: str):
    """The active user a live token stands for (a copy of their row, with their scope
    remembered on it for this request), or None."""
    if not key:
        return None
    digest = _digest(key)
    entry = _remembered("token", digest)
    if entry is None:
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.user
        pristine = copy.copy(user)  # kept without the relations this request will read
        scope = scope_for(user)
        _remember("token", digest, pristine, scope)
        return remember_scope(user, scope)
    return remember_scope(copy.copy(entry[1]), entry[2])


def client_for_key(key: str):
    if not key:
        return None
    digest = _digest(key)
    entry = _remembered("client", digest)
    if entry is not None:
        return copy.copy(entry[1])
    client = (
        ApiClient.objects.filter(digest=digest, revoked_at__isnull=True)
        .select_related("region")
        .first()
    )
    if client is not None:
        _remember("client", digest, copy.copy(client))
    return client
