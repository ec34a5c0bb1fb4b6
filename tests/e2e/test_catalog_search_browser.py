"""A citizen, without an account, searches the catalog in Chinese and by pinyin
initials, opens the guide and prints it (R-CAT-9: one published source for every
channel)."""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.catalog.conftest import GUIDE, make_matter, publish_through_review
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def results_for(q: str):
    """The address of the results page the search form loads for ``q``."""
    return lambda url: (
        urlsplit(url).path == "/matters/" and parse_qs(urlsplit(url).query).get("q") == [q]
    )


@pytest.fixture
def catalog(net):
    business, version = make_matter(
        net, code="11620000MB1234567X", name="个体工商户设立登记", keywords="个体户 营业执照 开店"
    )
    publish_through_review(net, version)
    food, version = make_matter(
        net,
        code="11620000MB7654321X",
        name="食品经营许可",
        keywords="开饭店 餐馆",
        guide={**GUIDE, "result": "食品经营许可证"},
    )
    publish_through_review(net, version)
    net.business = business
    return net


def test_r_cat_9_a_citizen_searches_yingye_zhizhao_and_yyzz_opens_the_guide_and_prints_it(
    catalog, page, live_server
):
    page.goto(f"{live_server.url}/matters/")
    page.fill("input[name=q]", "营业执照")
    # Enter submits the search form (a plain GET, no script): wait for the results page it
    # loads, by its address, before reading anything, or the list read is the old page's.
    with page.expect_navigation(url=results_for("营业执照"), wait_until="load"):
        page.keyboard.press("Enter")
    first = page.locator("main a[href^='/matters/']").first
    assert first.inner_text().strip() == "个体工商户设立登记"
    page.screenshot(path=str(screenshot_path("catalog_search_yingyezhizhao")))

    page.fill("input[name=q]", "yyzz")
    with page.expect_navigation(url=results_for("yyzz"), wait_until="load"):
        page.keyboard.press("Enter")
    first = page.locator("main a[href^='/matters/']").first
    assert first.inner_text().strip() == "个体工商户设立登记"
    assert "食品经营许可" not in page.locator("main").inner_text()
    with page.expect_navigation(
        url=re.compile(rf"/matters/{catalog.business.pk}/$"), wait_until="load"
    ):
        first.click()
    assert page.locator("h1").inner_text().strip() == "个体工商户设立登记"
    body = page.locator("main").inner_text()
    assert "经营者居民身份证" in body and "申请材料" in body

    pdf = screenshot_path("catalog_search_guide_print").with_suffix(".pdf")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    if shutil.which("pdftotext"):
        printed = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "个体工商户设立登记" in printed and "经营者居民身份证" in printed
        assert "工作人员登录" not in printed
