"""Remembered search answers: a search engine answers a repeated question from its cache.

People ask for the same few things (营业执照, 社保卡, 结婚登记 …), so the answer to a
search (its ranking and its page of matters) is kept per (query, filters, page) under the
**catalog version**, a counter in the shared cache that every change a search can see
bumps (a matter, a guide published, a material, a listing, a center, a department; see
``catalog.apps``): a new version makes every remembered answer unreachable at once.

- The counter is bumped at once and again after commit, so an answer computed by another
  process between the change and its commit (from the old data) is left behind too. A
  transaction bumps once however many rows it changes (and once more at its commit).
- A transaction that has changed the catalog neither reads nor stores answers until it
  ends (it must see its own changes, and must not leave answers built on rows a rollback
  takes back).
- The counter lives in the cache shared by the processes (``caches["shared"]``: Redis,
  else files under the data directory), so a change is seen by every process at once.
  Answers are kept in this process (no pickling of model instances) for at most
  ``LOCAL_TTL`` seconds, a bound should the shared counter be lost.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction

ttl_clock = time.monotonic  # replaced in tests to pass the TTL
VERSION_KEY = "catalog:search:version"
LOCAL_TTL = 30.0
MAX_ENTRIES = 4096
_DIRTY = "_onewindow_catalog_changed"

T = TypeVar("T")

_entries: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def _fresh_version() -> int:
    # Random, not 1: a counter lost from the cache (evicted, restarted) must not come back
    # as a number some process still holds answers under.
    return secrets.randbits(60)


def _shared():
    return caches["shared"]


def catalog_version() -> int:
    cache = _shared()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    cache = _shared()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, _fresh_version(), None)


def catalog_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Something a search can see changed: forget every remembered answer (now, and
    again when the transaction commits)."""
    connection = connections[using]
    if connection.in_atomic_block and _bump_pending(connection):
        # This transaction already bumped and will bump again at its commit: answers
        # stored since were computed from committed rows and are left behind then.
        setattr(connection, _DIRTY, True)
        return
    _bump()
    if connection.in_atomic_block:
        setattr(connection, _DIRTY, True)
        transaction.on_commit(_bump, using=using)


def _bump_pending(connection) -> bool:
    """Whether a bump after commit is registered and still standing (a savepoint rolled
    back takes its registration with it)."""
    return any(entry[1] is _bump for entry in connection.run_on_commit)


def _usable(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    if not connection.in_atomic_block:
        # Outside any transaction: whatever this connection changed is committed or gone.
        if getattr(connection, _DIRTY, False):
            setattr(connection, _DIRTY, False)
        return True
    return not getattr(connection, _DIRTY, False)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """The answer for ``key`` at the current catalog version, computed once."""
    if not _usable():
        return compute()
    full = (catalog_version(), key)
    now = ttl_clock()
    with _lock:
        hit = _entries.get(full)
        if hit is not None and hit[0] > now:
            _entries.move_to_end(full)
            return hit[1]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _entries[full] = (now + LOCAL_TTL, value)
        _entries.move_to_end(full)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def forget_all() -> None:
    """Drop this process's remembered answers (tests; a command that rebuilt the index)."""
    with _lock:
        _entries.clear()
