"""R-HALL-7 in a browser: the terminal (1080×1920 portrait) reads the identity card from
the local device simulator (a real HTTP server on 127.0.0.1, another origin than the
terminal's pages) and checks the booking in; with no device answering it says so in
Chinese and the visitor types the number instead. 补交材料: the document camera's picture,
previewed and confirmed, becomes the case's upload; with no camera, said in elder mode."""

from __future__ import annotations

import re
import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.hall.devices.simulator import DEMO_CARD, DeviceSimulator
from onewindow.hall.models import Appointment
from tests.cases.conftest import desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.e2e.conftest import enroll_browser, screenshot_path
from tests.files.conftest import upload_root  # noqa: F401
from tests.hall.conftest import hall  # noqa: F401
from tests.hall.test_terminal_devices import OTHER_VALID, booked_today
from tests.hall.test_terminal_materials import correcting

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

KIOSK_PRINTER = "window.print = function () { window.__prints = (window.__prints || 0) + 1; };"


@pytest.fixture(autouse=True)
def _open_hall(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    cache.clear()
    yield
    cache.clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_r_hall_7_terminal_reads_the_card_from_the_device_simulator(
    hall, browser, live_server, settings
):
    center = hall.linxia_center
    mine = booked_today(center, hall.cat_a)
    other = booked_today(center, hall.cat_b, id_number=OTHER_VALID)
    url = live_server.url + reverse("portal:terminal_checkin", args=[center.pk])
    simulator = DeviceSimulator(port=0).start()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1080, "height": 1920})
    context.set_default_timeout(15_000)
    context.add_init_script(KIOSK_PRINTER)
    page = context.new_page()
    enroll_browser(context, live_server, center)
    try:
        settings.ONEWINDOW_TERMINAL_DEVICES = simulator.url
        page.goto(url)
        read = page.get_by_role("button", name="读取身份证")
        read.wait_for(state="visible")
        assert "请将身份证放在读卡区" in page.inner_text("#k-idcard-status")
        page.screenshot(path=str(screenshot_path("r_hall_7_terminal_idcard_ready_1080x1920")))
        # No card on the reader yet: the device's own words, and typing stays offered.
        simulator.state.card = None
        read.click()
        page.wait_for_function(
            "() => document.getElementById('k-idcard-status').textContent.includes('读卡区')"
        )
        assert "也可以输入预约码或身份证号码" in page.inner_text("#k-idcard-status")
        simulator.state.card = dict(DEMO_CARD)
        read.click()
        page.wait_for_url(re.compile(r".*/hall/slip/.*"))
        page.wait_for_function("() => window.__prints === 1")
        assert simulator.state.reads == 1
        mine.refresh_from_db()
        assert mine.state == Appointment.State.CHECKED_IN
        page.screenshot(path=str(screenshot_path("r_hall_7_terminal_idcard_slip_1080x1920")))

        # The device service is gone: the page says so plainly and the number is typed.
        simulator.stop()
        settings.ONEWINDOW_TERMINAL_DEVICES = f"http://127.0.0.1:{free_port()}"
        page.goto(url)
        page.wait_for_function(
            "() => document.getElementById('k-idcard-status').textContent.includes('未检测到')"
        )
        assert page.get_by_role("button", name="读取身份证").is_hidden()
        assert "请输入预约码或身份证号码签到" in page.inner_text("#k-idcard-status")
        page.screenshot(path=str(screenshot_path("r_hall_7_terminal_no_device_1080x1920")))
        page.fill("#k-id-number", OTHER_VALID)
        page.get_by_role("button", name="签到取号").click()
        page.wait_for_url(re.compile(r".*/hall/slip/.*"))
        other.refresh_from_db()
        assert other.state == Appointment.State.CHECKED_IN
    finally:
        context.close()
        if simulator.thread and simulator.thread.is_alive():
            simulator.stop()


def test_r_hall_7_r_cit_2_terminal_takes_a_correction_through_the_document_camera(
    desk, upload_root, browser, live_server, settings
):
    """From the terminal's home: 补交材料, the case number and phone tail, each missing
    material's picture from the simulator's camera, previewed, confirmed and stored as the
    case's upload; then in elder mode with the camera gone, the page says so in Chinese."""
    center = desk.linxia_center
    case = correcting(desk)
    simulator = DeviceSimulator(port=0).start()
    settings.ONEWINDOW_TERMINAL_DEVICES = simulator.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1080, "height": 1920})
    context.set_default_timeout(15_000)
    page = context.new_page()
    enroll_browser(context, live_server, center)
    try:
        page.goto(live_server.url + reverse("portal:terminal", args=[center.pk]))
        page.get_by_role("link", name="补交材料").click()
        page.fill("#k-number", case.number)
        page.fill("#k-tail", "1234")
        page.get_by_role("button", name="下一步").click()
        page.wait_for_url(re.compile(r".*/materials/[^/]+/$"))
        material = desk.materials["经营场所使用证明"]
        shoot_for = page.locator(f"[data-capture='{material.pk}']")
        shoot_for.wait_for(state="visible")
        shoot_for.click()
        page.get_by_role("button", name="拍照").click()
        page.locator("#k-camera-preview").wait_for(state="visible")
        assert page.evaluate("document.getElementById('k-camera-preview').naturalWidth") == 210
        assert "请看照片是否清楚完整" in page.inner_text("#k-camera-status")
        page.screenshot(path=str(screenshot_path("r_hall_7_terminal_camera_preview_1080x1920")))
        page.get_by_role("button", name="确认提交").click()
        page.wait_for_url(re.compile(r".*\?done=\d+$"))
        assert "已收到“经营场所使用证明”的拍摄件" in page.inner_text("main")
        document = case.documents.get(material=material)
        assert document.file.content_type == "image/png" and simulator.state.captures == 1
        assert document.file.original_name.startswith("终端拍摄-经营场所使用证明")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

        # Elder mode, and the camera gone: said plainly, no capture button offered.
        simulator.state.camera_present = False
        page.get_by_role("button", name="长辈版").click()
        page.wait_for_function("() => document.documentElement.classList.contains('elder')")
        page.wait_for_function(
            "() => document.getElementById('k-camera-status').textContent.includes('未检测到高拍仪')"
        )
        assert page.locator("[data-capture]:visible").count() == 0
        assert "综合受理窗口" in page.inner_text("#k-camera-status")
        assert "申请链接" not in page.inner_text("#k-camera-status")  # a window case has none
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert size >= 28
        page.screenshot(path=str(screenshot_path("r_hall_7_terminal_no_camera_elder_1080x1920")))
    finally:
        context.close()
        simulator.stop()
