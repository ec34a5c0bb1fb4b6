"""R-CAT-9, R-CASE-8: the citizen finds every public path from the home page, each guide
offers what can be done next at its center, and online application finds matters with
the catalog's own search."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import reverse

from onewindow.catalog import search
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.hall.models import ServiceCategory
from tests.catalog.conftest import GUIDE, make_matter, publish_through_review

# Pages a citizen's crawl does not enter: staff, admin, API, files and sign-in.
SKIP = ("/admin/", "/api/", "/workspace/", "/accounts/", "/static/", "/media/", "/org/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def crawl(client, start: str = "/", limit: int = 60) -> dict[str, int]:
    """Breadth-first over same-origin links from ``start``, at most ``limit`` pages;
    the status each page answered."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            url = urldefrag(urljoin(f"http://testserver{path}", href)).url
            parts = urlsplit(url)
            if parts.scheme != "http" or parts.netloc != "testserver":
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(SKIP) or target in seen:
                continue
            queue.append(target)
    return seen


def _listing(net, matter, code):
    request = catalog_services.listing_request_entry(
        actor=net.county_admin,
        matter=matter,
        center=net.linxia_center,
        department=net.linxia_market,
        code=code,
        reason="进驻",
        place="一楼综合窗口",
    )
    catalog_services.change_request_decide(actor=net.gov_office, request=request, approve=True)
    return Listing.objects.get(pk=request.listing_id)


@pytest.fixture
def portal(desk):
    """The desk's online matter, a matter handled on site only, a queue serving both."""
    matter, version = make_matter(
        desk,
        code="11620000MB7654321X",
        name="建筑垃圾处置核准",
        guide={**GUIDE, "online_depth": "on_site"},
    )
    publish_through_review(desk, version)
    matter.refresh_from_db()
    desk.on_site = matter
    desk.on_site_listing = _listing(desk, matter, "LX-0002")
    desk.category = ServiceCategory.objects.create(
        center=desk.linxia_center, letter="A", name="综合业务", order=1
    )
    desk.category.matters.set([desk.matter, matter])
    return desk


def test_r_cat_9_r_case_8_a_crawl_from_home_reaches_every_citizen_path(client, portal):
    seen = crawl(client)
    reached = {urlsplit(p).path for p, status in seen.items() if status == 200}
    for path in ("/apply/", "/complaints/new/", "/evaluation/review/", "/evaluation/public/"):
        assert path in reached, f"{path} is not reachable from the home page"
    assert f"/apply/{portal.listing.pk}/" in reached  # and on to the form itself
    assert not [p for p, status in seen.items() if status >= 500]


def test_r_cat_9_home_page_starts_with_the_search_then_the_entries(client, portal):
    page = client.get("/").content.decode()
    search_at = page.index('name="q"')
    entries = ["取号", "预约", "我的办事", "办件进度查询", "在线申请", "投诉建议", "评价"]
    main = page[page.index("<main") :]
    for label in entries:
        assert f"<strong>{label}</strong>" in main
    # the monthly ranking of reviews stays one click away, in every page's footer
    assert f'href="{reverse("portal:review_ranking")}"' in page
    # the search box comes first, the entries next, the network's figures lower down
    assert search_at < page.index("<strong>在线申请</strong>") < page.index("服务网络规模")
    assert 'action="/matters/"' in page


def _actions(page: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for action, href in re.findall(r'data-action="(\w+)" href="([^"]+)"', page):
        found.setdefault(action, []).append(href.replace("&amp;", "&"))
    return found


def test_r_cat_9_r_case_8_guide_offers_apply_book_and_ticket_at_its_center(client, portal):
    online = _actions(client.get(f"/matters/{portal.matter.pk}/").content.decode())
    assert f"/apply/{portal.listing.pk}/" in online["apply"]
    center, category = portal.linxia_center.pk, portal.category.pk
    assert f"/hall/book/?center={center}&category={category}" in online["book"]
    assert f"/hall/queue/?center={center}&category={category}" in online["queue"]
    # the links lead where they say: the form, and the queue with its category chosen
    assert client.get(online["apply"][0]).status_code == 200
    queue = client.get(online["queue"][0]).content.decode()
    assert re.search(rf'value="{category}" required checked', queue)

    on_site = _actions(client.get(f"/matters/{portal.on_site.pk}/").content.decode())
    assert "apply" not in on_site  # not an online matter: no 在线申请
    assert on_site["book"] and on_site["queue"]
    page = client.get(f"/matters/{portal.on_site.pk}/").content.decode()
    assert not re.search(r'href="/apply/\d+/"', page)


def _apply_matters(client, q: str) -> list[str]:
    page = client.get("/apply/", {"q": q}).content.decode()
    return re.findall(r'<td><a href="/matters/\d+/[^"]*">([^<]+)</a></td>', page)


@pytest.mark.parametrize("q", ["营业执照", "yyzz", "开饭店"])
def test_r_case_8_r_cat_9_apply_search_finds_what_the_guide_search_finds(client, portal, q):
    online_ids = set(
        Listing.objects.filter(matter__current_version__online_depth="full_online").values_list(
            "matter_id", flat=True
        )
    )
    guide = [m.name for m in search.search_matters(q).matters if m.pk in online_ids]
    found = _apply_matters(client, q)
    assert found == guide
    if q != "开饭店":
        assert found[:1] == ["个体工商户登记"]
