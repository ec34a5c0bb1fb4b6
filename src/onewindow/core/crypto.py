"""Field encryption for personal data (R-SEC-1).

FIELD_ENCRYPTION_KEY holds one or more Fernet keys, comma separated: the first
encrypts, every one decrypts, so keys can be rotated. A keyed HMAC (its key derived
from the first encryption key) lets an exact value be found without decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


@lru_cache(maxsize=4)
def _hmac_key(keys: str) -> bytes:
    first = keys.split(",")[0].strip().encode()
    return hashlib.sha256(b"onewindow-lookup:" + base64.urlsafe_b64decode(first)).digest()


def encrypt(text: str) -> str:
    if not text:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong or rotated-out key: never leak the cipher text
        raise ValueError("cannot decrypt with the configured FIELD_ENCRYPTION_KEY") from exc


def lookup_digest(text: str) -> str:
    if not text:
        return ""
    key = _hmac_key(settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
