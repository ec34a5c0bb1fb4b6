"""Electronic licences in a real browser (R-MSG-2): a window clerk issues the licence
from the case's page, anyone verifies it by its code on the portal, the applicant finds
it on the progress page, an administrator reads the visits per matter; each page at
375 px and 1366 px."""

from __future__ import annotations

import pytest

from onewindow.cases import services as case_services
from onewindow.licences.models import Licence
from tests.cases.conftest import all_required, desk  # noqa: F401  (the cases' fixture)
from tests.catalog.conftest import cat  # noqa: F401  (the catalog fixture)
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

WIDTHS = (375, 1366)


def _shots(page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(screenshot_path(f"licence_{name}_{width}")), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, width, overflow)


def _sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_r_msg_2_issue_verify_and_read_the_visits_in_the_browser(desk, page, live_server):  # noqa: F811
    case = case_services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    case_services.case_accept(actor=desk.clerk, case=case)
    case_services.case_start_review(actor=desk.approver, case=case)
    case_services.case_decide(actor=desk.approver, case=case, approve=True)
    _sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/workspace/cases/{case.pk}/")
    with page.expect_navigation():
        page.click("text=电子证照与到现场次数")
    with page.expect_navigation():
        page.click("main form button:has-text('签发')")
    assert "已签发电子证照" in page.content()
    assert page.locator("form button:has-text('撤销')").count() == 0  # a clerk does not revoke
    _shots(page, "case")
    licence = Licence.objects.get(case=case)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/licence/verify/")
    page.fill("#code", licence.code[:4].lower() + " " + licence.code[4:])
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[data-status=valid]").count() == 1
    assert "马**" in page.content() and "马小明" not in page.content()
    _shots(page, "verify")
    page.goto(f"{live_server.url}/progress/t/{case.token}/")
    assert page.locator("ul.licences a").count() == 2
    _shots(page, "progress")
    _sign_in(page, live_server, "county_admin")
    with page.expect_navigation():
        page.click("text=跑动次数统计")
    assert page.locator("#visits tbody tr").count() == 1
    _shots(page, "visits")
    page.goto(f"{live_server.url}/workspace/cases/{case.pk}/licences/")
    page.fill(f"#reason-{licence.pk}", "经营场所地址更正")
    with page.expect_navigation():
        page.click("main form button:has-text('换发新证照')")
    assert "已换发，新证照编号" in page.content() and "已换发" in page.content()
    assert Licence.objects.get(pk=licence.pk).replaced_by.state == Licence.State.VALID
    _shots(page, "case_replaced")
