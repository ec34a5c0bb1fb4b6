"""Login, logout, password change, failed-login throttling, Argon2, idle sessions,
the deployment settings."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password

from tests.conftest import PASSWORD


def test_passwords_are_hashed_with_argon2_by_default():
    from onewindow import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_active_hasher_in_production_settings_is_argon2(settings):
    from onewindow import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    assert make_password("Linxia-2026").startswith("argon2$argon2id$")


def test_login_and_logout(client, net):
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert "工作台" in client.get("/workspace/").content.decode()
    client.post("/accounts/logout/")
    assert client.get("/workspace/").status_code == 302


def test_a_wrong_password_shows_a_chinese_message(client, net):
    page = client.post(
        "/accounts/login/", {"username": "clerk", "password": "wrong"}
    ).content.decode()
    assert "登录名或密码不正确" in page


def test_failed_logins_are_throttled_and_a_correct_password_does_not_get_through(client, net):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    still = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert still.status_code == 429
    # another account from the same hall PC is not locked out
    other = client.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    assert other.status_code == 302


def test_password_change(client, net):
    client.force_login(net.clerk)
    bad = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    ok = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Hall-pc-2026!x",
            "new_password2": "Hall-pc-2026!x",
        },
    )
    assert ok.status_code == 302
    net.clerk.refresh_from_db()
    assert net.clerk.check_password("Hall-pc-2026!x")


def test_an_idle_session_on_a_shared_hall_pc_is_signed_out(client, net, settings):
    client.force_login(net.clerk)
    assert client.get("/workspace/").status_code == 200
    session = client.session
    session["_last_seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/workspace/")
    assert response.status_code == 302
    login = client.get(response["Location"]).content.decode()
    assert "长时间未操作" in login


def test_sessions_end_when_the_browser_closes():
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_IDLE_SECONDS <= 30 * 60


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/v1/openapi.json", "/healthz"])
def test_public_pages_answer(client, db, url):
    assert client.get(url).status_code == 200


def test_unknown_pages_answer_a_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onewindow.settings_production",
        "SECRET_KEY": "x" * 64 + "-Production-Secret-Key-For-Check-Only-1234567890",
        "FIELD_ENCRYPTION_KEY": "q0Xq8Zf8p6QqkV0u8Yc0n3o1v9jvG2g7dW8l1rQ2k3s=",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "ALLOWED_HOSTS": "onewindow.example.gov.cn",
        "ONEWINDOW_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "onewindow", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "onewindow.settings_production",
            "DATABASE_URL": "sqlite:///x",
            "ALLOWED_HOSTS": "x",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "onewindow", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
