"""What a committing test leaves behind: after the flush that ends it, every table is
empty but those the migrations' post_migrate handlers fill again (content types,
permissions, the role groups) hold what they held after migrate, and no sequence went
back (Django's teardown flush does not reset them). On PostgreSQL the flush is
tests/flush.py's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations

from onewindow.core.models import AuditEvent
from tests import flush
from tests.conftest import build_network

pytestmark = pytest.mark.django_db(transaction=True)

FILLED_BY_POST_MIGRATE = {
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
}


def _rows() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _teardown_flush() -> None:
    """The flush TransactionTestCase runs after each committing test."""
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=False,
    )


def _fill() -> int:
    """Rows in many tables, the audit trail among them; the last user's id."""
    root = get_user_model().objects.create_superuser("root", password="Ow-test-2026!")
    build_network(root)
    assert AuditEvent.objects.exists()
    return get_user_model().objects.order_by("-pk").first().pk


def test_a_committing_test_leaves_the_database_as_migrate_left_it():
    migrated = _rows()
    assert {table for table, n in migrated.items() if n} == FILLED_BY_POST_MIGRATE
    if connection.vendor == "postgresql":
        assert DatabaseOperations.sql_flush is flush.sql_flush
    last_user = _fill()
    _teardown_flush()
    assert _rows() == migrated
    assert get_user_model().objects.create_user("next").pk > last_user
