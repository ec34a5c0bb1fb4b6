"""Read replicas (core/replica.py): with a ``replica`` alias (here a second connection to
the test database, as DATABASE_REPLICA_URL would give one to a streaming replica), the
statistics pages read there; writes, reads in a transaction, accounts and other pages stay
on ``default``."""

from __future__ import annotations

import copy

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from onewindow.core import replica
from onewindow.core.models import User
from onewindow.org import services as org_services
from onewindow.org.models import Level, Region

pytestmark = pytest.mark.django_db(transaction=True)
with_replica = pytest.mark.django_db(transaction=True, databases=["default", replica.REPLICA])


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """Made before the test's database wrapping, which must know the alias."""
    connections.settings[replica.REPLICA] = copy.deepcopy(connections["default"].settings_dict)
    yield connections[replica.REPLICA]
    connections[replica.REPLICA].close()
    del connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]


def _domain_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if "org_region" in q["sql"] or "cases_" in q["sql"]]


def test_without_a_replica_the_router_leaves_every_read_on_default(root):
    assert not replica.configured()
    with replica.reading():
        assert Region.objects.db_manager().all().db == "default"
        assert Region.objects.all().db == "default"


@with_replica
def test_statistics_pages_read_from_the_replica_and_nothing_else_does(root, client, replica_alias):
    org_services.region_create(
        actor=root, code="622900", name="临夏回族自治州", level=Level.PREFECTURE, parent=None
    )
    client.force_login(root)
    default = connections["default"]
    with (
        CaptureQueriesContext(replica_alias) as on_replica,
        CaptureQueriesContext(default) as on_default,
    ):
        page = client.get("/statistics/cases/")
    assert page.status_code == 200
    assert _domain_reads(on_replica.captured_queries)
    assert not _domain_reads(on_default.captured_queries)
    assert not any("core_user" in q["sql"] for q in on_replica.captured_queries)
    assert not any("django_session" in q["sql"] for q in on_replica.captured_queries)

    with CaptureQueriesContext(replica_alias) as elsewhere:
        assert client.get("/workspace/").status_code == 200
    assert elsewhere.captured_queries == []


@with_replica
def test_writes_and_reads_in_a_transaction_stay_on_default(root, replica_alias):
    with replica.reading():
        assert Region.objects.all().db == "replica"
        assert User.objects.all().db == "default"
        with transaction.atomic():
            assert Region.objects.all().db == "default"
        region = org_services.region_create(
            actor=root, code="622900", name="临夏回族自治州", level=Level.PREFECTURE, parent=None
        )
        assert region._state.db == "default"
        again = Region.objects.get(pk=region.pk)  # read on the replica (same database here)
        assert again._state.db == "replica"
        again.name = "临夏州"
        with CaptureQueriesContext(replica_alias) as on_replica:
            again.save()
        assert on_replica.captured_queries == []
    assert Region.objects.get(pk=region.pk).name == "临夏州"
