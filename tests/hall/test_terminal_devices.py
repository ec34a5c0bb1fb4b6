"""R-HALL-7: the terminal's local device protocol (docs/terminal-devices.md). The
simulator is a real HTTP server speaking it; the check-in page finds today's booking by
the identity number a card gives (checked by its check digit, looked up by its digest,
never stored by the terminal) and allows the device service in its CSP only there."""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.error
import urllib.request

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.core.models import AuditEvent
from onewindow.hall import appointments as appt
from onewindow.hall.devices.simulator import DEMO_CARD
from onewindow.hall.models import Appointment, AppointmentSlot, Ticket
from tests.cases.conftest import desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.hall.conftest import enroll_terminal

OTHER_VALID = "622921198805060030"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    cache.clear()
    yield
    cache.clear()


def booked_today(center, category, *, id_number: str = DEMO_CARD["number"]) -> Appointment:
    """A booking for today, starting in a few minutes (so it may be checked in now)."""
    now = timezone.localtime()
    start = (now + dt.timedelta(minutes=5)).replace(second=0, microsecond=0)
    if start.date() != now.date() or start.hour >= 23:
        pytest.skip("the day ends before a slot fits")
    end = start + dt.timedelta(hours=1)
    slot = AppointmentSlot.objects.create(
        center=center,
        category=category,
        day=start.date(),
        start=start.time(),
        end=end.time(),
        capacity=3,
    )
    return appt.appointment_book(
        center=center,
        category=category,
        slot=slot,
        name=DEMO_CARD["name"],
        phone="13800001111",
        id_number=id_number,
    )


def call(url: str, method: str = "GET") -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read()), dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read()), dict(refused.headers)


def test_r_hall_7_the_simulator_speaks_the_documented_protocol(simulator):
    status, body, headers = call(simulator.url + "/status")
    assert status == 200 and body["protocol"] == 1 and body["idcard"]["present"]
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Private-Network"] == "true"
    status, body, _ = call(simulator.url + "/idcard/read", "POST")
    assert status == 200 and body["card"]["number"] == DEMO_CARD["number"]
    assert body["card"]["photo"] is None and body["card"]["address"]
    status, body, _ = call(simulator.url + "/camera/capture", "POST")
    image = base64.b64decode(body["image"]["data"])
    assert status == 200 and image.startswith(b"\x89PNG") and body["image"]["width"] == 210
    simulator.state.card = None
    status, body, _ = call(simulator.url + "/idcard/read", "POST")
    assert (status, body["ok"], body["code"]) == (409, False, "idcard.no_card")
    assert body["message"] == "请将身份证放在读卡区。"
    simulator.state.camera_present = False
    assert call(simulator.url + "/camera/capture", "POST")[1]["code"] == "camera.absent"
    assert call(simulator.url + "/nothing")[0] == 404
    assert simulator.state.reads == 1 and simulator.state.captures == 1


def test_r_hall_7_check_in_by_the_identity_card_number(hall, client, settings):
    enroll_terminal(client, hall.linxia_center)
    center = hall.linxia_center
    booking = booked_today(center, hall.cat_a)
    booked_today(center, hall.cat_b, id_number=OTHER_VALID)
    url = reverse("portal:terminal_checkin", args=[center.pk])
    settings.ONEWINDOW_TERMINAL_DEVICES = "http://127.0.0.1:17890/"
    page = client.get(url)
    assert "connect-src 'self' http://127.0.0.1:17890" in page["Content-Security-Policy"]
    assert 'data-device-url="http://127.0.0.1:17890"' in page.content.decode()
    # the start page asks the service which terminal it is; pages that use no device
    # never reach it
    home = client.get(reverse("portal:terminal", args=[center.pk]))
    assert "connect-src 'self' http://127.0.0.1:17890" in home["Content-Security-Policy"]
    guides = client.get(reverse("portal:terminal_guides", args=[center.pk]))
    assert "17890" not in guides["Content-Security-Policy"]

    # A wrong check digit: refused in Chinese, nothing checked in, the number not echoed.
    wrong = DEMO_CARD["number"][:-1] + "1"
    refused = client.post(url, {"id_number": wrong})
    assert refused.status_code == 422 and "校验" in refused.content.decode()
    assert wrong not in refused.content.decode()
    # A right number nobody booked with today.
    missing = client.post(url, {"id_number": "622921199001010016"})
    assert missing.status_code == 404 and "没有用该身份证预约" in missing.content.decode()
    assert not Ticket.objects.exists()

    done = client.post(url, {"id_number": DEMO_CARD["number"].lower()})
    assert done.status_code == 302 and "/hall/slip/" in done["Location"]
    booking.refresh_from_db()
    assert booking.state == Appointment.State.CHECKED_IN
    ticket = Ticket.objects.get(appointment=booking)
    assert ticket.category == hall.cat_a
    assert AuditEvent.objects.filter(action="appointment.check_in").count() == 1
    # Again: the same ticket, no second one.
    again = client.post(url, {"id_number": DEMO_CARD["number"]})
    assert again.status_code == 302 and Ticket.objects.count() == 1
    # Elsewhere the card finds nothing: the booking is this center's.
    other = reverse("portal:terminal_checkin", args=[hall.kangle_center.pk])
    kangle = Client()
    enroll_terminal(kangle, hall.kangle_center, code="KL-T-01")
    assert kangle.post(other, {"id_number": OTHER_VALID}).status_code == 404
    assert client.post(url, {}).status_code == 422


def test_r_hall_7_without_devices_configured_the_page_offers_typing(hall, client, settings):
    settings.ONEWINDOW_TERMINAL_DEVICES = ""
    page = client.get(reverse("portal:terminal_checkin", args=[hall.linxia_center.pk]))
    assert "data-device-url" not in page.content.decode()
    assert "本机未配置身份证读卡器" in page.content.decode()
    assert "connect-src 'self';" in page["Content-Security-Policy"]
