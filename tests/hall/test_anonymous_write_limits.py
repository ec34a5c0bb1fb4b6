"""Anonymous writes are limited per client address (R-SEC-2): the terminal's tickets,
the portal's forms and the API's anonymous operations answer 429 past the limit, with
a Chinese message (the API's error shape under /api/), nothing written; a forwarded
address counts only when a trusted proxy sent it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.hall.models import Ticket
from onewindow.hall.selectors.terminals import terminal_credential
from onewindow.portal.views.hall.devices import TERMINAL_COOKIE
from tests.hall.conftest import enroll_terminal

pytestmark = pytest.mark.django_db


@pytest.fixture
def low(settings, hall):
    hall.terminal = enroll_terminal(Client(), hall.linxia_center)
    settings.ONEWINDOW_ANONYMOUS_WRITE_LIMITS = {"terminal": (2, 60), "anonymous": (3, 60)}
    return settings


def take(client, hall, phone: str, **extra):
    if TERMINAL_COOKIE not in client.cookies:
        client.cookies[TERMINAL_COOKIE] = terminal_credential(hall.terminal)
    url = reverse("portal:terminal_take", args=[hall.linxia_center.pk, hall.cat_a.pk])
    return client.post(url, {"priority": "", "phone": phone}, **extra)


def test_r_sec_2_the_terminal_issues_tickets_up_to_the_limit_then_answers_429(hall, low):
    client = Client(REMOTE_ADDR="203.0.113.20")
    assert take(client, hall, "13800000001").status_code == 302
    assert take(client, hall, "13800000002").status_code == 302
    refused = take(client, hall, "13800000003")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "提交过于频繁：1分钟内最多提交2次" in refused.content.decode()
    assert Ticket.objects.filter(channel=Ticket.Channel.TERMINAL).count() == 2
    # another terminal (another address) is counted on its own
    assert take(Client(REMOTE_ADDR="203.0.113.21"), hall, "13800000004").status_code == 302


def test_r_sec_2_a_forged_forwarded_address_does_not_reset_the_count(hall, low):
    client = Client(REMOTE_ADDR="203.0.113.30")
    for n in range(2):
        response = take(client, hall, f"1380000001{n}", HTTP_X_REAL_IP=f"198.51.100.{n}")
        assert response.status_code == 302
    assert take(client, hall, "13800000019", HTTP_X_REAL_IP="198.51.100.9").status_code == 429


def test_r_sec_2_behind_a_trusted_proxy_each_client_is_counted_on_its_own(hall, low):
    low.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    for n in range(4):
        response = take(proxy, hall, f"1380000002{n}", HTTP_X_REAL_IP=f"198.51.100.{n}")
        assert response.status_code == 302
    assert Ticket.objects.filter(channel=Ticket.Channel.TERMINAL).count() == 4


def test_r_sec_2_the_api_answers_429_in_its_error_shape(hall, low):
    client = Client(REMOTE_ADDR="203.0.113.40")
    url = "/api/v1/complaints/by-token/feedback"
    body = {"token": "x" * 20, "satisfied": True, "note": ""}
    answers = [client.post(url, body, content_type="application/json") for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [404, 404, 404]
    assert answers[3].status_code == 429
    assert answers[3].json() == {
        "code": "rate_limited",
        "message": "提交过于频繁：1分钟内最多提交3次，请稍后再试；如需帮助，请联系大厅工作人员。",
        "fields": {},
    }


def test_r_sec_2_signed_in_staff_are_not_counted(hall, low, client):
    client.force_login(hall.county_admin)
    url = "/api/v1/complaints/by-token/feedback"
    body = {"token": "x" * 20, "satisfied": True, "note": ""}
    codes = {client.post(url, body, content_type="application/json").status_code for _ in range(5)}
    assert codes == {404}
