"""The department queue and the supervision board in a real browser (R-CASE-4, R-CASE-9):
an approver stands in for an away colleague from "我的待办" and starts a special
procedure on the case page; the county supervisor sees the overdue case on the board
and not the other county's; the queue reads on a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.cases.sweep import sweep
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.core.idnumber import make as make_id
from onewindow.hall import services as hall_services
from onewindow.org import services as org_services
from onewindow.org.models import StaffProfile
from tests.catalog.conftest import make_matter, publish_through_review
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


@pytest.fixture
def office(net):
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
    listing = Listing.objects.get(pk=request.listing_id)
    hall_services.authorization_set(
        actor=net.county_admin, clerk=net.clerk, matter=matter, may_accept=True, may_decide=False
    )
    net.colleague = org_services.staff_create(
        actor=net.root,
        username="colleague",
        full_name="马红梅",
        password=PASSWORD,
        roles={"approver"},
        staff_no="B0001",
        department=net.linxia_market,
    ).user
    matter.refresh_from_db()
    materials = {m.name: m for m in matter.current_version.materials.all()}
    required = {
        materials[n].pk: {}
        for n in ("个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明")
    }
    applicants = [
        services.applicant_record(name=name, phone=f"1390930{i:04d}", id_number=number)
        for i, (name, number) in enumerate(
            [
                ("马小明", make_id("62292119900101001")),
                ("王芳", make_id("62292119850505002")),
                ("李强", make_id("62292119780303001")),
                ("张丽", make_id("62292119921212002")),
            ]
        )
    ]

    def take(applicant, day=None, handler=None):
        case = services.case_intake(
            actor=net.clerk,
            listing=listing,
            applicant=applicant,
            materials=required,
            now=at(day, 9) if day else None,
        )
        case = services.case_accept(actor=net.clerk, case=case, now=at(day) if day else None)
        if handler is not None:
            case = services.case_start_review(actor=handler, case=case)
        return case

    net.overdue = take(applicants[0], "2026-11-02", net.colleague)  # due 2026-11-05
    net.special = take(applicants[3], "2026-11-23", net.colleague)
    net.near = take(applicants[1], handler=net.approver)  # accepted today: 3 working days
    net.fresh = take(applicants[2])
    # The sweep as it runs the day before the near case is due: it warns that one.
    eve = net.near.deadline.due - dt.timedelta(days=1)
    sweep(now=at(eve.isoformat(), 9))
    # 马红梅 goes on leave; the approver is her B.
    org_services.staff_set_backup(
        actor=net.chief_rep,
        profile=StaffProfile.objects.get(user=net.colleague),
        backup=StaffProfile.objects.get(user=net.approver),
    )
    org_services.staff_set_away(
        actor=net.chief_rep,
        profile=StaffProfile.objects.get(user=net.colleague),
        away=True,
        until=timezone.localdate() + dt.timedelta(days=7),
        reason="年休假",
    )
    return net


def login(browser, live_server, username, **context):
    context = browser.new_context(
        locale="zh-CN", viewport=context.get("viewport", {"width": 1280, "height": 900})
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace/$"))
    return page


def test_r_case_9_the_queue_and_the_board_in_the_browser(office, browser, live_server):
    approver = login(browser, live_server, "approver")
    approver.goto(f"{live_server.url}/workspace/queue/")
    main = approver.locator("main")
    text = main.inner_text()
    assert "我的待办" in text
    assert "马红梅（至" in text and "办件由B角approver代办" in text
    rows = main.locator("tbody tr")
    numbers = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    # The away colleague's cases and the approver's own, the most urgent first.
    assert numbers == [office.overdue.number, office.special.number, office.near.number]
    assert "超时" in rows.nth(0).inner_text() and "临近" in rows.nth(2).inner_text()
    approver.screenshot(path=str(screenshot_path("supervision_queue_mine")), full_page=True)

    # On the colleague's case the approver starts an on-site inspection.
    with approver.expect_navigation():
        approver.click(f"text={office.special.number}")
    approver.select_option("#sp-kind", "inspection")
    approver.fill("#sp-reason", "现场核查经营场所")
    with approver.expect_navigation():
        approver.click("form[action$='/special/start/'] button")
    text = approver.locator("main").inner_text()
    assert "已进入特别程序" in text and "现场勘验中 · 暂停计时" in text
    assert "B角代办（马红梅离岗）" in text
    approver.screenshot(path=str(screenshot_path("supervision_case_panel")), full_page=True)
    special = Case.objects.get(pk=office.special.pk)
    assert special.state == "special" and special.deadline.paused

    approver.goto(f"{live_server.url}/workspace/queue/?who=all")
    last = approver.locator("main tbody tr").last.inner_text()
    assert office.special.number in last and "暂停计时" in last
    assert office.fresh.number in approver.locator("main").inner_text()

    supervisor = login(browser, live_server, "county_supervisor")
    supervisor.goto(f"{live_server.url}/workspace/supervision/")
    text = supervisor.locator("main").inner_text()
    assert "督查看板" in text and office.overdue.number in text
    assert "临夏县政务服务中心" in text
    supervisor.click(f"main a:text('{office.overdue.number}')")
    supervisor.wait_for_url(re.compile(rf".*/workspace/cases/{office.overdue.pk}/$"))
    assert "督查强制操作" in supervisor.locator("main").inner_text()
    supervisor.goto(f"{live_server.url}/workspace/supervision/")
    supervisor.screenshot(path=str(screenshot_path("supervision_board")), full_page=True)

    kangle = login(browser, live_server, "kangle_admin")
    kangle.goto(f"{live_server.url}/workspace/supervision/")
    assert office.overdue.number not in kangle.locator("main").inner_text()


def test_r_case_9_the_queue_reads_on_a_phone(office, browser, live_server):
    phone = login(browser, live_server, "approver", viewport={"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/workspace/queue/")
    assert office.overdue.number in phone.locator("main").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # the table scrolls inside its wrapper, not the page
    phone.screenshot(path=str(screenshot_path("supervision_queue_phone")), full_page=True)


def test_r_case_9_the_head_marks_a_colleague_back_on_the_backup_page(office, browser, live_server):
    head = login(browser, live_server, "chief_rep")
    head.goto(f"{live_server.url}/workspace/queue/backups/")
    text = head.locator("main").inner_text()
    assert "AB角与离岗" in text and "年休假" in text and "办件由 approver 代办" in text
    head.screenshot(path=str(screenshot_path("supervision_backups")), full_page=True)
    row = head.locator("tr", has_text="马红梅")
    with head.expect_navigation():
        row.locator("form:has(input[value=back]) button").click()
    assert "马红梅已返岗" in head.locator("main").inner_text()
    assert not StaffProfile.objects.get(user=office.colleague).away
