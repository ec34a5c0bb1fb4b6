"""好差评 in a real browser (R-EVAL-1..3): a citizen finishes at a window and, on the
window's pad (a tablet), gives 非常不满意 with a reason; the rectification appears for
the department, which contacts, rectifies and reports; the citizen, through the link
they were given, accepts; the center checks and closes it; the statistics page shows
the change. Screenshots of the pad and the statistics page are saved."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from onewindow.evaluation import services, states
from onewindow.evaluation.models import Rectification
from tests.cases.conftest import desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path
from tests.evaluation.conftest import ev, finish_visit  # noqa: F401
from tests.hall.conftest import hall  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _open_hall(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    cache.clear()
    yield
    cache.clear()


def new_page(browser, width=1280, height=800):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in(browser, live_server, user):
    user.set_password(PASSWORD)
    user.save()
    page = new_page(browser)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace/$"))
    return page


def test_r_eval_1_r_eval_2_r_eval_3_bad_review_on_the_pad_to_a_closed_rectification(
    ev,  # noqa: F811
    browser,
    live_server,
):
    _, key = services.pad_pair(actor=ev.county_admin, window=ev.w1)
    tablet = new_page(browser, 1024, 1366)
    tablet.goto(f"{live_server.url}/evaluation/pad/{ev.w1.pk}/?key={key}")
    assert tablet.locator("#pad-idle").is_visible()
    assert ev.clerk.staff_profile.staff_no in tablet.content()

    # The clerk finishes the citizen's visit; the pad picks it up by itself.
    ticket = finish_visit(ev, case=True)
    tablet.wait_for_selector(f"text=请为本次服务（{ticket.code}号）评价", timeout=15_000)
    tablet.wait_for_load_state()  # the pad reloaded itself: its form's script has run
    tablet.click("label[for=level-1]")
    assert tablet.locator("#bad-reasons").is_visible()
    assert tablet.locator("#good-reasons").is_hidden()
    tablet.check("#bad-reasons input[value=rude]")
    tablet.fill("#text", "窗口人员态度生硬，问了两遍才回答")
    tablet.screenshot(path=str(screenshot_path("evaluation_pad_tablet")), full_page=True)
    with tablet.expect_navigation():
        tablet.click("main button[type=submit]")
    tablet.wait_for_selector("#follow-link")
    follow = tablet.locator("#follow-link").inner_text()
    rect = Rectification.objects.get()
    assert rect.department == ev.linxia_market and follow.endswith(f"/r/{rect.reviewer_token}/")

    # The department contacts, rectifies and reports.
    dept = sign_in(browser, live_server, ev.approver)
    dept.goto(f"{live_server.url}/evaluation/rectifications/")
    with dept.expect_navigation():
        dept.click(f"text=#{rect.pk}")
    assert "窗口人员态度生硬" in dept.content()
    dept.fill("#text-contact", "已电话联系评价人并致歉")
    with dept.expect_navigation():
        dept.click("button[data-action=contact]")
    with dept.expect_navigation():
        dept.click("button[data-action=start]")
    dept.fill("#text-report", "对窗口人员进行服务礼仪培训，并调整为首问负责")
    with dept.expect_navigation():
        dept.click("button[data-action=report]")
    assert dept.locator("#rect-state").inner_text() == "已报告整改情况"

    # The citizen follows their link and accepts.
    citizen = new_page(browser, 390, 844)
    citizen.goto(follow)
    assert "服务礼仪培训" in citizen.locator("#rect-report").inner_text()
    with citizen.expect_navigation():
        citizen.click("button[name=accepts][value='1']")
    assert citizen.locator("#rect-state").inner_text() == "评价人认可"

    # The center looks at the numbers, checks and closes.
    center = sign_in(browser, live_server, ev.county_admin)
    center.goto(f"{live_server.url}/evaluation/stats/")
    assert center.locator("#bad-count").inner_text() == "1"
    assert center.locator("#satisfaction").inner_text() == "0.0%"
    assert "服务态度差（1）" in center.locator("#top-reasons").inner_text()
    center.goto(f"{live_server.url}/evaluation/rectifications/{rect.pk}/")
    center.fill("#text-check", "回访评价人，认可整改")
    with center.expect_navigation():
        center.click("button[data-action=check]")
    with center.expect_navigation():
        center.click("button[data-action=close]")
    assert center.locator("#rect-state").inner_text() == "已办结"
    assert Rectification.objects.get().state == states.CLOSED

    # Another citizen is very satisfied: the statistics page shows the change.
    second = finish_visit(ev)
    services.review_visit(ticket=second, level=5, reasons=["fast"])
    center.goto(f"{live_server.url}/evaluation/stats/")
    assert center.locator("#satisfaction").inner_text() == "50.0%"
    assert center.locator("#on-time").inner_text() == "100.0%"
    center.screenshot(path=str(screenshot_path("evaluation_stats")), full_page=True)


# The page is no wider than the window, and no table cell is cut off: inside the window
# and its text within the cell (a stacked table's header is moved off screen on purpose).
FITS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = [...document.querySelectorAll("main td, main th")]
    .filter((c) => c.offsetParent !== null && c.getBoundingClientRect().right > 0)
    .filter((c) => {
      const r = c.getBoundingClientRect();
      return r.left < -1 || r.right > width + 1 || c.scrollWidth > c.clientWidth + 1;
    })
    .map((c) => c.textContent.trim());
  const hidden = [...document.querySelectorAll("main .table-wrap")]
    .filter((w) => w.scrollWidth > w.clientWidth + 1).length;
  return {scroll: document.documentElement.scrollWidth, width, clipped, hidden};
}"""


def test_r_eval_1_review_pages_and_the_ranking_fit_a_phone_and_a_desktop(
    ev,  # noqa: F811
    browser,
    live_server,
):
    from onewindow.hall.selectors import ticket_token
    from tests.evaluation.conftest import concluded_case

    services.review_visit(ticket=finish_visit(ev, case=True), level=2, reasons=["rude"])
    case = concluded_case(ev)
    pages = {
        "general": f"/evaluation/review/?center={ev.linxia_center.pk}",
        "visit": f"/evaluation/t/{ticket_token(finish_visit(ev))}/",
        "case": f"/evaluation/t/{case.token}/",
        "ranking": "/evaluation/public/",
    }
    page = new_page(browser, 375, 812)
    for size in ((375, 812), (1366, 768)):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        for name, url in pages.items():
            page.goto(f"{live_server.url}{url}")
            if name != "ranking":
                page.click("label[for=level-2]")  # the bad reasons unfold too
            fit = page.evaluate(FITS)
            assert fit["scroll"] <= fit["width"] == size[0], (name, size, fit)
            assert fit["clipped"] == [] and fit["hidden"] == 0, (name, size, fit)
            if name == "ranking":
                row = page.locator("main tbody tr").first
                assert "临夏县市场监督管理局" in row.inner_text() and "0.0%" in row.inner_text()
            page.screenshot(
                path=str(screenshot_path(f"evaluation_{name}_{size[0]}x{size[1]}")),
                full_page=True,
            )
    page.context.close()
