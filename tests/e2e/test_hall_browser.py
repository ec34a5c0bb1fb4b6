"""The hall in a real browser (R-HALL-2, R-HALL-3, R-HALL-7): a person takes a ticket at
the terminal, a clerk calls it from the window console, the hall display shows the
call, the clerk transfers it and another window finishes it; a booked appointment is
checked in and called before walk-ins; the console works from the keyboard alone.
Screenshots of each screen are saved under test-artifacts/screenshots/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from onewindow.hall import services, states
from onewindow.hall.models import Ticket
from tests.conftest import PASSWORD
from tests.e2e.conftest import enroll_browser, screenshot_path
from tests.hall.conftest import hall  # noqa: F401  (the hall fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

FEED_WAIT_MS = 15_000


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


# The terminal's printer: every slip prints itself on arrival (terminal.js calls
# window.print() a moment after the page loads). A kiosk page counts those calls in
# window.__prints instead of opening a real print job, installed before any of its pages
# loads; a test waits for the count the slip sets, so a screenshot or the PDF asked for
# below never races a print job still open in the browser.
KIOSK_PRINTER = "window.print = function () { window.__prints = (window.__prints || 0) + 1; };"


def kiosk_page(browser, width, height):
    page = new_page(browser, width, height)
    page.add_init_script(KIOSK_PRINTER)
    return page


def printed(page, times=1):
    """Waits until the slip on the page has sent itself to the printer ``times`` times."""
    page.wait_for_function("n => window.__prints === n", arg=times)


def sign_in(browser, live_server, user, **size):
    user.set_password(PASSWORD)
    user.save()
    page = new_page(browser, **size)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace/$"))
    page.goto(f"{live_server.url}/hall/console/")
    return page


def shot(page, name, full_page=False):
    page.screenshot(path=str(screenshot_path(name)), full_page=full_page)


def press(page, key):
    """A shortcut from the keyboard, then wait for the page it submits."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_r_hall_7_r_hall_3_ticket_from_terminal_called_shown_transferred_finished(
    hall, browser, live_server
):  # noqa: F811
    center = hall.linxia_center
    display = new_page(browser, 1920, 1080)
    display.goto(f"{live_server.url}/hall/display/{center.pk}/")
    assert display.locator(".d-title").inner_text() == "临夏县政务服务中心"
    assert display.locator("#sound-hint").inner_text() == "点击屏幕开启语音播报"
    display.click("body")
    assert display.evaluate("window.owDisplay.soundOn()") is True
    assert display.locator("#sound-hint").is_hidden()

    # A person takes a ticket at the terminal.
    kiosk = kiosk_page(browser, 1280, 800)
    enroll_browser(kiosk.context, live_server, center)
    kiosk.clock.install()  # the terminal's timers run on a clock the test can stop
    kiosk.goto(f"{live_server.url}/hall/terminal/{center.pk}/")
    assert kiosk.locator("h1").inner_text() == "请选择要办理的业务"
    shot(kiosk, "hall_terminal_1280x800")
    with kiosk.expect_navigation():
        kiosk.click("a.k-cat:has-text('企业开办')")
    assert "是否需要绿色通道" in kiosk.inner_text("body")
    kiosk.click("button:has-text('确认取号')")
    kiosk.wait_for_url(re.compile(r".*/hall/slip/.*"))
    printed(kiosk)  # once, by itself: only then is the printer free for the PDF
    # The slip goes back to the start page by itself 25 s after it is shown: its clock
    # stops here, so it stays on screen however long the checks and the PDF below take.
    kiosk.clock.pause_at(kiosk.evaluate("Date.now()") / 1000 + 1)
    assert kiosk.locator("#slip-code").inner_text() == "A001"
    assert kiosk.locator(".slip-qr svg").count() == 1
    assert "您前面没有人等候" in kiosk.inner_text(".slip")
    assert "?auto=1" not in kiosk.url, "a reload must not print the slip again"
    shot(kiosk, "hall_slip")
    pdf = kiosk.pdf(prefer_css_page_size=True)  # what the thermal printer gets
    width = float(re.search(rb"/MediaBox \[0 0 ([\d.]+)", pdf).group(1))
    assert abs(width - 80 / 25.4 * 72) < 2, f"the slip prints 80 mm wide, not {width}pt"
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, "one slip, one page"
    assert kiosk.evaluate("window.__prints") == 1, "the slip printed itself once"
    (screenshot_path("hall_slip").with_suffix(".pdf")).write_bytes(pdf)

    # The waiting count reaches the display without a reload.
    display.wait_for_function(
        "() => document.querySelector('#categories li .n').textContent.startsWith('1')",
        timeout=FEED_WAIT_MS,
    )

    # The clerk at window 1 calls it with the keyboard.
    console = sign_in(browser, live_server, hall.clerk)
    assert "叫下一位" in console.inner_text("#console")
    press(console, "n")
    assert "已叫号：请A001号到1号窗口办理" in console.inner_text(".messages")
    assert console.locator("#current-code").inner_text() == "A001"
    shot(console, "hall_console_called", full_page=True)

    display.wait_for_function(
        "() => document.getElementById('latest-text').textContent === '请A001号到1号窗口办理'",
        timeout=FEED_WAIT_MS,
    )
    assert display.locator("#latest-code").inner_text() == "A001"
    assert display.locator("#latest-window").inner_text().startswith("1号窗口")
    announced = display.evaluate("window.owDisplay.announced.map(a => a.text)")
    assert announced == ["请A001号到1号窗口办理"]
    shot(display, "hall_display_1920x1080")

    # It is another window's business: transfer it to window 2.
    console.select_option("#transfer-target", label="2号窗口")
    with console.expect_navigation():
        console.click("form.c-transfer button[type=submit]")
    assert "A001已转到2号窗口。" in console.inner_text(".messages")
    assert "当前没有号" in console.inner_text("#console")

    second = sign_in(browser, live_server, hall.clerk2)
    assert "A001" in second.inner_text("#queue-region") and "指定本窗口" in second.inner_text(
        "#queue-region"
    )
    press(second, "n")
    assert "已叫号：请A001号到2号窗口办理" in second.inner_text(".messages")
    display.wait_for_function(
        "() => document.getElementById('latest-text').textContent === '请A001号到2号窗口办理'",
        timeout=FEED_WAIT_MS,
    )
    assert display.evaluate("window.owDisplay.announced.map(a => a.text)") == [
        "请A001号到1号窗口办理",
        "请A001号到2号窗口办理",
    ]
    press(second, "f")
    assert "A001已办结。" in second.inner_text(".messages")
    shot(second, "hall_console_finished", full_page=True)

    ticket = Ticket.objects.get(code="A001")
    assert (
        ticket.state == states.DONE
        and ticket.served_window == hall.w2
        and ticket.transfer_count == 1
    )
    for p in (display, kiosk, console, second):
        p.context.close()


def test_r_hall_2_appointment_checked_in_at_the_terminal_is_called_first(
    hall, browser, live_server
):  # noqa: F811
    appointments = pytest.importorskip("onewindow.hall.appointments")
    center = hall.linxia_center
    now = timezone.localtime()
    start = (now - timedelta(minutes=10)).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=30)
    if start.date() != end.date():
        pytest.skip("too close to midnight for a same-day slot")
    walk_in = services.ticket_issue(
        center=center, category=hall.cat_a, now=now - timedelta(minutes=15)
    )
    slot = appointments.slots_create(
        actor=hall.county_admin,
        center=center,
        category=hall.cat_a,
        day=start.date(),
        start=start.time(),
        end=end.time(),
        capacity=5,
        duty_staff=[hall.clerk],
    )
    booking = appointments.appointment_book(
        center=center,
        category=hall.cat_a,
        slot=slot,
        name="马小花",
        phone="13900000001",
        now=start - timedelta(hours=1),
    )

    kiosk = kiosk_page(browser, 1080, 1920)

    enroll_browser(kiosk.context, live_server, center)
    kiosk.goto(f"{live_server.url}/hall/terminal/{center.pk}/")
    shot(kiosk, "hall_terminal_portrait_1080x1920")
    with kiosk.expect_navigation():
        kiosk.click("a:has-text('预约签到')")
    kiosk.fill("#k-code", booking.code)
    kiosk.click("button:has-text('签到取号')")
    kiosk.wait_for_url(re.compile(r".*/hall/slip/.*"))
    code = kiosk.locator("#slip-code").inner_text()
    assert code == "A002" and "预约 · " in kiosk.inner_text(".slip")
    printed(kiosk)
    shot(kiosk, "hall_slip_appointment")

    console = sign_in(browser, live_server, hall.clerk2)
    rows = console.locator("#queue-region tbody tr td.c-qcode").all_inner_texts()
    assert [r.split()[0] for r in rows] == ["A002", "A001"], (
        "the checked-in appointment heads the queue"
    )
    press(console, "n")
    assert f"已叫号：请{code}号到2号窗口办理" in console.inner_text(".messages")
    walk_in.refresh_from_db()
    assert walk_in.state == states.WAITING
    kiosk.context.close()
    console.context.close()


def test_r_hall_2_console_by_keyboard_alone(hall, browser, live_server):  # noqa: F811
    services.ticket_issue(center=hall.linxia_center, category=hall.cat_a, priority_reason="elderly")
    services.ticket_issue(center=hall.linxia_center, category=hall.cat_b)
    console = sign_in(browser, live_server, hall.clerk)

    def focus_on(label: str) -> None:
        """Focus is set by autofocus or the console's script once the page is shown."""
        console.wait_for_function(
            "label => document.activeElement"
            " && document.activeElement.textContent.trim().startsWith(label)",
            arg=label,
            timeout=5_000,
        )

    focus_on("叫下一位")
    press(console, "n")
    assert "请A001号到1号窗口办理" in console.inner_text(".messages")
    assert "绿色通道：老年人" in console.inner_text(".c-current")
    focus_on("开始办理")  # focus is on the next likely action
    press(console, "r")
    assert "已重呼：请A001号再次到1号窗口办理" in console.inner_text(".messages")
    press(console, "s")
    focus_on("办结")
    console.keyboard.press("t")
    assert console.evaluate("document.activeElement.id") == "transfer-target"
    console.keyboard.press("Escape")
    press(console, "f")
    assert "A001已办结。" in console.inner_text(".messages")
    press(console, "n")
    assert "请B001号到1号窗口办理" in console.inner_text(".messages")
    press(console, "k")
    assert "B001已记为过号。" in console.inner_text(".messages")
    press(console, "n")
    assert "当前没有等候本窗口的号。" in console.inner_text(".messages")
    counts = console.inner_text("#counts-region")
    assert re.search(r"1\s*本窗口办结", counts) and re.search(r"1\s*本窗口过号", counts)
    shot(console, "hall_console_keyboard", full_page=True)
    console.context.close()


def test_r_hall_3_display_says_plainly_when_its_data_is_stale(hall, browser, live_server):  # noqa: F811
    display = new_page(browser, 1920, 1080)
    display.goto(f"{live_server.url}/hall/display/{hall.linxia_center.pk}/")
    assert display.locator("#stale").is_hidden()
    display.route("**/feed*", lambda route: route.abort())
    display.wait_for_selector("#stale", state="visible", timeout=20_000)
    text = display.inner_text("#stale")
    assert "连接中断，正在重连…" in text and re.search(r"数据已超过\d+秒未更新", text)
    shot(display, "hall_display_stale")
    display.unroute("**/feed*")
    services.ticket_issue(center=hall.linxia_center, category=hall.cat_b)
    display.evaluate("window.dispatchEvent(new Event('online'))")
    display.wait_for_selector("#stale", state="hidden", timeout=FEED_WAIT_MS)
    display.wait_for_function(
        "() => document.getElementById('waiting-total').textContent === '1'", timeout=FEED_WAIT_MS
    )
    display.context.close()


def test_r_hall_7_green_channel_and_after_hours_terminal(
    hall, browser, live_server, settings, monkeypatch
):  # noqa: F811
    from datetime import datetime

    from onewindow.hall.models import ServiceCategory
    from onewindow.portal.views.hall import terminal as terminal_views

    center = hall.linxia_center
    kiosk = kiosk_page(browser, 1280, 800)
    enroll_browser(kiosk.context, live_server, center)
    kiosk.goto(f"{live_server.url}/hall/terminal/{center.pk}/")
    with kiosk.expect_navigation():
        kiosk.click("a.k-cat:has-text('社保医保')")
    kiosk.click("label.k-choice:has-text('孕妇')")
    with kiosk.expect_navigation():
        kiosk.click("button:has-text('确认取号')")
    assert "确认使用绿色通道：孕妇" in kiosk.inner_text(".k-confirm")
    shot(kiosk, "hall_terminal_green_channel_confirm")
    kiosk.click("button:has-text('确认，取绿色通道号')")
    kiosk.wait_for_url(re.compile(r".*/hall/slip/.*"))
    assert "绿色通道 · 孕妇" in kiosk.inner_text(".slip")
    printed(kiosk)  # before the terminal is opened again below

    settings.ONEWINDOW_HALL_ENFORCE_HOURS = True
    saturday_night = timezone.make_aware(datetime(2026, 11, 28, 22, 0))
    monkeypatch.setattr(terminal_views, "clock", lambda: saturday_night)
    ServiceCategory.objects.create(
        center=center,
        letter="Z",
        name="自助打印",
        needs_clerk=False,
        order=9,
        description="社保证明、不动产登记信息自助打印",
    )
    kiosk.goto(f"{live_server.url}/hall/terminal/{center.pk}/")
    text = kiosk.inner_text("main")
    assert "现在是非办公时间" in text and "自助打印" in text
    assert "企业开办" not in text and "社保医保" not in text
    shot(kiosk, "hall_terminal_after_hours")
    kiosk.context.close()
