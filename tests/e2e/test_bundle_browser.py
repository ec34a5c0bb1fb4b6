"""A "one thing" bundle in a real browser (R-CASE-7): the window takes in 我要开店 with
the optional seal matter chosen, one merged form and one material checklist; accepts
both parts together; the two departments decide in parallel; one delivery by mail; the
public progress page on a phone shows each part and the whole."""

from __future__ import annotations

import re

import pytest

from onewindow.cases import services
from onewindow.cases.models import BundleApplication
from onewindow.cases.selectors.bundle_plan import bundle_plan
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.hall import services as hall_services
from tests.cases.test_bundles import build_bundle, decide_and_ready
from tests.catalog.conftest import make_matter, publish_through_review
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def shop(net):
    matter, version = make_matter(net, code="11620000MB1234567X", name="个体工商户登记")
    publish_through_review(net, version)
    request = catalog_services.listing_request_entry(
        actor=net.county_admin,
        matter=matter,
        center=net.linxia_center,
        department=net.linxia_market,
        code="LX-0001",
        reason="进驻",
    )
    catalog_services.change_request_decide(actor=net.gov_office, request=request, approve=True)
    net.matter = matter
    net.listing = Listing.objects.get(pk=request.listing_id)
    hall_services.authorization_set(
        actor=net.county_admin, clerk=net.clerk, matter=matter, may_accept=True, may_decide=False
    )
    return build_bundle(net)


def test_r_case_7_a_bundle_taken_in_accepted_decided_in_parallel_and_delivered_once(
    shop, browser, live_server
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    clerk = context.new_page()
    clerk.goto(f"{live_server.url}/accounts/login/")
    clerk.fill("#id_username", "clerk")
    clerk.fill("#id_password", PASSWORD)
    clerk.click("main button[type=submit]")
    clerk.wait_for_url(re.compile(r".*/workspace/$"))

    clerk.goto(f"{live_server.url}/workspace/bundles/new/?bundle=open-shop")
    clerk.check(f"input[name=matter][value='{shop.seal.pk}']")
    with clerk.expect_navigation():
        clerk.click("text=按所选事项生成申请表和材料清单")
    clerk.wait_for_selector("table.materials.merged")
    rows = clerk.locator("table.materials.merged tbody tr")
    assert rows.count() == 6  # 4 + 3 materials, the identity card once
    assert clerk.locator("input[name=form_applicant_name]").count() == 1
    clerk.fill("#name", "马小明")
    clerk.fill("#phone", "13909301234")
    clerk.fill("#id_number", "622921199001010016")
    clerk.fill("#form_applicant_name", "马小明")
    clerk.fill("#form_seal_kind", "公章")
    plan = bundle_plan(bundle=shop.bundle, center=shop.linxia_center, matters=[shop.seal])
    for item in plan.materials:
        if item.required:
            clerk.check(f"input[name=doc_{item.field_id}][value=paper]")
    clerk.screenshot(path=str(screenshot_path("bundle_intake_form")), full_page=True)
    clerk.click("text=一件事收件")
    clerk.wait_for_url(re.compile(r".*/workspace/bundles/\d+/$"))
    app = BundleApplication.objects.get()
    assert app.number in clerk.content()
    with clerk.expect_navigation():
        clerk.click("button:has-text('一并受理')")
    clerk.wait_for_selector("text=已一并受理")
    assert clerk.locator("table tbody tr").count() == 2
    assert "临夏县公安局" in clerk.content()

    # the two departments work in parallel; one of them done is not enough
    parts = {c.matter.name: c for c in app.cases.select_related("matter")}
    with clerk.expect_navigation():
        clerk.click(f"text={parts['刻制印章备案'].number}")
    clerk.wait_for_selector("#bundle-panel")
    assert f"属于一件事申请 {app.number}" in clerk.inner_text("main")
    clerk.screenshot(path=str(screenshot_path("bundle_case_page_panel")), full_page=True)
    clerk.click(f"a:has-text('{app.number}')")
    clerk.wait_for_url(re.compile(r".*/workspace/bundles/\d+/$"))
    decide_and_ready(shop.approver, parts["个体工商户登记"])
    clerk.reload()
    assert "一件事须全部办结后统一出件" in clerk.content()
    services.case_start_review(actor=shop.police_approver, case=parts["刻制印章备案"])
    services.case_decide(actor=shop.police_approver, case=parts["刻制印章备案"], approve=True)
    services.case_make_ready(actor=shop.police_approver, case=parts["刻制印章备案"])
    clerk.reload()
    assert "全部事项已办结" in clerk.content()
    clerk.screenshot(path=str(screenshot_path("bundle_page_ready")), full_page=True)
    clerk.check("input[name=method][value=mail]")
    clerk.fill("#tracking_number", "EMS9876543210")
    with clerk.expect_navigation():
        clerk.click("button:has-text('统一出件')")
    clerk.wait_for_selector("text=已统一出件")
    app.refresh_from_db()
    assert app.state == BundleApplication.State.DELIVERED
    assert {c.state for c in app.cases.all()} == {"delivered"}
    clerk.screenshot(path=str(screenshot_path("bundle_page_delivered")), full_page=True)

    # the applicant checks on a phone by the application's number
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/progress/")
    citizen.fill("#number", app.number)
    citizen.fill("#tail", "1234")
    with citizen.expect_navigation():
        citizen.click("main button[type=submit]")
    citizen.wait_for_selector("#bundle-status")
    text = citizen.inner_text("main")
    assert "我要开店" in text and "个体工商户登记" in text and "刻制印章备案" in text
    assert "EMS9876543210" in text
    citizen.screenshot(path=str(screenshot_path("bundle_progress_phone")), full_page=True)
    phone.close()
    context.close()
