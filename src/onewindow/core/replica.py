"""Read replicas: the statistics pages read from a streaming replica when one is set.

With ``DATABASE_REPLICA_URL`` the database alias ``replica`` exists (settings.py), and
``ReplicaReadsMiddleware`` marks a GET of a page named in ``ONEWINDOW_REPLICA_PAGES`` (the
dashboard, the indicators, the statistics and their exports) so that ``ReplicaRouter``
sends the reads of its selectors there. Everything else stays on ``default``: every write,
every read inside a transaction (a read that must see what was just written, or that
locks), every read outside those pages, and accounts and sessions at any time (a replica
a few seconds behind must not sign anybody out). Without the alias the router answers as
if it were not there.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("onewindow_replica_reads", default=False)

# Always read from the primary: accounts, sessions, login throttling, permissions.
_PRIMARY_APPS = frozenset({"auth", "sessions", "axes", "admin", "contenttypes"})
_PRIMARY_MODELS = frozenset({("core", "user"), ("core", "apitoken"), ("core", "apiclient")})

DEFAULT_PAGES = (
    "dashboard",
    "dashboard_screen",
    "monthly_report",
    "indicators",
    "indicators_export",
    "case_stats",
    "case_stats_export",
    "evaluation_stats",
    "evaluation_stats_export",
    "hall_stats",
    "hall_stats_export",
)


def configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reading():
    """Reads in this block may go to the replica (outside transactions)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _reading.get() or not configured():
            return None
        meta = model._meta
        if meta.app_label in _PRIMARY_APPS or (meta.app_label, meta.model_name) in _PRIMARY_MODELS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def pages() -> frozenset[str]:
    return frozenset(getattr(settings, "ONEWINDOW_REPLICA_PAGES", DEFAULT_PAGES))


class ReplicaReadsMiddleware:
    """A GET or HEAD of a statistics page reads from the replica (when there is one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _reading.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method in ("GET", "HEAD")
            and match is not None
            and match.url_name in pages()
            and configured()
        ):
            request._replica_token = _reading.set(True)
        return None
