"""What a committing test leaves behind: after the flush that ends it, every table is
empty but those the migrations' post_migrate handlers fill again (content types,
permissions, the role groups) hold what they held after migrate, and no sequence went
back (Django's teardown flush does not reset them). On PostgreSQL the flush is
tests/flush.py's; on both, a flush finding the tables post_migrate fills as it left them
keeps them (tests/flush.py), and one finding them changed fills them again."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations

from onewindow.catalog import search_index
from onewindow.core.models import AuditEvent
from onewindow.core.roles import Role
from tests import flush
from tests.catalog.conftest import make_matter
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


def _refilled() -> list:
    return flush._refilled_rows(connection)


def _teardown_flush_with_post_migrate_counted() -> int:
    """The teardown flush; how many times ``post_migrate`` filled the tables again."""
    calls = []

    def counting(**kwargs):
        calls.append(kwargs["app_config"].label)

    # create_contenttypes runs for every app; counted for one.
    from django.db.models.signals import post_migrate

    post_migrate.connect(counting, dispatch_uid="test-flush-counting")
    try:
        original = flush.REFILLING
        flush.REFILLING = (*original, counting)
        _teardown_flush()
    finally:
        flush.REFILLING = original
        post_migrate.disconnect(dispatch_uid="test-flush-counting")
    return len(calls)


def test_a_flush_keeps_the_refilled_tables_when_they_are_as_migrate_left_them():
    _teardown_flush()  # the full flush of this database, remembered
    migrated, refilled = _rows(), _refilled()
    _fill()
    assert _teardown_flush_with_post_migrate_counted() == 0
    assert _rows() == migrated
    assert _refilled() == refilled  # the same rows, ids included


@pytest.mark.parametrize("change", ["group", "role_permission", "content_type"])
def test_a_flush_fills_the_refilled_tables_again_when_a_test_changed_them(change):
    _teardown_flush()
    migrated = _rows()
    names = dict(ContentType.objects.values_list("pk", "model"))
    perms = {
        r: set(Group.objects.get(name=r).permissions.values_list("codename", flat=True))
        for r in Role.values
    }
    if change == "group":
        Group.objects.create(name="临时组")
    elif change == "role_permission":
        Group.objects.get(name=Role.values[0]).permissions.add(Permission.objects.last())
    else:
        ContentType.objects.filter(model="auditevent").delete()
    _fill()
    assert _teardown_flush_with_post_migrate_counted() > 0
    assert _rows() == migrated
    assert not Group.objects.filter(name="临时组").exists()
    assert {
        r: set(Group.objects.get(name=r).permissions.values_list("codename", flat=True))
        for r in Role.values
    } == perms
    assert sorted(ContentType.objects.values_list("model", flat=True)) == sorted(names.values())


def test_a_flush_keeping_the_refilled_tables_still_prunes_the_search_index():
    _teardown_flush()
    root = get_user_model().objects.create_superuser("root", password="Ow-test-2026!")
    matter, _ = make_matter(build_network(root), code="11620000MB1234567X", name="个体工商户登记")
    search_index.search_index_matter(matter)
    table = (
        search_index.PG_TABLE if connection.vendor == "postgresql" else search_index.SQLITE_TABLE
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone()[0] > 0
    assert _teardown_flush_with_post_migrate_counted() == 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone()[0] == 0
