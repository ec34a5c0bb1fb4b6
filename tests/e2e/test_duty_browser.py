"""Leader duty in a real browser (R-SUP-1): the center's duty desk shows a QR code; a
leader on the roster opens its link on a phone, signs in, and records a problem found;
the item appears on the center administrator's list with its owner and deadline."""

from __future__ import annotations

import re

import pytest

from onewindow.oversight import services
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def signed_in(browser, live_server, username, *, width=1366, height=900):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def test_r_sup_1_leader_signs_in_by_the_desk_qr_and_records_a_problem(browser, live_server, net):
    services.duty_post_add(
        actor=net.county_admin,
        center_id=net.linxia_center.pk,
        leader_id=net.chief_rep.staff_profile.pk,
        kind="head",
    )
    # the desk: the center admin opens the QR screen from the roster page
    admin = signed_in(browser, live_server, "county_admin")
    admin.goto(f"{live_server.url}/workspace/")
    admin.click("text=领导坐班")
    with admin.expect_popup() as popup:
        admin.click("text=打开坐班台二维码")
    desk = popup.value
    desk.wait_for_load_state()
    assert desk.locator(".duty-qr svg").is_visible()
    desk.screenshot(path=str(screenshot_path("duty_desk_1366")))
    link = desk.locator("[data-sign-url]").get_attribute("data-sign-url")
    assert re.search(r"/duty/sign/[^/]+/$", link)

    # the leader's phone opens the code's link, signs in, records a problem
    phone = signed_in(browser, live_server, "chief_rep", width=375, height=780)
    phone.goto(link)
    phone.click("button:has-text('签到')")
    assert "已在临夏县政务服务中心签到" in phone.locator(".messages").inner_text()
    assert phone.locator(".duty-now .badge").inner_text() == "坐班中"
    phone.fill("#description", "不动产窗口等候超过一小时")
    phone.fill("#fix_planned", "高峰时段增开窗口")
    phone.select_option("#owner", value=str(net.approver.staff_profile.pk))
    phone.fill("#working_days", "5")
    phone.click("button:has-text('登记问题')")
    assert "问题已登记" in phone.locator(".messages").inner_text()
    phone.screenshot(path=str(screenshot_path("duty_mine_375")), full_page=True)

    # the item is on the admin's list, open, with its owner
    admin.goto(f"{live_server.url}/workspace/")
    with admin.expect_navigation():
        admin.click("text=领导坐班")
    with admin.expect_navigation():
        admin.click("text=坐班发现问题")
    row = admin.locator("tr", has_text="不动产窗口等候超过一小时")
    row.first.wait_for()  # the list may still be loading when the click returns
    assert row.count() == 1
    assert "approver" in row.inner_text() and "整改中" in row.inner_text()
    admin.screenshot(path=str(screenshot_path("duty_problems_1366")), full_page=True)
