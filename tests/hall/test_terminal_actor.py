"""What a citizen does at the self-service terminal is audited as that terminal's
(R-HALL-7, R-SEC-1): the terminal is the one enrolled with its signed credential
(tests/hall/test_terminal_identity.py; the simulator's ``LX-SIM-01`` here), and every
write of the terminal (a ticket, a check-in, a review, a complaint, 补交材料) names the
terminal in its audit row, never an anonymous visitor."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import services as case_services
from onewindow.cases.models import CaseEvent
from onewindow.cases.selectors import missing_materials
from onewindow.complaints.models import Complaint
from onewindow.core.audit import TerminalActor, terminal_code
from onewindow.core.models import AuditEvent
from onewindow.hall import services
from onewindow.hall.devices.simulator import SIMULATOR_TERMINAL
from onewindow.hall.models import Ticket
from tests.cases.conftest import desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.files.conftest import PDF_BYTES, upload_root  # noqa: F401
from tests.hall.conftest import enroll_terminal
from tests.hall.test_terminal_devices import booked_today

LABEL = f"自助终端 {SIMULATOR_TERMINAL}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_r_hall_7_the_device_service_names_its_terminal(simulator, client, hall, settings):
    with urllib.request.urlopen(simulator.url + "/status", timeout=5) as answer:
        status = json.loads(answer.read())
    assert status["terminal"] == SIMULATOR_TERMINAL == "LX-SIM-01"
    # the start page reaches the service (its devices), but what names the terminal is its
    # enrollment, never the page's script
    settings.ONEWINDOW_TERMINAL_DEVICES = simulator.url
    home = client.get(reverse("portal:terminal", args=[hall.linxia_center.pk]))
    assert 'id="kiosk"' in home.content.decode()
    assert f'data-device-url="{simulator.url}"' in home.content.decode()
    assert f"connect-src 'self' {simulator.url}" in home["Content-Security-Policy"]
    assert terminal_code(" lx-sim-01 ") == "LX-SIM-01"
    assert terminal_code("<script>") == terminal_code("A" * 40) == ""
    assert str(TerminalActor(code="")) == "自助终端"


def test_r_hall_7_every_terminal_write_names_the_terminal_in_the_audit_trail(
    client,
    hall,
    desk,
    upload_root,  # noqa: F811
):
    center = desk.linxia_center
    hall.cat_a.matters.add(desk.matter)
    enroll_terminal(client, center, code=SIMULATOR_TERMINAL)
    prefix = f"/hall/terminal/{center.pk}/"

    # a ticket
    taken = client.post(reverse("portal:terminal_take", args=[center.pk, hall.cat_a.pk]), {})
    assert taken.status_code == 302
    ticket = Ticket.objects.get()
    issued = AuditEvent.objects.get(action="ticket.issue", target_id=str(ticket.pk))
    assert issued.actor_id is None and issued.actor_label == LABEL

    # a check-in of a booking
    booking = booked_today(center, hall.cat_b)
    checked = client.post(
        reverse("portal:terminal_checkin", args=[center.pk]), {"code": booking.code}
    )
    assert checked.status_code == 302
    assert AuditEvent.objects.get(action="appointment.check_in").actor_label == LABEL
    booked_ticket = Ticket.objects.get(appointment=booking)
    assert (
        AuditEvent.objects.get(action="ticket.issue", target_id=str(booked_ticket.pk)).actor_label
        == LABEL
    )

    # a review of the finished visit
    services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    services.ticket_finish(actor=hall.clerk2, window=hall.w2, ticket=ticket)
    reviewed = client.post(f"{prefix}review/", {"code": ticket.code, "level": "5", "text": "很快"})
    assert reviewed.status_code == 200, reviewed.content.decode()
    review_row = AuditEvent.objects.get(action="evaluation.review")
    assert review_row.actor_label == f"评价人（{LABEL}）"

    # a complaint
    filed = client.post(
        f"{prefix}complaint/",
        {
            "kind": "complaint",
            "subject": "等候时间过长",
            "content": "上午取号后等了一个多小时。",
            "phone": "13909301234",
        },
    )
    assert filed.status_code == 200
    complaint = Complaint.objects.get()
    received = AuditEvent.objects.filter(target_id=str(complaint.pk), action__endswith="receive")
    assert [r.actor_label for r in received] == [LABEL]

    # 补交材料: the last missing material closes the correction, in the terminal's name
    case = case_services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials={}
    )
    missing = missing_materials(case)
    case_services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        items=[{"material_id": m.pk} for m in missing],
        due=timezone.localdate() + dt.timedelta(days=5),
    )
    found = client.post(f"{prefix}materials/", {"number": case.number, "tail": "1234"})
    assert found.status_code == 302
    for material in missing:
        picture = SimpleUploadedFile(f"终端拍摄-{material.name}.pdf", PDF_BYTES)
        sent = client.post(
            found["Location"] + "upload/", {"material": material.pk, "file": picture}
        )
        assert sent.status_code == 302
    assert sent["Location"].endswith("&closed=1")
    shown = client.get(sent["Location"]).content.decode()
    assert "补正材料已全部收到，办件已自动交回窗口受理" in shown
    rows = AuditEvent.objects.filter(
        target_id=str(case.pk), action__in=["case.document_attach", "case.reply_intake"]
    )
    assert rows.count() == len(missing) + 1 and {r.actor_label for r in rows} == {LABEL}
    assert CaseEvent.objects.get(case=case, action="reply_intake").actor_label == (
        f"申请人（{LABEL}）"
    )
    # nowhere an anonymous visitor
    assert not AuditEvent.objects.filter(actor_label__icontains="anonymous").exists()
