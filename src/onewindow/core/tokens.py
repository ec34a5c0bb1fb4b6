"""Personal API tokens and machine client keys: only their SHA-256 digest is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from onewindow.core.audit import audit_record
from onewindow.core.locking import for_update
from onewindow.core.models import ApiClient, ApiToken


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


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
    return token


@transaction.atomic
def api_client_create(*, actor, name: str, region) -> tuple[ApiClient, str]:
    key = "owc_" + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(name=name, region=region, digest=_digest(key), prefix=key[:8])
    audit_record(actor=actor, action="api_client.create", target=client)
    return client, key


def user_for_token(key: str):
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def client_for_key(key: str):
    if not key:
        return None
    return (
        ApiClient.objects.filter(digest=_digest(key), revoked_at__isnull=True)
        .select_related("region")
        .first()
    )
