"""Guards on every request (R-SEC-1, R-SEC-2): the client address believed only from a
trusted proxy; the security headers and a Content-Security-Policy without
'unsafe-inline' whose nonce the page's own inline scripts carry; a lost database
answered 503 (a Chinese page, the API's error shape), the next request served."""

from __future__ import annotations

import re
import socket
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client, RequestFactory

from onewindow.core.middleware import client_ip

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "onewindow" / "templates"


def address(settings, peer: str, **headers) -> str | None:
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=peer, **headers))


def test_r_sec_1_forwarded_addresses_are_believed_only_from_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    assert address(settings, "203.0.113.5", HTTP_X_REAL_IP="198.51.100.1") == "203.0.113.5"
    assert address(settings, "203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1") == "203.0.113.5"
    assert address(settings, "10.1.2.3", HTTP_X_REAL_IP="198.51.100.1") == "198.51.100.1"
    # X-Forwarded-For: the last hop that is not itself one of our proxies
    forwarded = "192.0.2.66, 198.51.100.2, 10.9.9.9"
    assert address(settings, "10.1.2.3", HTTP_X_FORWARDED_FOR=forwarded) == "198.51.100.2"
    # a header that is not an address is ignored: the proxy itself is the client
    assert address(settings, "10.1.2.3", HTTP_X_REAL_IP="<script>") == "10.1.2.3"
    assert address(settings, "::1", HTTP_X_REAL_IP="2001:db8::7") == "2001:db8::7"
    settings.TRUSTED_PROXIES = []
    assert address(settings, "10.1.2.3", HTTP_X_REAL_IP="198.51.100.1") == "10.1.2.3"


@pytest.mark.django_db
def test_r_sec_1_pages_carry_the_security_headers_and_a_csp_without_unsafe_inline(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)'", csp).group(1)
    assert f"style-src 'self' 'nonce-{nonce}'" in csp and "frame-ancestors 'none'" in csp
    again = client.get("/")["Content-Security-Policy"]
    assert nonce not in again  # a fresh nonce for every response


@pytest.mark.django_db
def test_r_sec_1_an_inline_script_on_a_page_carries_the_responses_nonce(client, settings):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    nonce = re.search(r"'nonce-([\w-]+)'", response["Content-Security-Policy"]).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert not re.search(r"\son[a-z]+=\"", html) and 'style="' not in html


def test_r_sec_1_no_template_needs_unsafe_inline():
    """Every inline script and style block carries the nonce; no inline event handler,
    no style attribute (the printed notices are rendered to PDF, never to a browser)."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            if 'nonce="{{ csp_nonce }}"' not in tag:
                found.append(f"{name}: {tag}")
        for tag in re.findall(r"<style[^>]*>", text):
            if 'nonce="{{ csp_nonce }}"' not in tag:
                found.append(f"{name}: {tag}")
        if name == "cases/notice.html":
            continue
        found += [f"{name}: {m}" for m in re.findall(r"\son[a-z]+=\"[^\"]*\"", text)]
        found += [f"{name}: {m}" for m in re.findall(r"\sstyle=\"[^\"]*\"", text)]
    assert found == []


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again once the socket is


@contextmanager
def database_down():
    """While inside, the default connection is a new one to where no database answers:
    a closed port on PostgreSQL, a folder that does not exist on SQLite. The test's own
    connection (and its transaction) is put back afterwards, untouched."""
    original = connections["default"]
    settings_dict = dict(original.settings_dict)
    if original.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        settings_dict["NAME"] = "/nonexistent-onewindow/db.sqlite3"
    broken = original.__class__(settings_dict, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


@pytest.mark.django_db
def test_r_sec_2_a_lost_database_answers_503_and_the_next_request_is_served(django_user_model):
    # As a server answers: the test client would raise the exception it was told of
    # again instead of returning the response.
    client = Client(raise_request_exception=False)
    user = django_user_model.objects.create_user(username="staff-503", password="x" * 12)
    client.force_login(user)
    with database_down():
        page = client.get("/workspace/")  # the session is read in a middleware
        assert page.status_code == 503 and page["Retry-After"] == "30"
        assert "系统暂时无法连接数据库，请稍后重试" in page.content.decode()

        api = client.get("/api/v1/catalog/matters")  # met in the view
        assert api.status_code == 503
        assert api.json() == {
            "code": "service_unavailable",
            "message": "系统暂时无法连接数据库，请稍后重试；如急需办理，请联系大厅工作人员。",
            "fields": {},
        }
        anonymous = Client(raise_request_exception=False)
        login = anonymous.post("/accounts/login/", {"username": "a", "password": "b"})
        assert login.status_code == 503
    assert client.get("/api/v1/catalog/matters").status_code == 200
    assert client.get("/workspace/").status_code == 200  # the same session, served again
