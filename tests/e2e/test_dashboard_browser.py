"""R-SUP-4 in a real browser: a director of the prefecture signs in, opens the
dashboard from the workspace and drills down prefecture → county → center → window,
each step a link of the page; the big-screen mode fills 1920×1080."""

from __future__ import annotations

import pytest

from onewindow.hall.models import Window
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_r_sup_4_a_director_drills_from_the_prefecture_to_one_window(net, login, live_server):
    Window.objects.create(center=net.linxia_center, number=3, name="综合窗口")
    page = login("pref_supervisor", PASSWORD)
    with page.expect_navigation():
        page.click("#dashboard-entry >> text=打开运行总览")
    assert "临夏回族自治州" in page.locator("h1").inner_text()
    assert page.locator("#hall-today").is_visible() and page.locator("#cases-now").is_visible()
    for name in ("临夏县", "临夏县政务服务中心", "3号窗口"):
        with page.expect_navigation():
            page.click(f"#drill >> text={name}")
        assert name in page.locator("h1").inner_text()
    crumbs = page.locator("nav.crumbs").inner_text()
    assert "临夏回族自治州" in crumbs and "临夏县政务服务中心" in crumbs
    page.screenshot(path=str(screenshot_path("dashboard_window_1280")), full_page=True)
    with page.expect_navigation():
        page.click("nav.crumbs >> text=临夏县政务服务中心")
    assert "临夏县政务服务中心" in page.locator("h1").inner_text()


def test_r_sup_4_the_big_screen_fits_1920_by_1080(net, browser, live_server, login):
    page = login("county_admin", PASSWORD)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/dashboard/screen/?node=c{net.linxia_center.pk}")
    assert page.locator("h1").inner_text().startswith("临夏县政务服务中心")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1920
    page.screenshot(path=str(screenshot_path("dashboard_screen_1920")))
