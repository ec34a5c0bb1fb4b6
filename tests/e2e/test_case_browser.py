"""The whole path of a case in a real browser (R-CASE-1, R-CASE-2, R-CAT-9): a called
ticket → intake with a material missing → one-time correction notice → the correction →
accepted with a receipt PDF → reviewed and approved in the department → delivered at
the window; the public progress page shows each step."""

from __future__ import annotations

import re

import pytest

from onewindow.cases.models import Case
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.hall import services as hall_services
from onewindow.hall.models import ServiceCategory, Window
from tests.catalog.conftest import make_matter, publish_through_review
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def desk(net, settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
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
    net.listing = Listing.objects.get(pk=request.listing_id)
    hall_services.authorization_set(
        actor=net.county_admin, clerk=net.clerk, matter=matter, may_accept=True, may_decide=False
    )
    category = ServiceCategory.objects.create(center=net.linxia_center, letter="A", name="企业开办")
    window = Window.objects.create(center=net.linxia_center, number=1)
    hall_services.window_set_categories(
        actor=net.county_admin, window=window, categories=[category]
    )
    hall_services.window_sign_in(actor=net.clerk, window=window)
    hall_services.ticket_issue(center=net.linxia_center, category=category, phone="13909301234")
    net.ticket = hall_services.ticket_call_next(actor=net.clerk, window=window)
    return net


def login(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace/$"))
    return page


def test_r_case_1_the_whole_path_from_a_called_ticket_to_delivery(desk, browser, live_server):
    clerk = login(browser, live_server, "clerk")
    clerk.goto(
        f"{live_server.url}/workspace/cases/new/?ticket={desk.ticket.pk}&listing={desk.listing.pk}"
    )
    assert clerk.locator("#phone").input_value() == "13909301234"  # prefilled from the ticket
    clerk.fill("#name", "马小明")
    clerk.fill("#id_number", "622921199001010016")
    version = desk.listing.matter.current_version
    materials = {m.name: m for m in version.materials.all()}
    clerk.check(f"input[name=doc_{materials['个体工商户登记（备案）申请书'].pk}][value=paper]")
    clerk.check(f"input[name=doc_{materials['经营者居民身份证'].pk}][value=electronic]")
    clerk.click("form.card button[type=submit]")
    clerk.wait_for_url(re.compile(r".*/workspace/cases/\d+/$"))
    case = Case.objects.get()
    assert case.ticket_id == desk.ticket.pk

    # the place of business is missing: accepting is refused, the notice lists it once
    with clerk.expect_navigation():
        clerk.click("form:has(input[value=accept]) button")
    assert "材料不齐" in clerk.locator("main").inner_text()
    with clerk.expect_navigation():
        clerk.click("form:has(input[value=ask_correction_intake]) button")
    assert "待补正" in clerk.locator("main").inner_text()
    clerk.screenshot(path=str(screenshot_path("case_correction_asked")), full_page=True)

    citizen = browser.new_page(locale="zh-CN")
    citizen.goto(f"{live_server.url}/progress/?number={case.number}&tail=1234")
    assert (
        "待补正" in citizen.locator("main").inner_text()
        and "经营场所使用证明" in citizen.locator("main").inner_text()
    )

    # the applicant comes back with it; the clerk records it and accepts
    clerk.check(f"input[name=doc_{materials['经营场所使用证明'].pk}][value=paper]")
    with clerk.expect_navigation():
        clerk.click("form:has(input[value=reply_intake]) button")
    with clerk.expect_navigation():
        clerk.click("form:has(input[value=accept]) button")
    assert "已受理" in clerk.locator("main").inner_text()
    receipt = clerk.context.request.get(
        f"{live_server.url}/workspace/cases/{case.pk}/notice/receipt.pdf"
    )
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")
    screenshot_path("case_path_receipt").with_suffix(".pdf").write_bytes(receipt.body())

    # the department reviews and approves
    approver = login(browser, live_server, "approver")
    approver.goto(f"{live_server.url}/workspace/cases/?state=review")
    with approver.expect_navigation():
        approver.click(f"text={case.number}")
    with approver.expect_navigation():
        approver.click("form:has(input[value=start_review]) button")
    approver.fill("#note", "符合登记条件")
    with approver.expect_navigation():
        approver.click("button[value=approve]")
    with approver.expect_navigation():
        approver.click("form:has(input[value=make_ready]) button")

    # one window out
    clerk.goto(f"{live_server.url}/workspace/cases/{case.pk}/")
    with clerk.expect_navigation():
        clerk.click("form:has(input[value=deliver]) button")
    case.refresh_from_db()
    assert case.state == "delivered"

    citizen.goto(f"{live_server.url}/progress/?number={case.number}&tail=1234")
    text = citizen.locator("main").inner_text()
    for label in ("已提交", "待补正", "已受理", "已办结", "已送达"):
        assert label in text, label
    citizen.screenshot(path=str(screenshot_path("case_progress_delivered")), full_page=True)
