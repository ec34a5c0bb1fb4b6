"""What only a browser proves of R-CIT-2 and R-HALL-7: an accessibility scan (axe-core,
through axe-playwright-python) of the home page, a guide, the ticket pages and the
terminal in normal and elder mode finds nothing serious or critical; in elder mode on a
375 px phone the type, headings, line spacing and touch targets meet the MIIT 适老化
numbers. Screenshots at 375 px, 1366 px and the terminal's 1080×1920 portrait."""

from __future__ import annotations

import gzip

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.urls import reverse

from onewindow.hall import selectors as hall_selectors
from onewindow.hall import services as hall_services
from onewindow.portal import prefs
from tests.cases.conftest import desk  # noqa: F401  (a listed matter)
from tests.catalog.conftest import cat  # noqa: F401
from tests.e2e.conftest import screenshot_path
from tests.hall.conftest import hall  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

BAD = ("serious", "critical")

# In elder mode: every visible text ≥ 24 px (18 pt), the first heading ≥ 40 px (30 pt),
# line spacing ≥ 1.3, every control ≥ 60×60 px, nothing wider than the screen.
MEASURE = """() => {
  const out = {text: [], targets: [], h1: 0, ratio: 9, width: document.documentElement.scrollWidth};
  const seen = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const body = getComputedStyle(document.body);
  out.body = parseFloat(body.fontSize);
  out.ratio = parseFloat(body.lineHeight) / parseFloat(body.fontSize);
  const h1 = document.querySelector('main h1'); out.h1 = h1 ? parseFloat(getComputedStyle(h1).fontSize) : 0;
  for (const el of document.querySelectorAll('header *, main *, footer *')) {
    if (!seen(el)) continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && parseFloat(getComputedStyle(el).fontSize) < 24) out.text.push(el.tagName + ':' + el.textContent.trim().slice(0, 20));
    if (el.matches('a, button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, summary')) {
      const r = el.getBoundingClientRect();
      if (r.height < 60 || r.width < 60) out.targets.push(el.tagName + ':' + (el.textContent || el.name).trim().slice(0, 20) + ` ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}"""


@pytest.fixture(autouse=True)
def _open_hall(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(hall, desk):  # noqa: F811
    hall.cat_a.matters.add(desk.matter)
    desk.ticket = hall_services.ticket_issue(center=desk.linxia_center, category=desk.cat_a)
    return desk


def _pages(net) -> dict[str, str]:
    center = net.linxia_center.pk
    return {
        "home": f"/?center={center}",
        "guide": reverse("portal:matter_detail", args=[net.matter.pk]),
        "queue": f"{reverse('portal:queue')}?center={center}",
        "ticket": reverse("portal:ticket_status", args=[hall_selectors.ticket_token(net.ticket)]),
        "terminal": reverse("portal:terminal", args=[center]),
        "terminal_review": reverse("portal:terminal_review", args=[center]),
        "terminal_checkin": reverse("portal:terminal_checkin", args=[center]),
    }


def _context(browser, live_server, *, elder: bool, width: int, height: int):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    if elder:
        context.add_cookies([{"name": prefs.ELDER_COOKIE, "value": "1", "url": live_server.url}])
    return context


def test_r_cit_2_r_hall_7_no_serious_accessibility_finding_in_normal_and_elder_mode(
    world, browser, live_server
):
    axe = Axe()
    found = {}
    for elder in (False, True):
        for name, path in _pages(world).items():
            size = (1080, 1920) if name.startswith("terminal") else (1366, 900)
            context = _context(browser, live_server, elder=elder, width=size[0], height=size[1])
            page = context.new_page()
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            assert ("elder" in (page.get_attribute("html", "class") or "")) == elder, name
            violations = axe.run(page).response["violations"]
            bad = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in violations
                if v["impact"] in BAD
            ]
            if bad:
                found[(name, elder)] = bad
            mode = "elder" if elder else "normal"
            page.screenshot(path=str(screenshot_path(f"r_cit_2_{name}_{mode}_{size[0]}x{size[1]}")))
            context.close()
    assert not found, found


def test_r_cit_2_elder_mode_meets_the_numbers_on_a_375_px_phone(world, browser, live_server):
    context = _context(browser, live_server, elder=True, width=375, height=812)
    page = context.new_page()
    try:
        for name in ("home", "guide", "queue"):
            page.goto(live_server.url + _pages(world)[name])
            page.wait_for_load_state("load")
            got = page.evaluate(MEASURE)
            assert got["width"] <= 375, (name, got["width"])
            assert got["body"] >= 24 and got["h1"] >= 40 and got["ratio"] >= 1.3, (name, got)
            assert not got["text"], (name, got["text"][:40])
            assert not got["targets"], (name, got["targets"][:40])
            page.screenshot(path=str(screenshot_path(f"r_cit_2_{name}_elder_375")), full_page=True)
        # the normal mode at 375 px and 1366 px, for the eye
        normal = _context(browser, live_server, elder=False, width=375, height=812).new_page()
        for width in (375, 1366):
            normal.set_viewport_size({"width": width, "height": 812 if width == 375 else 768})
            normal.goto(live_server.url + _pages(world)["home"])
            normal.wait_for_load_state("load")
            assert normal.evaluate("document.documentElement.scrollWidth") <= width
            normal.screenshot(
                path=str(screenshot_path(f"r_cit_2_home_normal_{width}")), full_page=True
            )
        normal.context.close()
    finally:
        context.close()


# A village network (R-CIT-2; bench/portal_weight.py times it throttled): the home page's
# first load, as a server compressing text sends it, stays within 60 KB.
BUDGET_BYTES = 60 * 1024
TEXT = ("text/", "application/javascript", "application/json", "image/svg")


def _first_load(page, url: str) -> dict[str, int]:
    """What the first load of ``url`` transfers, per address: text gzip-compressed (as
    WhiteNoise serves it in production; the test server sends it plain), the rest as is,
    each with 400 bytes of headers."""
    got: dict[str, int] = {}

    def keep(response):
        kind = response.headers.get("content-type", "")
        body = response.body() if response.status < 300 else b""
        size = len(gzip.compress(body, 6)) if kind.startswith(TEXT) else len(body)
        got[response.url] = size + 400

    page.on("response", keep)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return got


def test_r_cit_2_the_home_page_first_load_fits_a_village_network(world, browser, live_server):
    for elder in (False, True):
        context = _context(browser, live_server, elder=elder, width=375, height=812)
        try:
            loads = _first_load(context.new_page(), live_server.url + _pages(world)["home"])
        finally:
            context.close()
        total = sum(loads.values())
        listing = {url.replace(live_server.url, ""): n for url, n in sorted(loads.items())}
        print(f"home {'elder' if elder else 'normal'}: {total / 1024:.1f} KB", listing)
        assert any(url.endswith(".css") for url in listing), listing
        assert total <= BUDGET_BYTES, (elder, total, listing)
