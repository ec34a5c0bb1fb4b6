"""R-CIT-2 and R-HALL-7 in a browser, for the terminal's device pages and the header in
elder mode at 200% zoom: an axe-core scan (axe-playwright-python, the vendored axe.min.js)
of the terminal's start page, check-in and 补交材料 with the device simulator answering,
in normal and elder mode at the terminal's 1080×1920, finds nothing serious or critical;
the start page learns the terminal's device code (LX-SIM-01) and the ticket taken next is
audited as that terminal's. In elder mode at 200% zoom (a 1366 px laptop: 683×384 CSS
px) and on a 375 px phone, every header link stays on screen; the small buttons are
outlined, the primary one filled."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.urls import reverse

from onewindow.core.models import AuditEvent
from onewindow.hall.devices.simulator import SIMULATOR_TERMINAL, DeviceSimulator
from onewindow.hall.models import Ticket
from onewindow.hall.services import terminals
from onewindow.portal import prefs
from onewindow.portal.views.hall.devices import TERMINAL_COOKIE
from tests.cases.conftest import desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.e2e.conftest import screenshot_path
from tests.files.conftest import upload_root  # noqa: F401
from tests.hall.conftest import hall  # noqa: F401
from tests.hall.test_terminal_materials import correcting

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

BAD = ("serious", "critical")

# Every link and button of the header: on screen (inside the viewport's width), not
# hidden, not covered; and how the small buttons are drawn.
HEADER = """() => {
  const out = {off: [], count: 0, width: document.documentElement.scrollWidth, vw: innerWidth};
  for (const el of document.querySelectorAll('.site-header a, .site-header button:not([hidden]), .site-header summary')) {
    // a closed menu's links are reached by opening it (its summary is checked)
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    out.count += 1;
    const seen = r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    const hit = seen && document.elementFromPoint(
      Math.min(r.left + r.width / 2, innerWidth - 1), r.top + r.height / 2 - scrollY);
    if (!seen || r.left < 0 || r.right > innerWidth + 0.5 || !(hit && (hit === el || el.contains(hit))))
      out.off.push(el.textContent.trim().slice(0, 12) + ` ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return out;
}"""
# The opened 菜单: each entry, brought into view as a user scrolls to it, is on the screen
# at its full size and takes a tap.
MENU = """() => {
  const out = {off: [], count: 0};
  for (const el of document.querySelectorAll('.site-header details[open] a')) {
    el.scrollIntoView({block: 'nearest'});
    const r = el.getBoundingClientRect(); out.count += 1;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (r.height < 60 || r.left < 0 || r.right > innerWidth + 0.5 || !(hit && (hit === el || el.contains(hit))))
      out.off.push(el.textContent.trim().slice(0, 12) + ` ${Math.round(r.left)}..${Math.round(r.right)}x${Math.round(r.height)}`);
  }
  return out;
}"""
# A speech engine that writes down what it is asked to say.
SPEECH = """window.__said = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, "speechSynthesis", { value: { speaking: false, cancel: function () {},
  getVoices: function () { return []; }, speak: function (u) { window.__said.push(u.text); } } });"""
SMALL = """(sel) => { const el = document.querySelector(sel); if (!el) return null;
  const s = getComputedStyle(el);
  return {border: parseFloat(s.borderTopWidth), style: s.borderTopStyle, bg: s.backgroundColor, color: s.color}; }"""


@pytest.fixture(autouse=True)
def _open_hall(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def simulator(settings):
    sim = DeviceSimulator(port=0).start()
    settings.ONEWINDOW_TERMINAL_DEVICES = sim.url
    yield sim
    sim.stop()


def _context(browser, live_server, *, elder: bool, width: int, height: int, scale: float = 1):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    context.set_default_timeout(15_000)
    if elder:
        context.add_cookies([{"name": prefs.ELDER_COOKIE, "value": "1", "url": live_server.url}])
    return context


def test_r_cit_2_r_hall_7_terminal_device_pages_pass_the_scan_and_name_the_terminal(
    hall,
    desk,  # noqa: F811
    upload_root,  # noqa: F811
    simulator,
    browser,
    live_server,
):
    center = desk.linxia_center
    hall.cat_a.matters.add(desk.matter)
    case = correcting(desk)
    base = live_server.url
    axe, found = Axe(), {}
    terminal, _code = terminals.terminal_register(
        actor=None, center=hall.linxia_center, code=SIMULATOR_TERMINAL
    )
    for elder in (False, True):
        context = _context(browser, live_server, elder=elder, width=1080, height=1920)
        page = context.new_page()
        mode = "elder" if elder else "normal"
        # the administrator's one-time link, opened and confirmed on the terminal
        code = terminals.terminal_enrollment_issue(actor=None, terminal=terminal)
        page.goto(base + reverse("portal:terminal_enroll", args=[code]))
        with page.expect_navigation():
            page.get_by_role("button", name="确认登记").click()
        assert page.url == base + reverse("portal:terminal", args=[center.pk])
        cookie = {c["name"]: c for c in context.cookies()}[TERMINAL_COOKIE]
        assert cookie["httpOnly"] and cookie["path"] == "/hall/terminal/"
        assert TERMINAL_COOKIE not in page.evaluate("document.cookie")
        pages = {"terminal": page.url}
        pages["checkin"] = base + reverse("portal:terminal_checkin", args=[center.pk])
        pages["materials"] = base + reverse("portal:terminal_materials", args=[center.pk])
        page.goto(pages["materials"])
        page.fill("#k-number", case.number)
        page.fill("#k-tail", "1234")
        with page.expect_navigation():
            page.get_by_role("button", name="下一步").click()
        pages["materials_case"] = page.url
        for name, url in pages.items():
            page.goto(url)
            page.wait_for_load_state("load")
            if name != "terminal":  # the device service has answered the page
                page.wait_for_function(
                    "() => !/正在连接/.test(document.querySelector('[role=status]').textContent)"
                )
            assert ("elder" in (page.get_attribute("html", "class") or "")) == elder
            bad = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in axe.run(page).response["violations"]
                if v["impact"] in BAD
            ]
            if bad:
                found[(name, mode)] = bad
            shot = f"r_cit_2_terminal_{name}_{mode}_1080x1920"
            page.screenshot(path=str(screenshot_path(shot)))
        if not elder:
            # a ticket taken on this terminal is audited as the terminal's
            page.goto(base + reverse("portal:terminal_take", args=[center.pk, hall.cat_a.pk]))
            with page.expect_navigation():
                page.get_by_role("button", name="确认取号").click()
            ticket = Ticket.objects.get()
            row = AuditEvent.objects.get(action="ticket.issue", target_id=str(ticket.pk))
            assert row.actor_label == f"自助终端 {SIMULATOR_TERMINAL}"
        context.close()
    assert not found, found


def test_r_cit_2_elder_header_at_200_percent_zoom_and_on_a_phone(
    hall,  # noqa: F811
    browser,
    live_server,
):
    home = f"{live_server.url}/?center={hall.linxia_center.pk}"
    sizes = {"zoom200": (683, 384, 2), "phone375": (375, 812, 2), "desktop": (1366, 768, 1)}
    for name, (width, height, scale) in sizes.items():
        for elder in (True, False):
            context = _context(
                browser, live_server, elder=elder, width=width, height=height, scale=scale
            )
            page = context.new_page()
            page.goto(home)
            page.wait_for_load_state("load")
            got = page.evaluate(HEADER)
            mode = "elder" if elder else "normal"
            assert got["count"] >= 3 and not got["off"], (name, mode, got)
            assert got["width"] <= width, (name, mode, got)
            if page.locator(".site-header details.header-menu").count():
                # elder mode folds the links into 菜单: opened, every one is on the screen
                page.click(".site-header details.header-menu summary")
                opened = page.evaluate(MENU)
                assert opened["count"] >= 5 and not opened["off"], (name, opened)
            page.screenshot(path=str(screenshot_path(f"r_cit_2_header_{name}_{mode}")))
            context.close()
    # the small buttons: outlined; the primary one filled (the citizen's 我的 page)
    context = _context(browser, live_server, elder=False, width=375, height=812)
    page = context.new_page()
    page.goto(home)
    page.set_content(
        '<link rel="stylesheet" href="/static/onewindow/app.css">'
        '<a class="button small" id="s" href="#">认领</a>'
        '<a class="button small primary" id="p" href="#">提交</a>'
    )
    page.wait_for_load_state("load")
    small, primary = page.evaluate(SMALL, "#s"), page.evaluate(SMALL, "#p")
    assert small["border"] >= 1 and small["style"] == "solid", small
    assert small["bg"] == "rgb(255, 255, 255)" and primary["color"] == "rgb(255, 255, 255)"
    assert primary["bg"] != "rgb(255, 255, 255)" and primary["border"] >= 1, primary
    context.close()


def test_r_hall_7_r_cit_2_the_terminal_speaks_and_warns_before_it_returns_home(
    hall, browser, live_server
):  # noqa: F811
    center = hall.linxia_center
    context = _context(browser, live_server, elder=True, width=1080, height=1920)
    context.add_init_script(SPEECH)
    page = context.new_page()
    page.clock.install()
    page.goto(live_server.url + reverse("portal:terminal_guides", args=[center.pk]))
    page.wait_for_load_state("load")
    # 长辈版: the screen speaks its prompts on arrival
    said = page.evaluate("window.__said")
    assert len(said) == 1 and "办事指南" in said[0], said
    warning = page.locator("#k-idle-warning")
    page.clock.run_for(74_000)
    assert warning.count() == 0 or warning.is_hidden()
    page.clock.run_for(2_000)  # the last 15 s of the 90: counted down, spoken once
    warning.wait_for(state="visible")
    assert "秒后返回首页" in warning.inner_text()
    page.screenshot(path=str(screenshot_path("r_hall_7_terminal_idle_warning_elder_1080x1920")))
    page.mouse.click(540, 400)  # a touch keeps the visitor here
    assert warning.is_hidden() and "/guides/" in page.url
    page.clock.run_for(91_000)
    page.wait_for_url(live_server.url + reverse("portal:terminal", args=[center.pk]))
    context.close()
    # the standard mode speaks on a tap of 朗读 only
    context = _context(browser, live_server, elder=False, width=1080, height=1920)
    context.add_init_script(SPEECH)
    page = context.new_page()
    page.goto(live_server.url + reverse("portal:terminal_guides", args=[center.pk]))
    page.wait_for_load_state("load")
    assert page.evaluate("window.__said") == []
    page.get_by_role("button", name="朗读").click()
    assert "办事指南" in page.evaluate("window.__said")[0]
    context.close()


def test_r_cit_2_the_other_public_pages_pass_the_scan_in_normal_and_elder_mode(
    hall,  # noqa: F811
    browser,
    live_server,
):
    """Beyond the pages the portal's own scan covers: the forms and look-ups a citizen
    reaches from the home page and the footer, the rest of the terminal, the hall display."""
    center = hall.linxia_center.pk
    names = [
        "portal:matter_list",
        "portal:bundle_list",
        "portal:progress",
        "portal:apply_list",
        "portal:complaint_file",
        "portal:complaint_lookup",
        "portal:unsolicited",
        "portal:review_ranking",
        "portal:book",
        "portal:booking_cancel",
        "portal:checkin",
        "portal:home_visit_request",
        "portal:citizen_login",
        "portal:citizen_register",
        "portal:licence_verify",
    ]
    pages = {name.split(":")[1]: reverse(name) for name in names}
    for name in ("terminal_guides", "terminal_progress", "terminal_complaint", "terminal_print"):
        pages[name] = reverse(f"portal:{name}", args=[center])
    pages["hall_display"] = reverse("hall:display", args=[center])
    axe, found = Axe(), {}
    terminal, _code = terminals.terminal_register(
        actor=None, center=hall.linxia_center, code=SIMULATOR_TERMINAL
    )
    for elder in (False, True):
        context = _context(browser, live_server, elder=elder, width=1366, height=900)
        page = context.new_page()
        for name, path in pages.items():
            terminal = name.startswith(("terminal", "hall_"))
            page.set_viewport_size(
                {"width": 1080, "height": 1920} if terminal else {"width": 1366, "height": 900}
            )
            response = page.goto(live_server.url + path)
            assert response is not None and response.status < 400, (name, response.status)
            page.wait_for_load_state("load")
            bad = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in axe.run(page).response["violations"]
                if v["impact"] in BAD
            ]
            if bad:
                found[(name, "elder" if elder else "normal")] = bad
        context.close()
    assert not found, found
