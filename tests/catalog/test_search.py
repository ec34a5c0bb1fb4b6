"""Catalog search and the published catalog on every channel (R-CAT-9): the same
published versions through the API and the public pages; search that understands
Chinese words, pinyin initials and everyday phrases; drafts never visible."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from onewindow.catalog import search, segment, services
from onewindow.catalog.models import Listing, Matter, MatterKind
from onewindow.core import statements
from onewindow.org.models import Level
from tests.catalog.conftest import GUIDE, MATERIALS, STEPS, make_matter, publish_through_review

API = "/api/v1/catalog"

FOOD_MATERIALS = [
    {"name": "食品经营许可申请书", "form": "original"},
    {"name": "营业执照", "form": "copy", "material_type": None},
    {"name": "经营者居民身份证", "form": "original_and_copy"},
    {"name": "食品安全管理制度文本", "form": "original"},
]
FOOD_GUIDE = {
    **GUIDE,
    "legal_basis": "《中华人民共和国食品安全法》第三十五条",
    "result": "食品经营许可证",
    "statutory_days": 20,
    "promised_days": 5,
    "online_depth": "online_apply",
}


# --- pure: segmentation and queries (no database) ---------------------------------------------


def test_r_cat_9_search_segment_drops_filler_words_and_keeps_the_matter_word():
    assert segment.parse_query("办营业执照").core == "营业执照"
    assert segment.parse_query("我想办理结婚登记").core == "结婚登记"
    assert [g.word for g in segment.parse_query("怎么办营业执照需要什么材料").groups] == [
        "营业执照"
    ]
    assert segment.parse_query("我要 办理").is_empty
    assert segment.parse_query("").is_empty and segment.parse_query("   ").is_empty


def test_r_cat_9_search_segment_indexes_pinyin_initials_and_full_pinyin():
    assert segment.initials("营业执照") == "yyzz"
    assert segment.full_pinyin("营业执照") == "yingyezhizhao"
    doc = segment.document(name="营业执照遗失补领", keywords="执照丢了 补执照")
    assert {"营业执照", "营业", "执照", "yyzz", "yyzzysbl", "yingyezhizhao"} <= set(doc.name)
    assert "执照丢了" in doc.keywords  # a keyword phrase is also kept whole


def test_r_cat_9_search_segment_maps_everyday_phrases_to_catalog_words():
    (group,) = segment.parse_query("我要开饭店").groups
    assert group.word == "开饭店" and "食品经营许可" in group.synonyms
    assert "出生登记" in segment.parse_query("生孩子").groups[0].synonyms
    assert "婚姻登记" in segment.parse_query("结婚").groups[0].synonyms
    assert "不动产" in segment.parse_query("买房").groups[0].synonyms


def test_r_cat_9_search_segment_normalizes_width_case_and_trims_long_or_hostile_input():
    assert segment.parse_query("ＹＹＺＺ").core == "yyzz"
    assert len(segment.parse_query("营" * 5000).text) <= segment.MAX_QUERY_LENGTH
    hostile = segment.parse_query("\x00' OR 1=1; --\"* NEAR(营业)")
    for term in hostile.terms():
        assert term.isalnum(), term  # nothing that could break out of a MATCH or tsquery


def test_r_cat_9_search_score_ranks_name_before_keywords_before_materials():
    query = segment.parse_query("营业执照")
    docs = {
        "name": segment.document(name="营业执照遗失补领"),
        "keywords": segment.document(name="个体工商户登记", keywords="营业执照"),
        "materials": segment.document(name="食品经营许可", materials=["营业执照"]),
    }

    def key(label):
        doc = docs[label]
        return segment.score(query, {f: set(getattr(doc, f)) for f in doc.FIELDS}).key()

    assert key("name") < key("keywords") < key("materials")


# --- database: a small catalog ------------------------------------------------------------------


def _publish_listing(net, matter, center, department, code, *, requester, decider, **local):
    request = services.listing_request_entry(
        actor=requester,
        matter=matter,
        center=center,
        department=department,
        code=code,
        reason="进驻",
        **local,
    )
    services.change_request_decide(actor=decider, request=request, approve=True)
    return Listing.objects.get(code=code)


@pytest.fixture
def catalog(cat):
    net = cat
    food, version = make_matter(
        net,
        code="11620000MB7654321X",
        name="食品经营许可",
        keywords="开饭店 餐馆 小吃店",
        guide=FOOD_GUIDE,
        materials=FOOD_MATERIALS,
    )
    publish_through_review(net, version)
    net.food = Matter.objects.get(pk=food.pk)

    query, version = make_matter(
        net,
        code="Q100",
        name="企业登记信息查询",
        kind=MatterKind.PUBLIC_SERVICE,
        keywords="查企业",
        guide={**GUIDE, "result": "企业登记信息"},
    )
    publish_through_review(net, version)
    net.query_matter = Matter.objects.get(pk=query.pk)

    police = services.matter_create(
        actor=net.root,
        code="GA001",
        name="居民身份证申领",
        kind=MatterKind.CONFIRMATION,
        level=Level.COUNTY,
        department=net.linxia_police,
        domain="户籍",
        keywords="办身份证 身份证",
    )
    draft = services.guide_draft_create(
        actor=net.root, matter=police, **{**GUIDE, "result": "居民身份证"}
    )
    services.guide_materials_set(
        actor=net.root, version=draft, materials=[{"name": "居民户口簿", "form": "original"}]
    )
    services.guide_steps_set(actor=net.root, version=draft, steps=STEPS)
    change = services.process_change_submit(actor=net.root, version=draft, reason="首次编制")
    change = services.process_change_legality_review(
        actor=net.legality, change=change, approve=True, opinion="合法"
    )
    services.process_change_final_review(
        actor=net.final_reviewer, change=change, approve=True, opinion="同意"
    )
    net.police_matter = Matter.objects.get(pk=police.pk)

    # A matter whose guide is still a draft: never visible.
    net.draft_matter, _ = make_matter(net, code="D1", name="结婚登记", keywords="结婚 领证")

    net.listing = _publish_listing(
        net,
        net.matter,
        net.linxia_center,
        net.linxia_market,
        "LX-GT-1",
        requester=net.county_admin,
        decider=net.gov_office,
        place="一楼综合窗口",
        windows="3号窗口",
    )
    net.food_listing = _publish_listing(
        net,
        net.food,
        net.kangle_center,
        net.kangle_market,
        "KL-SP-1",
        requester=net.kangle_admin,
        decider=net.root,
        place="二楼",
    )
    net.bundle = services.bundle_save(
        actor=net.county_admin,
        code="kaifandian",
        name="我要开饭店",
        matters=[net.matter, net.food],
        keywords="开饭店 餐馆 饭店",
        description="个体户登记和食品经营许可一次办",
    )
    return net


def names(result):
    return [m.name for m in result.matters]


@pytest.mark.parametrize(
    "query", ["营业执照", "办营业执照", "yyzz", "YYZZ", "个体户", "我要办个体户"]
)
def test_r_cat_9_search_finds_the_business_licence_by_words_initials_and_phrases(catalog, query):
    result = search.search_matters(query)
    assert result.matters and result.matters[0] == catalog.matter, names(result)


@pytest.mark.parametrize("query", ["开饭店", "我要开饭店", "开餐馆", "食品经营许可", "spjyxk"])
def test_r_cat_9_search_finds_the_food_licence_for_opening_a_restaurant(catalog, query):
    result = search.search_matters(query)
    assert result.matters[0] == catalog.food, names(result)


def test_r_cat_9_search_ranks_the_exact_name_first_and_material_hits_last(catalog):
    result = search.search_matters("营业执照")
    # 个体工商户登记 through its keywords and result; 食品经营许可 only asks for the licence.
    assert names(result)[:2] == ["个体工商户登记", "食品经营许可"]
    assert result.hits[1].fields == ("materials",)
    assert search.search_matters("个体工商户登记").hits[0].score.exact
    assert search.search_matters("11620000MB7654321X").matters == [catalog.food]
    assert names(search.search_matters("身份证"))[0] == "居民身份证申领"


def test_r_cat_9_search_empty_or_filler_query_browses_by_code(catalog):
    everything = search.search_matters("")
    assert everything.total == 4 and [m.code for m in everything.matters] == sorted(
        m.code for m in everything.matters
    )
    assert search.search_matters("我要办理").total == 4
    page = search.search_matters("", limit=2, offset=2)
    assert len(page.matters) == 2 and not page.has_next


def test_r_cat_9_search_filters_by_center_line_kind_and_level(catalog):
    assert search.search_matters("", center=catalog.linxia_center).matters == [catalog.matter]
    assert search.search_matters("营业执照", center=catalog.kangle_center).matters == [catalog.food]
    assert search.search_matters("", line=catalog.police).matters == [catalog.police_matter]
    assert search.search_matters("", kind=MatterKind.PUBLIC_SERVICE).matters == [
        catalog.query_matter
    ]
    assert search.search_matters("", level=Level.PREFECTURE).total == 0
    assert search.search_matters("", department=catalog.kangle_market).matters == [catalog.food]


def test_r_cat_9_search_never_shows_drafts(catalog):
    assert catalog.draft_matter.name not in names(search.search_matters("结婚登记"))
    assert catalog.draft_matter.name not in names(search.search_matters(""))
    # A new draft of a published matter: its materials are not searchable until published.
    draft = services.guide_draft_create(actor=catalog.approver, matter=catalog.matter)
    services.guide_materials_set(
        actor=catalog.approver,
        version=draft,
        materials=[*MATERIALS, {"name": "卫生许可证明", "form": "copy"}],
    )
    assert catalog.matter not in search.search_matters("卫生许可证明").matters
    publish_through_review(catalog, draft, reason="增加材料")
    assert search.search_matters("卫生许可证明").matters[0] == catalog.matter


def test_r_cat_9_search_drops_cancelled_matters_and_withdrawn_listings(catalog):
    Matter.objects.filter(pk=catalog.food.pk).update(status=Matter.Status.CANCELLED)
    assert catalog.food not in search.search_matters("开饭店").matters
    cancel = services.listing_request_change(
        actor=catalog.approver, listing=catalog.listing, kind="cancel", reason="上级取消"
    )
    services.change_request_decide(actor=catalog.gov_office, request=cancel, approve=True)
    assert search.search_matters("营业执照", center=catalog.linxia_center).total == 0
    assert (
        search.search_matters("营业执照").matters[0] == catalog.matter
    )  # the standard matter stays


def test_r_cat_9_search_offers_bundles_that_fit_the_query(catalog):
    assert search.search_bundles("我要开饭店") == [catalog.bundle]
    assert search.search_bundles("餐馆") == [catalog.bundle]
    assert search.search_bundles("居民身份证") == []
    assert search.search_bundles("") == [catalog.bundle]


def test_r_cat_9_search_rebuild_command_restores_the_index(catalog):
    table = search.PG_TABLE if connection.vendor == "postgresql" else search.SQLITE_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert search.search_matters("yyzz").total == 0
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "5 个事项" in out.getvalue()
    assert search.search_matters("yyzz").matters[0] == catalog.matter


def test_r_cat_9_search_page_rows_stand_for_their_matters(catalog):
    """The page is read from the statement's rows, not built as model instances: a found
    matter equals and hashes as its ``Matter`` and carries what the card, the API and the
    terminal show, as the model gives it."""
    found = search.search_matters("食品经营许可").matters[0]
    food = Matter.objects.select_related("current_version", "line", "department").get(
        pk=catalog.food.pk
    )
    assert found == food and food == found and found in {food} and found != catalog.matter
    assert [catalog.food] == [found] and catalog.matter not in [found]
    same = ("pk", "code", "name", "kind", "level", "domain", "line_id", "department_id")
    assert [getattr(found, a) for a in same] == [getattr(food, a) for a in same]
    assert found.get_kind_display() == food.get_kind_display() == "行政许可"
    assert (found.line.code, found.line.name, found.department.name) == (
        food.line.code,
        food.line.name,
        food.department.name,
    )
    guide, published = found.current_version, food.current_version
    shown = ("number", "promised_days", "statutory_days", "limit_unit", "visits", "online_depth")
    assert [getattr(guide, a) for a in shown] == [getattr(published, a) for a in shown]
    assert guide.get_online_depth_display() == published.get_online_depth_display()
    assert guide.get_limit_unit_display() == published.get_limit_unit_display() == "工作日"


def test_r_cat_9_search_statement_is_prepared_once_per_connection(catalog):
    """On PostgreSQL a statement's shape is parsed and planned once per connection, then
    only executed; a new connection prepares it again. On SQLite it is sent as it is."""
    from django.test.utils import CaptureQueriesContext

    from onewindow.catalog import search_cache

    def searched():
        search_cache.forget_all()
        with CaptureQueriesContext(connection) as ctx:
            names = [m.name for m in search.search_matters("营业执照").matters]
        return names, [q["sql"].split()[0] for q in ctx.captured_queries]

    first, sent = searched()
    assert first[:2] == ["个体工商户登记", "食品经营许可"]
    if connection.vendor != "postgresql":
        assert sent == ["SELECT"]
        return
    assert sent in (["PREPARE", "EXECUTE"], ["EXECUTE"])  # an earlier test may have prepared it
    assert searched() == (first, ["EXECUTE"])
    setattr(
        connection, statements.PREPARED_ATTRIBUTE, (object(), {})
    )  # as if the connection were new
    assert searched() == (first, ["PREPARE", "EXECUTE"])
    assert searched() == (first, ["EXECUTE"])


# --- API ----------------------------------------------------------------------------------------


def test_r_cat_9_search_api_is_public_and_ranked(catalog, client):
    response = client.get(f"{API}/matters", {"q": "yyzz"})
    assert response.status_code == 200
    body = response.json()
    assert body["items"][0]["id"] == catalog.matter.pk and body["terms"] == ["yyzz"]
    first = body["items"][0]
    assert (
        first["promised_days"] == 3
        and first["visits"] == 1
        and first["online_depth"] == "full_online"
    )
    assert first["line_code"] == "scjg" and first["kind_label"] == "行政许可"
    body = client.get(
        f"{API}/matters", {"q": "开饭店", "center_id": catalog.kangle_center.pk}
    ).json()
    assert [i["id"] for i in body["items"]] == [catalog.food.pk]
    body = client.get(f"{API}/matters", {"limit": 2, "offset": 1, "line": "scjg"}).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    body = client.get(f"{API}/matters", {"kind": "public_service", "level": "county"}).json()
    assert [i["id"] for i in body["items"]] == [catalog.query_matter.pk]


def test_r_cat_9_search_api_rejects_bad_filters_with_the_error_shape(catalog, client):
    response = client.get(f"{API}/matters", {"kind": "nonsense"})
    assert response.status_code == 422 and response.json()["code"] == "catalog.invalid_filter"
    assert "kind" in response.json()["fields"]
    response = client.get(f"{API}/matters", {"center_id": 999999})
    assert response.status_code == 404
    assert response.json() == {
        "code": "center.not_found",
        "message": "未找到该服务中心。",
        "fields": {},
    }
    assert client.get(f"{API}/matters", {"center_id": "abc"}).status_code == 422
    assert client.get(f"{API}/matters", {"limit": 1000}).status_code == 422
    assert client.get(f"{API}/matters", {"q": "营" * 3000 + "\x00"}).status_code == 200
    assert client.get(f"{API}/matters", {"line": "nope"}).json()["code"] == "catalog.invalid_filter"


def test_r_cat_9_api_guides_by_version_and_the_page_show_the_same_published_version(
    catalog, client
):
    matter = catalog.matter
    v2 = services.guide_draft_create(actor=catalog.approver, matter=matter, promised_days=2)
    publish_through_review(catalog, v2, reason="压缩时限")
    draft = services.guide_draft_create(actor=catalog.approver, matter=matter, promised_days=1)

    current = client.get(f"{API}/matters/{matter.pk}/guide").json()
    assert (current["number"], current["status"], current["is_current"]) == (2, "published", True)
    assert current["promised_days"] == 2 and current["materials"][0]["name"] == MATERIALS[0]["name"]
    old = client.get(f"{API}/matters/{matter.pk}/guide", {"version": 1}).json()
    assert (old["number"], old["status"], old["promised_days"]) == (1, "superseded", 3)
    response = client.get(f"{API}/matters/{matter.pk}/guide", {"version": draft.number})
    assert response.status_code == 404 and response.json()["code"] == "guide.not_found"

    detail = client.get(f"{API}/matters/{matter.pk}").json()
    assert detail["version"] == 2 and [v["number"] for v in detail["versions"]] == [2, 1]
    listed = client.get(f"{API}/matters", {"q": "个体工商户登记"}).json()["items"][0]
    assert listed["version"] == 2 and listed["promised_days"] == 2

    page = client.get(reverse("portal:matter_list"), {"q": "个体工商户登记"}).content.decode()
    assert "2个工作日" in page and "1个工作日" not in page


def test_r_cat_9_api_not_found_shapes(catalog, client):
    for url, code in [
        (f"{API}/matters/999999", "matter.not_found"),
        (f"{API}/matters/{catalog.draft_matter.pk}", "matter.not_found"),
        (f"{API}/matters/{catalog.draft_matter.pk}/guide", "matter.not_found"),
        (f"{API}/listings/999999", "listing.not_found"),
        (f"{API}/bundles/no-such-thing", "bundle.not_found"),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == code and set(response.json()) == {
            "code",
            "message",
            "fields",
        }


def test_r_cat_10_api_listing_carries_local_facts_and_the_standard_guide(catalog, client):
    body = client.get(f"{API}/listings", {"center_id": catalog.linxia_center.pk}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == "LX-GT-1"
    assert client.get(f"{API}/listings").json()["count"] == 2
    detail = client.get(f"{API}/listings/{catalog.listing.pk}").json()
    assert detail["place"] == "一楼综合窗口" and detail["windows"] == "3号窗口"
    assert detail["department_name"] == catalog.linxia_market.name
    assert detail["guide"]["number"] == 1 and len(detail["guide"]["materials"]) == len(MATERIALS)
    other = client.get(f"{API}/listings/{catalog.food_listing.pk}").json()
    assert other["guide"]["matter_id"] == catalog.food.pk


def test_r_cat_9_api_bundles_with_merged_materials(catalog, client):
    listed = client.get(f"{API}/bundles", {"q": "开饭店"}).json()
    assert [b["code"] for b in listed] == ["kaifandian"]
    assert [m["id"] for m in listed[0]["matters"]] == [catalog.matter.pk, catalog.food.pk]
    detail = client.get(f"{API}/bundles/kaifandian").json()
    merged = [m["name"] for m in detail["materials"]]
    assert merged.count("经营者居民身份证") == 1
    assert detail["separate_material_count"] > len(merged)
    assert detail["promised_days"] == 5


# --- public page --------------------------------------------------------------------------------


def test_r_cat_9_search_page_finds_yyzz_and_offers_the_bundle_without_login(catalog, client):
    page = client.get(reverse("portal:matter_list"), {"q": "yyzz"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("个体工商户登记") < html.index("result-count") + 10_000
    assert reverse("portal:matter_detail", args=[catalog.matter.pk]) in html
    html = client.get(reverse("portal:matter_list"), {"q": "我要开饭店"}).content.decode()
    assert reverse("portal:bundle_detail", args=["kaifandian"]) in html
    first = html.index('class="matter-card"')
    assert html.index("食品经营许可", first) < html.index("</li>", first)
    assert "相关：常用说法" in html  # why the food licence answers "我要开饭店"


def test_r_cat_9_search_page_filters_and_keeps_them_in_links(catalog, client):
    html = client.get(
        reverse("portal:matter_list"), {"center": catalog.linxia_center.pk, "kind": "licensing"}
    ).content.decode()
    assert "个体工商户登记" in html and "食品经营许可" not in html
    assert f"?center={catalog.linxia_center.pk}" in html  # the guide opens with the center's facts


@pytest.mark.parametrize(
    "params",
    [
        {"center": "abc"},
        {"center": "999999"},
        {"center": "1" * 40},
        {"kind": "x"},
        {"level": "x"},
        {"line": "x"},
        {"page": "abc"},
        {"page": "99999999999"},
        {"q": "营" * 5000},
        {"q": "a\x00b"},
        {"q": "\"' OR 1=1 --*"},
        {"q": "NEAR(营业 执照)"},
        {"q": "yyzz", "page": "0"},
    ],
)
def test_r_cat_9_search_page_never_fails_on_bad_parameters(catalog, client, params):
    response = client.get(reverse("portal:matter_list"), params)
    assert response.status_code == 200


def test_r_cat_9_search_page_says_so_when_nothing_is_found(catalog, client):
    html = client.get(reverse("portal:matter_list"), {"q": "火星移民"}).content.decode()
    assert "没有找到与“火星移民”相关的事项" in html and "12345" in html


def test_r_cat_9_a_flush_leaves_no_stale_search_document(cat):
    from django.db import connection

    from onewindow.catalog.models import Matter
    from onewindow.catalog.search import PG_TABLE, SQLITE_TABLE, prune_orphans, search_matters

    table = PG_TABLE if connection.vendor == "postgresql" else SQLITE_TABLE
    key = "matter_id" if connection.vendor == "postgresql" else "rowid"
    assert search_matters("yyzz").total == 1
    missing_id = Matter.objects.order_by("-pk").first().pk + 1000
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {key} = %s", [missing_id])
    prune_orphans()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone()[0] == 0
