"""A complaint in a real browser (R-CPL-1): filed through the Open311 POST, dispatched
by the center, answered by the department, judged by the complainant on a phone through
the link they were given, revisited and closed; its status reads the same in Open311
GET and on the portal page at every step."""

from __future__ import annotations

import pytest

from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.complaints.models import Complaint
from tests.catalog.conftest import make_matter, publish_through_review
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def hall(net):
    matter, version = make_matter(
        net, code="11620000MB1234567X", name="个体工商户登记", keywords="个体户 营业执照 开店"
    )
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
    return net


def staff_page(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def open311_status(page, base, number):
    response = page.request.get(f"{base}/open311/v2/requests/{number}.json")
    assert response.ok
    (item,) = response.json()
    return item["status"], item["status_notes"]


def portal_status(phone, link):
    phone.goto(link)
    badge = phone.locator("h2#status .badge")
    return badge.get_attribute("data-status"), badge.inner_text()


def test_r_cpl_1_open311_complaint_dispatched_answered_revisited_in_the_browser(
    browser, page, live_server, hall
):
    base = live_server.url
    response = page.request.post(
        f"{base}/open311/v2/requests.json",
        form={
            "jurisdiction_id": hall.linxia_center.code,
            "service_code": "complaint",
            "description": "营业执照窗口排队两个小时\n个体工商户登记只开一个窗口，等了两个小时。",
            "address_string": "临夏县政务服务中心一楼",
            "first_name": "小红",
            "last_name": "马",
            "phone": "13909305678",
        },
    )
    assert response.status == 201
    (created,) = response.json()
    number = created["service_request_id"]
    link = created["service_notice"].split("：", 1)[1]
    complaint = Complaint.objects.get(number=number)
    assert link.endswith(f"/complaints/t/{complaint.token}/")

    phone_context = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    phone = phone_context.new_page()
    assert open311_status(page, base, number) == ("open", "已受理")
    assert portal_status(phone, link) == ("open", "已受理")

    # the dispatcher confirms the suggested department
    clerk = staff_page(browser, live_server, "clerk")
    clerk.goto(f"{base}/complaints/staff/")
    with clerk.expect_navigation():
        clerk.click(f"text={number}")
    selected = clerk.locator("#department option:checked").inner_text()
    assert hall.linxia_market.name in selected and "系统建议" in selected
    assert "13909305678" in clerk.content()
    clerk.screenshot(path=str(screenshot_path("complaint_dispatcher")), full_page=True)
    with clerk.expect_navigation():
        clerk.click("form:has(input[value=dispatch]) button")
    assert "已分办" in clerk.locator(".messages").inner_text()
    assert open311_status(page, base, number) == ("open", "办理中")
    assert portal_status(phone, link) == ("open", "办理中")

    # the department answers without seeing who complained
    approver = staff_page(browser, live_server, "approver")
    approver.goto(f"{base}/complaints/staff/")
    with approver.expect_navigation():
        approver.click(f"text={number}")
    text = approver.content()
    assert "营业执照窗口排队两个小时" in text
    assert "13909305678" not in text and "马小红" not in text and "对责任部门隐去" in text
    approver.fill("#answer", "已增开一个个体工商户登记窗口，并向您致歉。")
    approver.select_option("#finding", "upheld")
    approver.screenshot(path=str(screenshot_path("complaint_department")), full_page=True)
    with approver.expect_navigation():
        approver.click("form:has(input[value=answer]) button")
    assert "已答复" in approver.locator(".messages").inner_text()
    assert open311_status(page, base, number) == ("closed", "已答复")
    assert portal_status(phone, link) == ("closed", "已答复")

    # the complainant reads the answer on the phone and is satisfied
    assert "已增开一个个体工商户登记窗口" in phone.content()
    with phone.expect_navigation():
        phone.click("button[value=satisfied]")
    phone.screenshot(path=str(screenshot_path("complaint_phone_answer")), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # the center revisits and closes
    clerk.goto(f"{base}/complaints/staff/?view=revisit")
    with clerk.expect_navigation():
        clerk.click(f"text={number}")
    clerk.fill("#rnote", "电话回访，投诉人满意。")
    with clerk.expect_navigation():
        clerk.click("form:has(input[value=revisit]) button")
    assert open311_status(page, base, number) == ("closed", "已回访")
    assert portal_status(phone, link) == ("closed", "已回访")
    with clerk.expect_navigation():
        clerk.click("form:has(input[value=close]) button")
    assert open311_status(page, base, number) == ("closed", "已办结")
    assert portal_status(phone, link) == ("closed", "已办结")
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    assert list(complaint.events.values_list("action", flat=True)) == [
        "receive",
        "dispatch",
        "answer",
        "satisfied",
        "revisit",
        "close",
    ]
    page.goto(link)
    phone_context.close()


def test_r_cpl_1_filing_on_a_phone(browser, live_server, hall):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    phone = context.new_page()
    phone.goto(f"{live_server.url}/complaints/new/")
    phone.select_option("#center", str(hall.linxia_center.pk))
    phone.fill("#subject", "营业执照办理慢")
    phone.fill("#content", "个体工商户登记来回跑了三次。")
    phone.fill("#name", "马小红")
    phone.fill("#phone", "139")
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    assert "请填写11位手机号码" in phone.content()
    phone.screenshot(path=str(screenshot_path("complaint_phone_error")), full_page=True)
    phone.fill("#phone", "13909305678")
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    c = Complaint.objects.get()
    assert c.number in phone.locator(".msg.success").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(screenshot_path("complaint_phone_filed")), full_page=True)
    context.close()
