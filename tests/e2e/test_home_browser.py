"""The home page in a real browser (R-CAT-9, R-CASE-8): on a 375 px phone and a
1366×768 desktop it starts with the search box inside the first screen, nothing sticks
out sideways, and the centers table keeps the centers' names readable."""

from __future__ import annotations

import pytest

from onewindow.org.models import Center
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_r_cat_9_home_page_starts_with_the_search_on_a_phone_and_a_desktop(net, page, live_server):
    Center.objects.update(
        address="临夏市红园路12号政务服务大厦一楼至三楼综合受理大厅",
        hours="周一至周五 9:00—12:00，14:00—17:00（冬季）；周六延时服务 9:00—12:00",
        phone="0930-6212345",
    )
    name = Center.objects.get(pk=net.pref_center.pk).name
    for width, height in ((375, 812), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/")
        page.wait_for_load_state("domcontentloaded")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        search = page.locator("#home-q").bounding_box()
        assert search and search["y"] + search["height"] <= height, (width, search)
        # the first entry is in the first screen too
        entry = page.locator(".home-entries .entry").first.bounding_box()
        assert entry and entry["y"] < height
        # a center's name is a line of text, not a column of single characters
        cell = page.locator("td.center-name strong", has_text=name).first
        box = cell.bounding_box()
        font = page.evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)", cell.element_handle()
        )
        assert box["width"] >= 6 * font, (width, box, font)
        assert box["height"] <= 2.5 * font * 1.6, (width, box, font)
        page.screenshot(path=str(screenshot_path(f"home_{width}x{height}_first_screen")))
        page.screenshot(path=str(screenshot_path(f"home_{width}x{height}")), full_page=True)
    # the search finds guides
    page.fill("#home-q", "营业执照")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/matters/?q=*")
