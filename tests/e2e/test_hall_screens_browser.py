"""The hall's public screens at their real sizes (R-HALL-3, R-HALL-7): the display's
calling card is never covered by the category panel, landscape or portrait, and the
self-service terminal keeps its big layout on every path. Screenshots of each size are
saved under test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from onewindow.hall import services
from onewindow.hall.models import ServiceCategory, Window
from tests.cases.conftest import desk  # noqa: F401  (a listed matter)
from tests.catalog.conftest import cat  # noqa: F401
from tests.e2e.conftest import screenshot_path
from tests.hall.conftest import add_clerk, hall  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

DEMO_CATEGORIES = [
    ("A", "企业开办"),
    ("B", "社保医保"),
    ("C", "不动产登记"),
    ("D", "公安户政"),
    ("E", "综合受理（无差别）"),
    ("F", "一件事一次办"),
    ("G", "其他事务代办"),
    ("H", "统一出件"),
    ("Z", "自助打印查询"),
]
DISPLAY_SIZES = [(1366, 768), (1920, 1080), (3840, 2160), (1080, 1920)]


@pytest.fixture(autouse=True)
def _open_hall(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    cache.clear()
    yield
    cache.clear()


def _box(page, selector) -> dict:
    return page.locator(selector).bounding_box()


def _intersect(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def test_r_hall_3_the_call_is_never_covered_by_the_category_panel(net, browser, live_server):
    center = net.linxia_center
    categories = [
        ServiceCategory.objects.create(center=center, letter=letter, name=name, order=i)
        for i, (letter, name) in enumerate(DEMO_CATEGORIES)
    ]
    window = Window.objects.create(center=center, number=3, name="综合窗口")
    services.window_set_categories(actor=net.county_admin, window=window, categories=categories)
    clerk = add_clerk(net, "display_clerk")
    services.window_sign_in(actor=clerk, window=window)
    for category in categories:  # every category has people waiting
        for _ in range(2 if category.letter != "E" else 1):
            services.ticket_issue(center=center, category=category)
    services.ticket_issue(center=center, category=categories[4])  # E002 waits
    called = services.ticket_call(
        actor=clerk,
        window=window,
        ticket=center.tickets.get(code="E001"),
    )
    assert called.code == "E001"

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server.url}/hall/display/{center.pk}/")
    assert page.locator("#latest-text").inner_text() == "请E001号到3号窗口办理"
    try:
        for width, height in DISPLAY_SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_function(
                f"() => window.innerWidth === {width} && window.innerHeight === {height}"
            )
            card, panel = _box(page, ".d-latest"), _box(page, ".d-wait")
            text, code = _box(page, "#latest-text"), _box(page, "#latest-code")
            view = {"x": 0, "y": 0, "width": width, "height": height}
            size = f"{width}x{height}"
            page.screenshot(path=str(screenshot_path(f"hall_display_call_{size}")))
            assert not _intersect(card, panel), f"{size}: the category panel covers the call"
            assert _inside(text, view) and _inside(code, view), f"{size}: call off screen"
            assert _inside(text, card) and _inside(code, card), f"{size}: call cut off"
            assert _inside(panel, view), f"{size}: the category panel is cut off"
            # Large: the ticket number is read from across the hall.
            assert code["height"] >= 0.09 * min(width, height), f"{size}: number too small"
            text_px = page.evaluate(
                "parseFloat(getComputedStyle(document.getElementById('latest-text')).fontSize)"
            )
            assert text_px >= 0.024 * min(width, height), f"{size}: call text too small"
            # Every category's waiting count is on screen, none clipped.
            for i in range(len(DEMO_CATEGORIES)):
                item = _box(page, f"#categories li:nth-child({i + 1})")
                assert _inside(item, panel), f"{size}: category {i + 1} cut off"
            names_cut = page.evaluate(
                "[...document.querySelectorAll('#categories .name')]"
                ".filter(n => n.scrollWidth > n.clientWidth + 1).map(n => n.textContent)"
            )
            assert names_cut == [], f"{size}: category names cut: {names_cut}"
    finally:
        context.close()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_r_hall_7_terminal_home_and_guide_in_portrait(hall, desk, browser, live_server):  # noqa: F811
    hall.cat_a.matters.add(desk.matter)
    center = hall.linxia_center
    context = browser.new_context(locale="zh-CN", viewport={"width": 1080, "height": 1920})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/hall/terminal/{center.pk}/")
        assert page.locator(".k-home").count() == 0, "home needs no way home"
        assert _no_sideways_scroll(page)
        for entry in ("办事指南", "办件进度查询", "评价", "打印", "投诉建议"):
            button = page.locator(f"nav.k-more a:text-is('{entry}')")
            assert button.bounding_box()["height"] >= 72, entry
        page.screenshot(path=str(screenshot_path("hall_terminal_home_1080x1920")), full_page=True)

        with page.expect_navigation():
            page.click("nav.k-more a:text-is('办事指南')")
        page.fill("#k-q", "营业执照")
        with page.expect_navigation():
            page.click("form.k-search button[type=submit]")
        page.click("a.k-btn:has-text('查看办事指南')")
        page.wait_for_url(f"**/hall/terminal/{center.pk}/guides/{desk.matter.pk}/**")
        assert page.locator("h1").inner_text() == desk.matter.name
        assert page.locator("body.kiosk").count() == 1
        assert "经营场所使用证明" in page.inner_text("#h-materials + ol")
        home = page.locator(".k-home")
        box = home.bounding_box()
        assert home.inner_text().endswith("返回首页") and box["height"] >= 60
        assert box["y"] >= 0 and box["x"] + box["width"] <= 1080
        assert _no_sideways_scroll(page)
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 22, "large type on a public screen"
        page.screenshot(path=str(screenshot_path("hall_terminal_guide_1080x1920")), full_page=True)
        home.click()
        page.wait_for_url(f"**/hall/terminal/{center.pk}/")
    finally:
        context.close()
