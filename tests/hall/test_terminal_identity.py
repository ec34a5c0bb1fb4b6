"""A self-service terminal is known by a signed, revocable credential (R-HALL-7): the
center administrator registers it and gets a one-time enrollment link; the terminal's
browser opens it once and keeps the signed credential; every terminal write checks it
and is audited as that terminal; a forged or revoked credential is refused with a
Chinese page and writes nothing; a browser that is not an enrolled terminal may read
the guides but not write."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.core.errors import Conflict, Forbidden, NotFound
from onewindow.core.models import AuditEvent
from onewindow.demo import terminals_demo
from onewindow.hall.models import Terminal, Ticket
from onewindow.hall.selectors import terminals as terminal_selectors
from onewindow.hall.services import terminals
from onewindow.portal.views.hall.devices import TERMINAL_COOKIE
from tests.hall.conftest import enroll_terminal

TAKE_REFUSED = "不能取号或办理业务"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _take(client, hall):
    center = hall.linxia_center
    return client.post(reverse("portal:terminal_take", args=[center.pk, hall.cat_a.pk]), {})


def _admin_client(user) -> Client:
    admin = Client()
    admin.force_login(user)
    return admin


def test_r_hall_7_a_terminal_enrolls_once_by_the_administrators_link(hall):
    center = hall.linxia_center
    admin = _admin_client(hall.county_admin)
    pages = reverse("hall:setup_terminals", args=[center.pk])
    made = admin.post(pages, {"code": "lx-01", "place": "一楼大厅入口"})
    assert made.status_code == 200
    terminal = Terminal.objects.get()
    assert (terminal.code, terminal.center, terminal.enrolled_at) == ("LX-01", center, None)
    link = made.context["link"]
    assert link.endswith(f"/hall/terminal/enroll/{link.rsplit('/', 2)[-2]}/")
    assert link.rsplit("/", 2)[-2] not in terminal.enrollment_digest  # kept hashed only
    # the administrator of another county finds no such page; a bad code changes nothing
    assert _admin_client(hall.kangle_admin).get(pages).status_code == 404
    assert admin.post(pages, {"code": "<b>", "place": ""}).status_code == 422
    assert admin.post(pages, {"code": "LX-01", "place": ""}).status_code == 409
    assert Terminal.objects.count() == 1

    kiosk = Client()
    path = link.split("://", 1)[1].split("/", 1)[1]
    asked = kiosk.get("/" + path)  # a preview of the link does not use it up
    assert "确认登记" in asked.content.decode() and TERMINAL_COOKIE not in kiosk.cookies
    enrolled = kiosk.post("/" + path)
    assert enrolled.status_code == 302
    assert enrolled["Location"] == reverse("portal:terminal", args=[center.pk])
    cookie = kiosk.cookies[TERMINAL_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/hall/terminal/"
    assert _take(kiosk, hall).status_code == 302
    issued = AuditEvent.objects.get(action="ticket.issue")
    assert issued.actor_id is None and issued.actor_label == "自助终端 LX-01"
    assert AuditEvent.objects.filter(action="terminal.enroll", target_id=str(terminal.pk)).exists()

    # the link is used up: a second browser cannot become the terminal with it
    other = Client()
    assert other.post("/" + path).status_code == 404
    assert TERMINAL_COOKIE not in other.cookies


def test_r_hall_7_a_forged_credential_is_refused_and_writes_nothing(hall, client):
    center = hall.linxia_center
    terminal = enroll_terminal(Client(), center, code="LX-REAL")
    forgeries = {
        "the old plain code": "LX-REAL",
        "unsigned json": json.dumps({"t": terminal.pk, "g": 1}),
        "signed with another key": signing.dumps(
            {"t": terminal.pk, "g": terminal.generation},
            key="not-the-server-key",
            salt=terminal_selectors.CREDENTIAL_SALT,
        ),
        "tampered": terminal_selectors.terminal_credential(terminal)[:-2] + "xx",
        "another salt": signing.dumps({"t": terminal.pk, "g": terminal.generation}),
    }
    for name, value in forgeries.items():
        client.cookies[TERMINAL_COOKIE] = value
        refused = _take(client, hall)
        assert refused.status_code == 403, name
        page = refused.content.decode()
        assert "终端凭证无效" in page and TAKE_REFUSED in page, name
        home = client.get(reverse("portal:terminal", args=[center.pk]))
        assert home.status_code == 403 and "终端凭证无效" in home.content.decode(), name
    # no credential at all: reading is allowed, writing is not
    del client.cookies[TERMINAL_COOKIE]
    assert client.get(reverse("portal:terminal_guides", args=[center.pk])).status_code == 200
    bare = _take(client, hall)
    assert bare.status_code == 403 and "尚未登记" in bare.content.decode()
    complaint = client.post(
        reverse("portal:terminal_complaint", args=[center.pk]),
        {"subject": "排队", "content": "排队太久", "anonymous": "1"},
    )
    assert complaint.status_code == 403
    assert not Ticket.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["ticket.issue", "complaint.file"]).exists()


def test_r_hall_7_a_terminal_of_another_center_cannot_write_here(hall, client):
    enroll_terminal(client, hall.kangle_center, code="KL-01")
    refused = _take(client, hall)
    assert refused.status_code == 403 and "不是本中心" in refused.content.decode()
    assert not Ticket.objects.exists()


def test_r_hall_7_a_revoked_terminal_gets_a_chinese_page_and_no_ticket(hall, client):
    center = hall.linxia_center
    terminal = enroll_terminal(client, center, code="LX-LOST")
    assert _take(client, hall).status_code == 302
    admin = _admin_client(hall.county_admin)
    revoke = reverse("hall:setup_terminal_revoke", args=[center.pk, terminal.pk])
    assert admin.post(revoke, {"reason": "设备丢失"}).status_code == 302
    terminal.refresh_from_db()
    assert terminal.revoked_at is not None and terminal.revoked_reason == "设备丢失"
    row = AuditEvent.objects.get(action="terminal.revoke")
    assert row.actor_id == hall.county_admin.pk and row.note == "设备丢失"

    home = client.get(reverse("portal:terminal", args=[center.pk]))
    assert home.status_code == 403
    assert "本自助终端已停用" in home.content.decode()
    refused = _take(client, hall)
    assert refused.status_code == 403 and "已停用" in refused.content.decode()
    assert Ticket.objects.count() == 1
    with pytest.raises(Conflict):
        terminals.terminal_revoke(actor=hall.county_admin, terminal=terminal)

    # enrolled again from a new link, the terminal works; the lost credential stays dead
    lost = client.cookies[TERMINAL_COOKIE].value
    code = terminals.terminal_enrollment_issue(actor=hall.county_admin, terminal=terminal)
    again = Client()
    assert again.post(reverse("portal:terminal_enroll", args=[code])).status_code == 302
    assert _take(again, hall).status_code == 302
    assert _take(client, hall).status_code == 403
    assert terminal_selectors.terminal_check(lost, center).problem == terminal_selectors.REVOKED


def test_r_hall_7_only_the_centers_administrator_registers_and_links_expire(hall):
    center = hall.linxia_center
    with pytest.raises(Forbidden):
        terminals.terminal_register(actor=hall.clerk, center=center, code="LX-09")
    with pytest.raises(NotFound):
        terminals.terminal_register(actor=hall.kangle_admin, center=center, code="LX-09")
    now = timezone.now()
    terminal, code = terminals.terminal_register(
        actor=hall.county_admin, center=center, code="LX-09", now=now
    )
    late = now + dt.timedelta(hours=terminals.ENROLLMENT_HOURS, minutes=1)
    expired = Client().post(reverse("portal:terminal_enroll", args=[code]))
    assert expired.status_code == 302  # within the day it works …
    terminal.refresh_from_db()
    code = terminals.terminal_enrollment_issue(actor=hall.county_admin, terminal=terminal, now=now)
    with pytest.raises(Exception) as err:
        terminals.terminal_enroll(code=code, now=late)
    assert "已过期" in str(err.value)
    assert Terminal.objects.get().generation == 1


def test_r_hall_7_the_demo_terminal_is_enrolled_by_the_link_load_demo_prints(net, client):
    assert terminals_demo.load() == 1 and terminals_demo.load() == 0
    line = terminals_demo.note()
    assert line.startswith("演示自助终端：自助终端 LX-SIM-01（临夏县政务服务中心）的登记链接")
    path = "/" + line.rsplit("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 302
    terminal = Terminal.objects.get(code="LX-SIM-01")
    assert terminal.center == net.linxia_center
    assert terminal_selectors.terminal_check(
        client.cookies[TERMINAL_COOKIE].value, net.linxia_center
    ).ok
    # later printouts name the console command, which prints a new link; the used one
    # stays used
    assert "onewindow terminal-enroll-link LX-SIM-01" in terminals_demo.note()
    out = io.StringIO()
    call_command("terminal_enroll_link", "lx-sim-01", stdout=out)
    assert "/hall/terminal/enroll/" in out.getvalue() and path not in out.getvalue()
    assert Client().post(path).status_code == 404
