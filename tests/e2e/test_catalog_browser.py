"""The catalog in a real browser: a department drafts a guide with a catch-all clause,
is refused with the clause named, fixes it and it passes both reviews (R-CAT-6,
R-CAT-8); a bundle page lists each merged material once (R-CASE-7); the guide page
works on a phone and prints on A4 (R-CAT-5)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from onewindow.catalog import services
from onewindow.catalog.models import GuideVersion, Listing, ProcessChange, ReviewState
from tests.catalog.conftest import GUIDE, MATERIALS, make_matter, publish_through_review
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

CATCH_ALL = "有关部门要求的其他材料"
FIXED = "从业人员健康证明"


@pytest.fixture
def cat(net):
    """The catalog of tests/catalog: one matter with a published guide."""
    matter, version = make_matter(net, code="11620000MB1234567X", name="个体工商户登记")
    publish_through_review(net, version)
    matter.refresh_from_db()
    net.matter = matter
    return net


def _listing(net, center, code, **local):
    request = services.listing_request_entry(
        actor=net.county_admin,
        matter=net.matter,
        center=center,
        department=net.linxia_market,
        code=code,
        reason="进驻",
        **local,
    )
    services.change_request_decide(actor=net.gov_office, request=request, approve=True)
    return Listing.objects.get(pk=request.listing_id)


def _sign_out(page):
    page.context.clear_cookies()


def test_r_cat_6_a_department_is_refused_for_a_catch_all_clause_fixes_it_and_it_passes_both_reviews(
    cat, login, live_server
):
    page = login("approver", PASSWORD)
    with page.expect_navigation():
        page.click("text=事项目录")
    with page.expect_navigation():
        page.click("text=个体工商户登记")
    with page.expect_navigation():
        page.click("button:has-text('编制新版本')")
    assert "第2版草稿" in page.locator("h1").inner_text()

    # a new material row with a catch-all clause
    page.click("#materials >> text=增加一行")
    rows = page.locator("#materials-rows [data-row]")
    new_name = rows.last.locator("input[name$='-name']")
    new_name.fill(CATCH_ALL)
    page.fill("#id_reason", "增加从业人员健康证明，审查与决定合并")
    with page.expect_navigation():
        page.click("button:has-text('提交流程再造审核')")
    error = page.locator("#editor-error").inner_text()
    assert "未能提交审核" in error and CATCH_ALL in error
    assert page.locator("mark.clause").first.inner_text() == CATCH_ALL
    assert "申请材料第5项名称" in page.locator("section.lint").inner_text()
    page.screenshot(path=str(screenshot_path("catalog_editor_refused_catch_all")), full_page=True)
    page.screenshot(path=str(screenshot_path("catalog_editor_refused_top")))
    page.locator("#materials-rows [data-row]").nth(4).screenshot(
        path=str(screenshot_path("catalog_editor_refused_row"))
    )
    assert not ProcessChange.objects.filter(proposed__number=2).exists()

    # fix it and submit
    page.locator("#materials-rows [data-row]").nth(4).locator("input[name$='-name']").fill(FIXED)
    page.fill("#id_reason", "增加从业人员健康证明，审查与决定合并")
    with page.expect_navigation():
        page.click("button:has-text('提交流程再造审核')")
    assert "已提交流程再造审核" in page.inner_text("main")
    change = ProcessChange.objects.get(proposed__number=2)
    assert change.state == ReviewState.LEGALITY_REVIEW

    # legality review, then final review, each from its queue
    for user, heading in (("legality", "合法性审核"), ("final_reviewer", "终审")):
        _sign_out(page)
        login(user, PASSWORD)
        with page.expect_navigation():
            page.click("text=事项目录")
        with page.expect_navigation():
            page.click("nav.subnav >> text=流程再造审核")
        assert heading in page.locator("main h2").first.inner_text()
        with page.expect_navigation():
            page.click("a.button:has-text('审核')")
        assert "优化前后对比" in page.inner_text("main")
        page.check("input[name=decision][value=approve]")
        page.fill("#id_opinion", "同意")
        with page.expect_navigation():
            page.click("button:has-text('提交审核意见')")
        assert "msg success" in page.content()
    change.refresh_from_db()
    assert change.state == ReviewState.APPLIED

    # the public guide shows the new version
    _sign_out(page)
    page.goto(f"{live_server.url}/matters/{cat.matter.pk}/")
    text = page.inner_text("main")
    assert "办事指南第2版" in text and FIXED in text and CATCH_ALL not in text
    assert GuideVersion.objects.get(pk=change.proposed_id).status == GuideVersion.Status.PUBLISHED


def test_r_case_7_a_bundle_page_lists_each_merged_material_once(cat, page, live_server):
    food, version = make_matter(
        cat,
        code="F1",
        name="食品经营许可",
        materials=[
            {"name": "经营者居民身份证", "form": "original_and_copy", "copies": 2},
            {"name": "食品安全管理制度", "form": "original", "copies": 1},
            {"name": "经营场所使用证明", "form": "copy", "copies": 1},
        ],
        guide={**GUIDE, "promised_days": 5},
    )
    publish_through_review(cat, version)
    food.refresh_from_db()
    services.bundle_save(
        actor=cat.county_admin,
        code="open-restaurant",
        name="我要开饭店",
        matters=[cat.matter, food],
        description="个体户登记和食品经营许可一次申请、并联办理",
    )
    page.goto(f"{live_server.url}/bundles/")
    with page.expect_navigation():
        page.click("text=我要开饭店")
    names = page.locator("table.merged td.material-name").all_inner_texts()
    assert len(names) == len(set(names)) == 5
    assert names.count("经营者居民身份证") == 1 and names.count("经营场所使用证明") == 1
    row = page.locator("table.merged tr", has_text="经营者居民身份证")
    assert "个体工商户登记、食品经营许可" in row.inner_text()
    assert "分别办理需提交 7 份材料；一次办理只需提交 5 份" in page.inner_text("main")
    page.screenshot(path=str(screenshot_path("catalog_bundle_desktop")), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(screenshot_path("catalog_bundle_phone")), full_page=True)


def test_r_cat_5_the_guide_page_fits_a_phone_and_prints_cleanly_on_a4(cat, page, live_server):
    _listing(
        cat,
        cat.linxia_center,
        "LX-0001",
        place="临夏县政务服务中心一楼综合窗口区",
        hours="工作日 9:00-12:00，14:30-17:30",
        phone="0930-5551234",
        windows="A区1-6号综合窗口",
    )
    _listing(
        cat,
        cat.hanji_center,
        "HJ-0001",
        place="韩集镇便民服务中心大厅",
        hours="周一至周六 8:30-18:00",
        phone="0930-5559876",
        windows="2号窗口",
    )
    draft = services.guide_draft_create(actor=cat.approver, matter=cat.matter, promised_days=1)
    services.guide_materials_set(
        actor=cat.approver, version=draft, materials=MATERIALS[:2] + MATERIALS[3:]
    )
    publish_through_review(cat, draft, reason="经营场所使用证明改由部门共享核验")
    url = f"{live_server.url}/matters/{cat.matter.pk}/?center={cat.hanji_center.pk}"

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("article.listing.chosen h3").inner_text().startswith("韩集镇便民服务中心")
    assert page.locator("button:has-text('打印')").is_visible()
    page.screenshot(path=str(screenshot_path("catalog_guide_phone")), full_page=True)
    page.screenshot(path=str(screenshot_path("catalog_guide_phone_top")))
    for section in ("materials", "where", "reform"):
        page.locator(f"#{section}").screenshot(
            path=str(screenshot_path(f"catalog_guide_phone_{section}"))
        )

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url)
    page.screenshot(path=str(screenshot_path("catalog_guide_desktop")), full_page=True)

    pdf = screenshot_path("catalog_guide_print").with_suffix(".pdf")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        printed = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert (
            "个体工商户登记" in printed
            and "申请材料" in printed
            and "韩集镇便民服务中心大厅" in printed
        )
        assert (
            "工作人员登录" not in printed
            and "跳到主要内容" not in printed
            and "选择此中心" not in printed
        )
    if shutil.which("pdftoppm"):
        for old in pdf.parent.glob("catalog_guide_print-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(pdf.with_suffix(""))], check=True
        )
        pages = sorted(pdf.parent.glob("catalog_guide_print-*.png"))
        assert 1 <= len(pages) <= 4
