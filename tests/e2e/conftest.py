"""Browser fixtures: one headless Debian Chromium for the browser tests, a fresh context
per test, and a screenshot of every test's last page under test-artifacts/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright():
    # Playwright's sync API keeps an event loop running in the main thread; Django's
    # async-safety check would then refuse the ORM calls that fixtures and tests make.
    # Set for the browser tests only: it must not leak into other tests, nor into the
    # subprocesses they start (`check --deploy` refuses it).
    patch = pytest.MonkeyPatch()
    patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield
    patch.undo()


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright):
    """One Chromium for all browser tests. Package scope, not session: Playwright's
    event loop stays marked as running in the main thread while it is open, which
    would break the database tests that run after this package."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".png")


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    try:
        page.screenshot(path=str(screenshot_path(request.node.name)), full_page=True)
    finally:
        context.close()


@pytest.fixture
def login(page, live_server):
    """Signs in through the login form and returns the page on the workspace."""

    def _login(username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        return page

    return _login


def enroll_browser(context, live_server, center, code: str = "LX-T-01"):
    """A terminal registered at ``center``, its signed credential in the browser context's
    cookie (as its enrollment link leaves it; the link itself is walked in
    test_terminal_access_browser)."""
    from urllib.parse import urlsplit

    from onewindow.hall.services import terminals
    from onewindow.portal.views.hall.devices import TERMINAL_COOKIE, TERMINAL_COOKIE_PATH

    _terminal, secret = terminals.terminal_register(actor=None, center=center, code=code)
    terminal, credential = terminals.terminal_enroll(code=secret)
    host = urlsplit(live_server.url).hostname
    cookie = {"name": TERMINAL_COOKIE, "value": credential, "domain": host}
    context.add_cookies([{**cookie, "path": TERMINAL_COOKIE_PATH, "httpOnly": True}])
    return terminal
