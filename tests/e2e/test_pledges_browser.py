"""Verification of pledges in a real browser (R-CASE-5): the department's approver opens
the verification queue, records a false pledge with its grounds, and the case page then
warns that the applicant has a false pledge on record and the approval is to be
reviewed."""

from __future__ import annotations

import re

import pytest

from onewindow.cases import services
from onewindow.cases.models import FalsePledge, PledgeCheck
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.hall import services as hall_services
from tests.catalog.conftest import make_matter, publish_through_review
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def check(net):
    matter, version = make_matter(net, code="11620000MB1234567X", name="个体工商户登记")
    publish_through_review(net, version)
    matter.refresh_from_db()
    request = catalog_services.listing_request_entry(
        actor=net.county_admin,
        matter=matter,
        center=net.linxia_center,
        department=net.linxia_market,
        code="LX-0001",
        reason="进驻",
    )
    catalog_services.change_request_decide(actor=net.gov_office, request=request, approve=True)
    listing = Listing.objects.get(pk=request.listing_id)
    hall_services.authorization_set(
        actor=net.county_admin, clerk=net.clerk, matter=matter, may_accept=True, may_decide=False
    )
    applicant = services.applicant_record(
        name="马小明", phone="13909301234", id_number="622921199001010016"
    )
    materials = {m.name: m for m in matter.current_version.materials.all()}
    case = services.case_intake(
        actor=net.clerk,
        listing=listing,
        applicant=applicant,
        materials={
            materials["个体工商户登记（备案）申请书"].pk: {},
            materials["经营者居民身份证"].pk: {},
            materials["经营场所使用证明"].pk: {"by_pledge": True},
        },
    )
    services.case_accept(actor=net.clerk, case=case)
    services.case_start_review(actor=net.approver, case=case)
    services.case_decide(actor=net.approver, case=case, approve=True, note="符合条件")
    return PledgeCheck.objects.get(case=case)


def login(browser, live_server, username, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace/$"))
    return page


def test_r_case_5_the_approver_records_a_false_pledge_in_the_browser(check, browser, live_server):
    page = login(browser, live_server, "approver", {"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/workspace/pledge-checks/")
    row = page.locator("tbody tr", has_text=check.case.number)
    assert "经营场所使用证明" in row.inner_text() and "待核查" in row.inner_text()
    page.screenshot(path=str(screenshot_path("pledges_queue")), full_page=True)
    row.get_by_role("link", name="核查").click()
    page.wait_for_url(re.compile(rf".*/workspace/pledge-checks/{check.pk}/$"))

    # A false pledge without its grounds is refused and nothing changes.
    page.check("input[name=result][value=false]")
    with page.expect_navigation():
        page.click("form.card button")
    assert "须写明核查情况" in page.locator(".messages").inner_text()
    check.refresh_from_db()
    assert check.state == PledgeCheck.State.PENDING

    page.check("input[name=result][value=false]")
    page.fill("#note", "经向不动产登记机构核实，该经营场所无产权登记，租赁合同系伪造")
    page.screenshot(path=str(screenshot_path("pledges_check_form")), full_page=True)
    page.click("form.card button")
    page.wait_for_url(re.compile(r".*/workspace/pledge-checks/$"))
    assert "已记录虚假承诺" in page.locator(".messages").inner_text()
    check.refresh_from_db()
    assert check.state == PledgeCheck.State.FALSE
    assert FalsePledge.objects.get().note.startswith("经向不动产登记机构核实")
    page.select_option("#state", "false")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "虚假承诺" in page.locator("tbody tr", has_text=check.case.number).inner_text()

    page.goto(f"{live_server.url}/workspace/cases/{check.case_id}/")
    panel = page.locator("#pledges")
    assert "该申请人有 1 条虚假承诺记录" in panel.inner_text()
    assert "准予决定须依法复核" in panel.inner_text()
    panel.screenshot(path=str(screenshot_path("pledges_case_panel")))
    page.context.close()

    # The county supervisor reads the record on a phone.
    phone = login(browser, live_server, "county_supervisor", {"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/workspace/false-pledges/")
    assert "租赁合同系伪造" in phone.locator("main").inner_text()
    phone.screenshot(path=str(screenshot_path("pledges_false_records_phone")), full_page=True)
    phone.context.close()


def test_r_case_10_the_agent_follows_a_project_and_the_enterprise_sees_its_agent(
    check, browser, live_server
):
    from onewindow.org.models import Center

    Center.objects.filter(pk=check.case.center_id).update(phone="0930-5321234")
    firm = services.applicant_record(
        kind="enterprise",
        name="临夏某食品有限公司",
        phone="13909307777",
        credit_code="91622921MA71234567",
    )
    page = login(browser, live_server, "agent", {"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/workspace/projects/new/")
    page.fill("#credit_code", "91622921MA71234567")
    page.fill("#applicant_name", "临夏某食品有限公司")
    page.fill("#phone", "139")
    page.fill("#name", "年产5万吨牛羊肉精深加工项目")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")  # a short phone: refused, nothing kept
    assert "11位手机号码" in page.locator(".msg.error").first.inner_text()
    page.screenshot(path=str(screenshot_path("assisted_new_refused")), full_page=True)
    page.fill("#credit_code", "91622921MA71234567")
    page.fill("#applicant_name", "临夏某食品有限公司")
    page.fill("#phone", "13909307777")
    page.fill("#name", "年产5万吨牛羊肉精深加工项目")
    page.select_option("#team", "investment")
    page.fill("#investment", "12000")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace/projects/\d+/$"))
    page.fill("#text", "已辅导准备用地预审和环评材料，约定下周到窗口申报")
    with page.expect_navigation():
        page.click("form[action$='/note/'] button")
    assert "已辅导准备用地预审" in page.locator("main").inner_text()
    project = firm.projects.get()
    case = services.case_intake(
        actor=check.case.intake_clerk,
        listing=check.case.listing,
        applicant=firm,
        materials={d.material_id: {} for d in check.case.documents.filter(by_pledge=False)}
        | {check.material_id: {}},
    )
    services.case_accept(actor=check.case.intake_clerk, case=case)
    page.reload()
    page.select_option("#case", str(case.pk))
    with page.expect_navigation():
        page.click("form[action$='/link/'] button")
    assert "跟踪办理" in page.locator("h1").inner_text()
    assert case.number in page.locator("table").inner_text()
    page.screenshot(path=str(screenshot_path("assisted_project_page")), full_page=True)
    page.context.close()
    assert project.cases.get() == case

    public = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = public.new_page()
    phone.goto(f"{live_server.url}/progress/?number={case.number}&tail=7777")
    note = phone.locator("[role=note]").inner_text()
    assert "您的代办员" in note and "0930-5321234" in note
    phone.screenshot(path=str(screenshot_path("assisted_progress_phone")), full_page=True)
    public.close()
