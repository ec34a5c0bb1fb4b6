"""Remembered search answers (catalog.search_cache): a repeated search is answered
without reading the database, and every change a search can see is seen at once
(R-CAT-9: one source for every channel). Transactional tests: answers are only
remembered outside a transaction that changed the catalog."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from onewindow.catalog import search, search_cache, services
from onewindow.catalog.models import Listing, Matter
from tests.catalog.test_search import catalog  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _withdraw(catalog, listing):
    cancel = services.listing_request_change(
        actor=catalog.approver, listing=listing, kind="cancel", reason="上级取消"
    )
    services.change_request_decide(actor=catalog.gov_office, request=cancel, approve=True)


def test_r_cat_9_search_a_repeated_query_reads_nothing_until_the_catalog_changes(catalog):  # noqa: F811
    first = search.search_matters("营业执照", center=catalog.linxia_center)
    assert [m.pk for m in first.matters] == [catalog.matter.pk]
    with CaptureQueriesContext(connection) as queries:
        again = search.search_matters("营业执照", center=catalog.linxia_center)
    assert len(queries.captured_queries) == 0
    assert [m.pk for m in again.matters] == [catalog.matter.pk] and again.total == 1
    # A listing withdrawn through the services: the next search sees it at once.
    _withdraw(catalog, catalog.listing)
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 0
    # The standard matter itself is still found for the whole province.
    assert search.search_matters("营业执照").matters[0].pk == catalog.matter.pk


def test_r_cat_9_search_a_rolled_back_change_leaves_no_answer_behind(catalog):  # noqa: F811
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 1
    with transaction.atomic():
        _withdraw(catalog, catalog.listing)
        # Inside the transaction that changed the catalog: its own change is seen …
        assert search.search_matters("营业执照", center=catalog.linxia_center).total == 0
        transaction.set_rollback(True)
    # … and after its rollback, neither it nor an answer built on it is left.
    assert Listing.objects.get(pk=catalog.listing.pk).status == Listing.Status.ACTIVE
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 1


def test_r_cat_9_search_answers_another_process_keeps_expire_within_the_ttl(
    catalog,  # noqa: F811
    monkeypatch,
):
    """Should the shared counter miss a change (a write that bypasses the services), a
    remembered answer still lasts no longer than ``LOCAL_TTL``."""
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 1
    # A write that bypasses the services (the search reads the matter's status from its row).
    Matter.objects.filter(pk=catalog.matter.pk).update(status=Matter.Status.CANCELLED)
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 1
    later = search_cache.ttl_clock() + search_cache.LOCAL_TTL + 1
    monkeypatch.setattr(search_cache, "ttl_clock", lambda: later)
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 0


def test_r_cat_9_a_change_made_by_another_process_is_seen_at_once(catalog):  # noqa: F811
    """The catalog version lives in the cache the processes share (files under the data
    directory without Redis): a change announced by another process (here a real second
    Python process) makes this one's remembered answers unreachable at once."""
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 1
    # A write that bypasses the services (the search reads the matter's status from its row).
    Matter.objects.filter(pk=catalog.matter.pk).update(status=Matter.Status.CANCELLED)
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 1
    code = (
        "import django; django.setup(); "
        "from onewindow.catalog import search_cache; search_cache.catalog_changed()"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "onewindow.settings"},
    )
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 0


def test_r_cat_9_a_transaction_bumps_the_version_once_now_and_once_at_commit(catalog):  # noqa: F811
    """Many changes in one transaction move the shared counter once when the first is made
    and once at commit; a savepoint rolled back takes its commit bump along, so the next
    change bumps again."""
    start = search_cache.catalog_version()
    with transaction.atomic():
        for _ in range(5):
            search_cache.catalog_changed()
        assert search_cache.catalog_version() == start + 1
        assert search.search_matters("营业执照", center=catalog.linxia_center).total == 1
    assert search_cache.catalog_version() == start + 2

    with transaction.atomic():
        try:
            with transaction.atomic():
                search_cache.catalog_changed()
                raise RuntimeError
        except RuntimeError:
            pass
        assert search_cache.catalog_version() == start + 3
        search_cache.catalog_changed()  # the rolled-back savepoint's commit bump is gone
        assert search_cache.catalog_version() == start + 4
    assert search_cache.catalog_version() == start + 5
