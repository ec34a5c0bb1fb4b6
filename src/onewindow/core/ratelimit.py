"""Rate limits kept in the cache (fixed windows), for public entries that can be
abused: issuing tickets and booking (attempts per client and per phone), and lookups
by a guessable secret (failed attempts per client and per record).

``hit()`` counts every attempt and refuses past the limit. ``FailureLimit`` counts only
failures and, once over the limit, refuses every attempt (a right answer too, or the
limit could be walked around) until the window ends. ``RateLimited`` answers 429 in the
API (``{code, message}``) and its Chinese message on pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from onewindow.core import crypto
from onewindow.core.errors import Conflict


class RateLimited(Conflict):
    """Too many attempts: a conflict answered with HTTP 429 in the API."""

    status = 429


def _cache_key(bucket: str, key: str) -> str:
    return f"rate:{bucket}:{crypto.lookup_digest(key)[:32]}"


def _count(cache_key: str, seconds: int) -> int:
    cache.add(cache_key, 0, seconds)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        return 1


def span(seconds: int) -> str:
    """“1小时”, “15分钟”: the window in words."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds // 3600}小时"
    return f"{max(1, seconds // 60)}分钟"


def hit(bucket: str, key: str, *, limit: int, seconds: int, code: str, message: str) -> None:
    """Count one attempt for ``key`` in ``bucket``; raise ``RateLimited(code, message)``
    when there have been more than ``limit`` in the window of ``seconds``."""
    if not key:
        return
    if _count(_cache_key(bucket, key), seconds) > limit:
        raise RateLimited(code, message)


@dataclass(frozen=True)
class FailureLimit:
    """At most ``limit`` failed attempts per key in a window of ``seconds``."""

    bucket: str
    limit: int
    seconds: int

    def locked(self, key: str) -> bool:
        return bool(key) and (cache.get(_cache_key(self.bucket, key)) or 0) >= self.limit

    def failed(self, key: str) -> int:
        return _count(_cache_key(self.bucket, key), self.seconds) if key else 0


def limits_from_settings(name: str, defaults: dict[str, tuple[int, int]]) -> dict:
    """``defaults`` ({kind: (attempts, seconds)}) overridden by ``settings.<name>``."""
    return {**defaults, **getattr(settings, name, {})}
