"""The crawl of the no-500 tests: follow every same-site link a user can reach from the
home page, the workspace and the admin. The tests are in three modules
(``test_no_500_crawl*.py``) so that the suite's processes share them."""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client

START = ("/", "/workspace/", "/admin/")
MAX_PAGES = 400
# Query-string variants fetched per path: sort orders, filters, pages and calendar months
# would otherwise fill the budget with one endless list.
MAX_VARIANTS = 6
SKIP_PREFIXES = ("/accounts/logout/", "/admin/logout/", "/static/")
ROLE_USERS = [
    "pref_admin",
    "pref_supervisor",
    "county_admin",
    "kangle_admin",
    "clerk",
    "township_clerk",
    "agent",
    "approver",
    "chief_rep",
    "police_approver",
    "county_supervisor",
    "gov_office",
    "legality",
    "final_reviewer",
    "pref_market_leader",
    "county_leader",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def same_site_links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url, _ = urldefrag(urljoin(f"http://testserver{base}", href))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(SKIP_PREFIXES):
            continue
        links.append(path)
    return links


def crawl(client: Client, *, limit: int = MAX_PAGES, start=START) -> dict[str, int]:
    """Breadth-first over same-site links from ``start``; returns the status of every
    page fetched."""
    seen: dict[str, int] = {}
    queue = deque(start)
    queued = set(start)
    variants: Counter[str] = Counter(start)
    while queue and len(seen) < limit:
        path = queue.popleft()
        response = client.get(path)
        seen[path] = response.status_code
        found: list[str] = []
        if response.status_code in (301, 302, 303, 307, 308):
            found = [urlsplit(urljoin(f"http://testserver{path}", response["Location"]))]
            found = [
                p.path + (f"?{p.query}" if p.query else "")
                for p in found
                if p.netloc in ("", "testserver")
            ]
            found = [p for p in found if not p.startswith(SKIP_PREFIXES)]
        elif response.get("Content-Type", "").startswith("text/html"):
            found = same_site_links(path, response.content.decode("utf-8", "replace"))
        for link in found:
            bare = link.split("?", 1)[0]
            if link not in queued and variants[bare] < MAX_VARIANTS:
                queued.add(link)
                variants[bare] += 1
                queue.append(link)
    return seen


def client_for(net, who: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if who == "root":
        client.force_login(net.root)
    elif who is not None:
        client.force_login(getattr(net, who))
    return client


def bad_inputs(net) -> list[str]:
    kangle = net.kangle_center.pk
    return [
        "/org/centers/?page=abc",
        "/org/centers/?page=999999",
        "/org/centers/?page=-1",
        "/org/centers/?page=1.5",
        "/org/centers/?level=nonsense",
        "/org/centers/?q=%00",
        "/org/centers/?q=" + "长" * 2000,
        "/org/centers/999999999/",
        "/org/centers/99999999999999999999999/",
        f"/org/centers/{kangle}/",
        "/org/departments/999999999/",
        "/org/staff/?page=abc",
        "/org/staff/?q=%00",
        "/org/staff/?q=%25_%5C",
        "/org/staff/999999999/",
        "/org/staff/abc/",
        "/workspace/audit/?page=abc",
        "/workspace/audit/?page=999999",
        "/workspace/audit/?since=2026-13-45",
        "/workspace/audit/?since=abc&until=2026-02-30",
        "/workspace/audit/?since=2026-05-01&until=2026-04-01",
        "/workspace/audit/?since=99999-01-01",
        "/workspace/audit/?actor=%00&target=%00&action=%00",
        "/admin/org/center/?p=abc",
        "/admin/org/center/?p=999999",
        "/admin/org/center/?o=abc",
        "/admin/org/center/?o=99",
        "/admin/org/center/?kind__exact=nonsense",
        "/admin/org/center/?is_active__exact=maybe",
        "/admin/org/center/?region__id__exact=abc",
        "/admin/org/center/?q=%00",
        "/admin/org/center/?not_a_field=1",
        "/admin/org/center/abc/change/",
        "/admin/org/center/999999999/change/",
        f"/admin/org/center/{kangle}/change/",
        f"/admin/org/center/{kangle}/history/",
        f"/admin/org/center/{kangle}/delete/",
        "/admin/org/centerunit/add/?center=abc",
        "/admin/org/department/?line__id__exact=abc",
        "/admin/org/staffprofile/?q=%00",
        "/admin/org/staffprofile/999999999/change/",
        "/admin/core/auditevent/?at__year=abc",
        "/admin/core/auditevent/?at__year=2026&at__month=13",
        "/admin/core/auditevent/?at__year=2026&at__month=2&at__day=31",
        "/admin/core/auditevent/?at__gte=notadate",
        "/admin/core/auditevent/999999999/change/",
        "/admin/core/user/999999999/password/",
        "/admin/no_such_app/",
        "/admin/org/no_such_model/",
        "/api/v1/org/centers/abc",
        "/api/v1/org/centers/999999999",
        f"/api/v1/org/centers/{kangle}",
        "/api/v1/org/centers?level=nonsense",
        "/api/v1/org/centers?q=%00",
        "/api/v1/org/regions?level=%00",
        "/api/v1/org/staff/abc",
        "/no/such/page/",
    ]


def assert_no_500_crawl(net, who: str | None) -> None:
    """``who`` (``None``: the anonymous visitor) crawls; no page answers 500."""
    seen = crawl(client_for(net, who))
    errors = {path: status for path, status in seen.items() if status >= 500}
    assert not errors, f"{who or 'anonymous'} reached server errors: {errors}"
    assert seen["/"] == 200
    if who is None:
        assert seen["/workspace/"] == 302
        return
    assert seen["/workspace/"] == 200
    assert any(path.startswith("/org/centers/") and seen[path] == 200 for path in seen)
