"""R-HALL-7, R-CIT-1: 补交材料 at the self-service terminal. A citizen whose case needs
correction identifies themselves (case number and phone tail, or the identity card and
phone tail), sees the materials still to give, and the picture the document camera took
(here: the device simulator's, a real HTTP server) is stored as an upload of that case by
the same service the portal and the window use, with its event and audit row."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import urllib.request

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import CaseEvent
from onewindow.cases.selectors import missing_materials
from onewindow.core.models import AuditEvent
from onewindow.files.models import StoredFile
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.files.conftest import upload_root  # noqa: F401
from tests.hall.conftest import enroll_terminal

ID_NUMBER = "622921199001010016"  # the desk's applicant 马小明, phone 13909301234


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _enrolled(client, desk):
    """The client is the enrolled terminal of 临夏县; ``desk.kangle_kiosk`` is 康乐县's."""
    enroll_terminal(client, desk.linxia_center)
    desk.kangle_kiosk = Client()
    enroll_terminal(desk.kangle_kiosk, desk.kangle_center, code="KL-T-01")


def correcting(desk):
    """A case taken in at the window without its materials, a correction asked for."""
    case = services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials={}
    )
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        items=[{"material_id": m.pk} for m in missing_materials(case)],
        due=timezone.localdate() + dt.timedelta(days=5),
    )
    case.refresh_from_db()
    assert case.state == states.CORRECTING_INTAKE
    return case


def captured(simulator) -> tuple[bytes, str]:
    """What the document camera gives for the page under it (a real request)."""
    request = urllib.request.Request(simulator.url + "/camera/capture", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=5) as answer:
        image = json.loads(answer.read())["image"]
    return base64.b64decode(image["data"]), image["type"]


def case_page(client, center, number, tail="1234"):
    url = reverse("portal:terminal_materials", args=[center.pk])
    return client.post(url, {"number": number, "tail": tail})


def test_r_hall_7_r_cit_1_the_camera_picture_is_stored_as_the_cases_upload(
    client, desk, upload_root, simulator, settings
):
    settings.ONEWINDOW_TERMINAL_DEVICES = simulator.url
    center = desk.linxia_center
    case = correcting(desk)
    home = client.get(reverse("portal:terminal", args=[center.pk])).content.decode()
    assert reverse("portal:terminal_materials", args=[center.pk]) in home

    found = case_page(client, center, case.number)
    assert found.status_code == 302
    listing = client.get(found["Location"])
    page = listing.content.decode()
    assert f"connect-src 'self' {simulator.url}" in listing["Content-Security-Policy"]
    assert f'data-device-url="{simulator.url}"' in page
    for name in ("经营者居民身份证", "经营场所使用证明"):
        assert name in page
    assert page.count("需补正") == 3 and "补交材料" in page

    data, kind = captured(simulator)
    material = desk.materials["经营场所使用证明"]
    upload_url = found["Location"] + "upload/"
    picture = SimpleUploadedFile("终端拍摄-经营场所使用证明.png", data, content_type=kind)
    done = client.post(upload_url, {"material": material.pk, "file": picture})
    assert done.status_code == 302 and done["Location"].endswith(f"?done={material.pk}")
    document = case.documents.get(material=material)
    assert document.electronic and document.file.content_type == "image/png"
    assert document.file.size == len(data) and document.received_by is None
    step = CaseEvent.objects.get(case=case, action="document_attach")
    assert step.actor_label == "申请人（自助终端 LX-T-01）" and "终端拍摄" in step.note
    audit = AuditEvent.objects.get(action="case.document_attach", target_id=str(case.pk))
    assert audit.after["file"] == document.file_id
    shown = client.get(done["Location"]).content.decode()
    assert "已收到“经营场所使用证明”的拍摄件" in shown
    assert shown.count("需补正") == 2 and "已提交" in shown

    # Not an image or PDF: refused by the same checks as any upload; nothing stored.
    files = StoredFile.objects.count()
    fake = SimpleUploadedFile("x.png", b"MZ\x90\x00not an image", content_type="image/png")
    refused = client.post(upload_url, {"material": material.pk, "file": fake})
    assert refused.status_code == 422 and StoredFile.objects.count() == files
    assert "文件类型不允许" in refused.content.decode()
    # Past the size limit: refused in Chinese, nothing stored.
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("big.png", data, content_type=kind)
    refused = client.post(upload_url, {"material": material.pk, "file": big})
    assert refused.status_code == 422 and StoredFile.objects.count() == files
    assert "文件过大" in refused.content.decode()


def test_r_hall_7_identify_by_number_and_tail_or_by_the_identity_card(client, desk):
    center = desk.linxia_center
    case = correcting(desk)
    url = reverse("portal:terminal_materials", args=[center.pk])
    wrong = client.post(url, {"number": case.number, "tail": "0000"})
    assert wrong.status_code == 404 and "核对" in wrong.content.decode()
    short = client.post(url, {"number": case.number, "tail": "12"})
    assert short.status_code == 422 and "后四位" in short.content.decode()
    empty = client.post(url, {"tail": "1234"})
    assert empty.status_code == 422 and "办件编号" in empty.content.decode()
    bad_id = client.post(url, {"id_number": ID_NUMBER[:-1] + "1", "tail": "1234"})
    assert bad_id.status_code == 422 and "校验" in bad_id.content.decode()
    by_card = client.post(url, {"id_number": ID_NUMBER, "tail": "1234"})
    assert by_card.status_code == 302
    assert case.number in client.get(by_card["Location"]).content.decode()
    # The identity number is never echoed back on the page.
    again = client.post(url, {"id_number": ID_NUMBER, "tail": "9999"})
    assert again.status_code == 404 and ID_NUMBER not in again.content.decode()
    # Another center's terminal does not find it.
    elsewhere = reverse("portal:terminal_materials", args=[desk.kangle_center.pk])
    answer = desk.kangle_kiosk.post(elsewhere, {"id_number": ID_NUMBER, "tail": "1234"})
    assert answer.status_code == 404


def test_r_hall_7_the_token_is_of_this_terminal_and_expires(client, desk, settings):
    center = desk.linxia_center
    case = correcting(desk)
    found = case_page(client, center, case.number)
    token = re.search(r"/materials/([^/]+)/$", found["Location"]).group(1)
    other = reverse("portal:terminal_materials_case", args=[desk.kangle_center.pk, token])
    assert desk.kangle_kiosk.get(other).status_code == 404
    assert client.get(other).status_code == 403  # 临夏县's terminal is not 康乐县's
    forged = reverse("portal:terminal_materials_case", args=[center.pk, token[:-2] + "xx"])
    assert client.get(forged).status_code == 404
    from onewindow.portal.views.hall import materials

    settings_seconds = materials.SESSION_SECONDS
    try:
        materials.SESSION_SECONDS = -1
        assert client.get(found["Location"]).status_code == 404
    finally:
        materials.SESSION_SECONDS = settings_seconds


def test_r_hall_7_no_camera_says_so_and_a_decided_case_takes_nothing(client, desk, settings):
    settings.ONEWINDOW_TERMINAL_DEVICES = ""
    center = desk.linxia_center
    case = correcting(desk)
    page = client.get(case_page(client, center, case.number)["Location"]).content.decode()
    assert "本机未配置高拍仪" in page and "综合受理窗口" in page
    services.case_correction_reply(actor=desk.clerk, case=case, materials=all_required(desk))
    case = services.case_accept(actor=desk.clerk, case=case)
    found = case_page(client, center, case.number)
    page = client.get(found["Location"]).content.decode()
    assert "不需要在终端补交材料" in page and "data-capture" not in page
    refused = client.post(
        found["Location"] + "upload/",
        {
            "material": desk.materials["经营者居民身份证"].pk,
            "file": SimpleUploadedFile("a.png", b"x", content_type="image/png"),
        },
    )
    assert refused.status_code in (409, 422) and not case.documents.filter(file__isnull=False)
