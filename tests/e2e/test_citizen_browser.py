"""我的事务 in a real browser (R-CIT-1): on a 375 px phone a citizen follows 我的 in the
header, signs in and sees their claimed application; the page fits the screen."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.cases.conftest import desk  # noqa: F401  (the listing fixture)
from tests.catalog.conftest import cat  # noqa: F401
from tests.e2e.conftest import screenshot_path
from tests.portal.conftest import ALICE, CITIZEN_PASSWORD, a_case, claim, register

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_r_cit_1_a_citizen_signs_in_on_a_phone_and_sees_my_affairs(desk, browser, live_server):
    cache.clear()
    draft = a_case(desk, ALICE, submit=False)
    claim(register(ALICE), ALICE["phone"])
    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/matters/")
    with page.expect_navigation():
        page.click("header >> text=我的")
    assert "/my/login/" in page.url
    page.fill("#phone", ALICE["phone"])
    page.fill("#password", CITIZEN_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('我的事务')")
    text = page.inner_text("main")
    assert draft.number in text and "未提交" in text and "撤回" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(screenshot_path("citizen_my_affairs_375")), full_page=True)
    phone.close()
