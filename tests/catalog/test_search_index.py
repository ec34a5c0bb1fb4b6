"""The catalog search reads the index the database keeps (R-CAT-9): the plan of a scoped
search uses the FTS5 table (SQLite) or the GIN index (PostgreSQL) and never the listings,
and the index follows the writes that change what a search can see, in their transaction:
a guide edited and published, a listing entered and withdrawn, a center's state."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from onewindow.catalog import search, search_index, segment, services
from onewindow.catalog.models import Listing
from onewindow.org import services as org_services
from tests.catalog.conftest import MATERIALS, make_matter, publish_through_review
from tests.plans import index_plan

pytestmark = pytest.mark.django_db


def _scope(matter) -> set[str]:
    """The scope tokens the index holds for a matter, read from the index itself."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT unnest(tsvector_to_array(scope)) FROM {search.PG_TABLE} "
                "WHERE matter_id = %s",
                [matter.pk],
            )
            return {r[0] for r in cursor.fetchall()}
        cursor.execute(f"SELECT token FROM {search.SQLITE_SCOPE} WHERE matter_id = %s", [matter.pk])
        return {r[0] for r in cursor.fetchall()}


def _documents() -> tuple[str, str]:
    """The index's documents table and the column that names a document's matter."""
    if connection.vendor == "postgresql":
        return search.PG_TABLE, "matter_id"
    return search.SQLITE_TABLE, "rowid"


def _materials(matter) -> str:
    table, key = _documents()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT materials FROM {table} WHERE {key} = %s", [matter.pk])
        return cursor.fetchone()[0]


def _enter(net, matter, center, department, code):
    return services.catalog_import_activate(
        actor=net.root,
        matter=matter,
        center=center,
        department=department,
        code=code,
        note="进驻",
    )


def test_r_cat_9_search_index_plan_of_a_scoped_search_reads_the_index_not_the_listings(cat):
    _enter(cat, cat.matter, cat.hanji_center, cat.linxia_market, "HJ-GT-1")
    parsed = segment.parse_query("营业执照")
    filters = search.Filters(center=cat.hanji_center.pk, region=cat.linxia.code)
    sql, params = search.ranked_sql(parsed, filters, limit=20, offset=0)
    plan = index_plan(sql, params)
    assert "catalog_listing" not in plan, plan
    if connection.vendor == "postgresql":
        assert "catalog_search_document_gin" in plan, plan
    else:
        assert "VIRTUAL TABLE INDEX" in plan and search.SQLITE_TABLE in plan, plan
        assert f"{search.SQLITE_SCOPE} USING PRIMARY KEY" in plan, plan
    # The same statement answers: one match, the licence, with its count.
    result = search.search_matters("营业执照", center=cat.hanji_center)
    assert (result.total, result.matters) == (1, [cat.matter])
    assert result.matters[0].line.code == "scjg" and result.matters[0].current_version.number == 1


def test_r_cat_9_search_index_follows_a_listing_entered_withdrawn_and_a_center_closed(cat):
    matter, hanji, linxia = cat.matter, cat.hanji_center, cat.linxia_center
    assert _scope(matter) == set()  # published, listed nowhere yet
    assert search.search_matters("个体户", center=hanji).total == 0

    _enter(cat, matter, hanji, cat.linxia_market, "HJ-GT-1")
    dept = cat.linxia_market.pk
    assert _scope(matter) == {
        f"c{hanji.pk}",
        f"d{dept}",
        f"c{hanji.pk}x{dept}",
        "r622900",
        "r622921",
        f"r{cat.hanji.code}",
    }
    assert search.search_matters("个体户", center=hanji).matters == [matter]
    assert search.search_matters("个体户", region=cat.linxia).matters == [matter]
    assert search.search_matters("个体户", region=cat.kangle).total == 0
    assert search.search_matters("个体户", center=linxia).total == 0

    # Withdrawn from the township: a cancellation approved by the county's office.
    listing = Listing.objects.get(matter=matter, center=hanji)
    request = services.listing_request_change(
        actor=cat.root, listing=listing, kind="cancel", reason="调整进驻"
    )
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    assert _scope(matter) == set()
    assert search.search_matters("个体户", center=hanji).total == 0
    assert search.search_matters("个体户").matters == [matter]  # the standard matter stays

    # A center closed: what it lists leaves its scope; opened again, it comes back.
    _enter(cat, matter, linxia, cat.linxia_market, "LX-GT-1")
    assert f"c{linxia.pk}" in _scope(matter)
    org_services.center_update(actor=cat.root, center=linxia, is_active=False)
    assert _scope(matter) == set()
    assert search.search_matters("个体户", center=linxia).total == 0
    org_services.center_update(actor=cat.root, center=linxia, is_active=True)
    assert f"c{linxia.pk}" in _scope(matter)
    assert search.search_matters("个体户", center=linxia).matters == [matter]


def test_r_cat_9_search_index_follows_an_edit_published_and_a_rolled_back_write(cat):
    matter = cat.matter
    _enter(cat, matter, cat.hanji_center, cat.linxia_market, "HJ-GT-1")
    assert "卫生" not in _materials(matter)
    draft = services.guide_draft_create(actor=cat.approver, matter=matter)
    services.guide_materials_set(
        actor=cat.approver,
        version=draft,
        materials=[*MATERIALS, {"name": "卫生许可证明", "form": "copy"}],
    )
    assert "卫生" not in _materials(matter)  # a draft is not indexed
    publish_through_review(cat, draft, reason="增加材料")
    assert "卫生" in _materials(matter).split()
    hit = search.search_matters("卫生许可证明", center=cat.hanji_center).hits[0]
    assert hit.matter == matter and hit.fields == ("materials",)
    assert hit.matter.current_version.number == 2

    # A write that rolls back takes its index change with it.
    with pytest.raises(RuntimeError), transaction.atomic():
        listing = Listing.objects.get(matter=matter, center=cat.hanji_center)
        request = services.listing_request_change(
            actor=cat.root, listing=listing, kind="cancel", reason="调整"
        )
        services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
        assert f"c{cat.hanji_center.pk}" not in _scope(matter)
        raise RuntimeError
    assert f"c{cat.hanji_center.pk}" in _scope(matter)
    assert search.search_matters("个体户", center=cat.hanji_center).matters == [matter]


def test_r_cat_9_search_index_a_listing_decision_rewrites_the_scope_only(cat, monkeypatch):
    matter = cat.matter
    _enter(cat, matter, cat.hanji_center, cat.linxia_market, "HJ-GT-1")
    listing = Listing.objects.get(matter=matter, center=cat.hanji_center)
    request = services.listing_request_change(
        actor=cat.root, listing=listing, kind="cancel", reason="调整进驻"
    )
    # The matter's words are not read again: only where it is offered changed.
    monkeypatch.setattr(search_index, "matter_document", lambda m: pytest.fail("document rebuilt"))
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    assert _scope(matter) == set()
    assert search.search_matters("个体户").matters == [matter]
    assert search.search_matters("个体户", center=cat.hanji_center).total == 0


def test_r_cat_9_search_index_a_listing_decision_indexes_a_matter_missing_from_it(cat):
    matter = cat.matter
    _enter(cat, matter, cat.hanji_center, cat.linxia_market, "HJ-GT-1")
    table, key = _documents()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {key} = %s", [matter.pk])
    assert search.search_matters("个体户").total == 0
    listing = Listing.objects.get(matter=matter, center=cat.hanji_center)
    request = services.listing_request_change(
        actor=cat.root, listing=listing, kind="cancel", reason="调整进驻"
    )
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    assert search.search_matters("个体户").matters == [matter]
    assert search.search_matters("个体户", center=cat.hanji_center).total == 0
    assert _scope(matter) == set()


def test_r_cat_9_search_index_ranks_in_the_database_and_pages_with_the_total(cat):
    lost, version = make_matter(cat, code="YY1", name="营业执照遗失补领")
    publish_through_review(cat, version)
    whole = search.search_matters("营业执照")
    # The name before the keywords (个体工商户登记 holds 营业执照 among its keywords).
    assert [m.name for m in whole.matters] == ["营业执照遗失补领", "个体工商户登记"]
    assert whole.total == 2 and [h.fields[0] for h in whole.hits] == ["name", "keywords"]
    pages = [search.search_matters("营业执照", limit=1, offset=i) for i in range(2)]
    assert [p.matters[0] for p in pages] == whole.matters and {p.total for p in pages} == {2}
    beyond = search.search_matters("营业执照", limit=1, offset=2)
    assert (beyond.total, beyond.matters) == (2, [])
    # The exact name typed in initials comes first, the prefix match after it.
    exact = search.search_matters("yyzzysbl")
    assert exact.matters[0].pk == lost.pk and exact.hits[0].score.exact
    assert [m.name for m in search.search_matters("yyzz").matters] == [
        "营业执照遗失补领",
        "个体工商户登记",
    ]
