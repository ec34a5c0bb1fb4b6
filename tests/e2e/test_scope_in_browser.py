"""R-NET-3 in a real browser: staff sign in through the form and see only their scope;
what lies outside it answers "not found" in Chinese, in the pages and in the admin."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

NOT_FOUND = "未找到您要的页面或记录"
LINXIA_NETWORK = ["临夏县政务服务中心", "韩集镇便民服务中心", "韩集村代办点"]
KANGLE_NETWORK = ["康乐县政务服务中心", "附城镇便民服务中心"]


def body_text(page) -> str:
    return page.inner_text("body")


def test_the_live_server_sees_the_network_built_by_the_fixture(net, page, live_server):
    page.goto(f"{live_server.url}/")
    text = body_text(page)
    assert "临夏县政务服务中心" in text and "康乐县政务服务中心" in text


def test_r_net_3_county_admin_sees_only_own_county_in_browser(net, login, live_server):
    page = login("county_admin", PASSWORD)
    assert page.url.endswith("/workspace/")
    assert page.locator("h1").inner_text() == "工作台"
    assert "中心管理员" in body_text(page)

    with page.expect_navigation():
        page.click("nav.site-nav >> text=服务中心")
    assert page.url.endswith("/org/centers/")
    names = page.locator("table tbody td:first-child a").all_inner_texts()
    assert sorted(names) == sorted(LINXIA_NETWORK)
    text = body_text(page)
    for name in KANGLE_NETWORK + ["临夏州政务服务中心"]:
        assert name not in text

    with page.expect_navigation():
        page.click("nav.site-nav >> text=工作人员")
    staff = body_text(page)
    assert "county_admin" in staff and "township_clerk" in staff
    assert "kangle_admin" not in staff and "pref_admin" not in staff


def test_r_net_3_county_admin_cannot_open_other_county_by_url(net, login, live_server):
    page = login("county_admin", PASSWORD)
    kangle_admin_profile = net.kangle_admin.staff_profile
    other_county = [
        f"/org/centers/{net.kangle_center.pk}/",
        f"/org/centers/{net.fucheng_center.pk}/",
        f"/org/departments/{net.kangle_market.pk}/",
        f"/org/staff/{kangle_admin_profile.pk}/",
        f"/admin/org/center/{net.kangle_center.pk}/change/",
        f"/admin/org/department/{net.kangle_market.pk}/change/",
        f"/admin/org/staffprofile/{kangle_admin_profile.pk}/change/",
    ]
    for path in other_county:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        assert NOT_FOUND in body_text(page), path
        assert "康乐县" not in body_text(page), path
        if path.startswith("/admin/org/center/"):
            page.screenshot(path=str(screenshot_path("admin_other_county_center_404")))

    page.goto(f"{live_server.url}/admin/org/center/")
    listed = body_text(page)
    assert "临夏县政务服务中心" in listed and "韩集村代办点" in listed
    assert "康乐县政务服务中心" not in listed and "附城镇便民服务中心" not in listed

    response = page.goto(f"{live_server.url}/admin/org/center/{net.linxia_center.pk}/change/")
    assert response.status == 200
    assert page.input_value("#id_name") == "临夏县政务服务中心"
    response = page.goto(f"{live_server.url}/org/centers/{net.hanji_center.pk}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "韩集镇便民服务中心"


def test_r_net_3_clerk_sees_only_own_center(net, login, live_server):
    page = login("clerk", PASSWORD)
    assert page.url.endswith("/workspace/")
    page.goto(f"{live_server.url}/org/centers/")
    names = page.locator("table tbody td:first-child a").all_inner_texts()
    assert names == ["临夏县政务服务中心"]
    for center in (net.hanji_center, net.kangle_center, net.pref_center):
        response = page.goto(f"{live_server.url}/org/centers/{center.pk}/")
        assert response.status == 404
        assert NOT_FOUND in body_text(page)
    # A clerk does not use the admin site at all: it asks for an admin account instead,
    # and shows nothing of the center.
    response = page.goto(f"{live_server.url}/admin/org/center/{net.linxia_center.pk}/change/")
    assert response.status == 200 and "/admin/login/" in page.url
    assert "临夏县政务服务中心" not in body_text(page)


def test_login_with_wrong_password_shows_the_chinese_error(net, login):
    page = login("county_admin", "not-the-password")
    assert "/accounts/login/" in page.url
    assert "登录名或密码不正确" in page.locator("[role=alert]").inner_text()


def test_logout_ends_the_session(net, login, live_server):
    page = login("county_admin", PASSWORD)
    assert page.url.endswith("/workspace/")
    with page.expect_navigation():
        page.click("nav.site-nav >> text=退出")
    assert page.url.rstrip("/") == live_server.url
    assert "工作人员登录" in body_text(page)
    page.goto(f"{live_server.url}/workspace/")
    assert "/accounts/login/" in page.url


def test_password_change_through_the_form(net, login, live_server):
    new_password = "Linxia-new-2026#"
    page = login("clerk", PASSWORD)
    page.goto(f"{live_server.url}/accounts/password/")
    assert page.locator("h1").inner_text() == "修改密码"
    page.fill("#id_old_password", "wrong-old-password")
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/password/done/" not in page.url
    assert page.locator(".errorlist").count() >= 1

    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/password/done/")
    assert "密码已修改" in body_text(page)
    assert get_user_model().objects.get(username="clerk").check_password(new_password)

    with page.expect_navigation():
        page.click("nav.site-nav >> text=退出")
    page = login("clerk", new_password)
    assert page.url.endswith("/workspace/")


def test_repeated_failed_logins_lock_the_account_on_that_pc(net, login, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page = login("clerk", "wrong-password")
    assert "登录失败次数过多" in body_text(page)
    page = login("clerk", PASSWORD)
    assert "登录失败次数过多" in body_text(page)
    assert "/workspace/" not in page.url


def idle_for(page, seconds: int) -> None:
    """Moves the last request the browser's session remembers ``seconds`` into the past,
    as if nobody had touched the PC since: the session itself says how long it was idle,
    so the test needs no clock and no sleep."""
    from django.conf import settings

    name = settings.SESSION_COOKIE_NAME
    (key,) = [c["value"] for c in page.context.cookies() if c["name"] == name]
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    last_seen = session.get("_last_seen")  # core.middleware.IdleSessionTimeoutMiddleware
    assert last_seen, "the session remembers its last request"
    session["_last_seen"] = last_seen - seconds
    session.save()


def test_an_idle_session_on_a_hall_pc_is_signed_out(net, login, live_server, settings):
    page = login("clerk", PASSWORD)
    assert page.url.endswith("/workspace/")
    idle_for(page, settings.SESSION_IDLE_SECONDS + 5)
    page.goto(f"{live_server.url}/org/centers/")
    assert "/accounts/login/" in page.url
    assert "您长时间未操作，已自动退出" in body_text(page)


CJK_FONT_CHECK = """() => ({
  family: getComputedStyle(document.body).fontFamily,
  cjk: document.fonts.check('16px "Noto Sans CJK SC"', '临夏州政务服务'),
  glyphWidth: (() => {
    const c = document.createElement('canvas').getContext('2d');
    c.font = '32px "Noto Sans CJK SC"';
    return c.measureText('政').width;
  })(),
})"""


def test_chinese_renders_on_home_and_workspace(net, page, login, live_server):
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "您要办什么事？"
    fonts = page.evaluate(CJK_FONT_CHECK)
    assert "Noto Sans CJK SC" in fonts["family"]
    assert fonts["cjk"] is True
    # A CJK ideograph is a full-width glyph (about 1em), not a narrow fallback box.
    assert fonts["glyphWidth"] >= 28
    page.screenshot(path=str(screenshot_path("chinese_home")), full_page=True)

    login("county_admin", PASSWORD)
    assert page.url.endswith("/workspace/")
    assert page.evaluate(CJK_FONT_CHECK)["cjk"] is True
    page.screenshot(path=str(screenshot_path("chinese_workspace")), full_page=True)
