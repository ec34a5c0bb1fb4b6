"""R-CAT-9: the progress address printed on notices (and in their QR code), on slips
and tracking pages follows the address the system is served on (``make run PORT=…``);
a configured PUBLIC_BASE_URL wins (behind a proxy, on the public domain)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from onewindow.cases import services
from onewindow.complaints.models import Complaint
from tests.cases.conftest import all_required
from tests.complaints.conftest import hall  # noqa: F401  (the complaints fixture)


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\n", "")


@pytest.fixture
def receipt_url(desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    case = services.case_accept(actor=desk.clerk, case=case)
    return case, f"/workspace/cases/{case.pk}/notice/receipt.pdf"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_r_cat_9_the_receipt_prints_the_address_it_was_served_on(
    client, desk, receipt_url, tmp_path, settings
):
    case, url = receipt_url
    settings.ONEWINDOW = {**settings.ONEWINDOW, "PUBLIC_BASE_URL": ""}
    client.force_login(desk.clerk)
    response = client.get(url, HTTP_HOST="localhost:8101")
    assert response.status_code == 200
    text = _pdf_text(response.content, tmp_path)
    assert f"http://localhost:8101/progress/t/{case.token}/" in text
    assert ":8000" not in text

    settings.ONEWINDOW = {**settings.ONEWINDOW, "PUBLIC_BASE_URL": "https://zwfw.linxia.gov.cn/"}
    text = _pdf_text(client.get(url, HTTP_HOST="localhost:8101").content, tmp_path)
    assert f"https://zwfw.linxia.gov.cn/progress/t/{case.token}/" in text
    assert "localhost:8101" not in text


def test_r_cat_9_the_complaint_tracking_link_follows_the_served_address(
    client,
    hall,
    settings,  # noqa: F811
):
    settings.ONEWINDOW = {**settings.ONEWINDOW, "PUBLIC_BASE_URL": ""}
    form = {
        "center": str(hall.linxia_center.pk),
        "kind": "complaint",
        "subject": "营业执照窗口排队太久",
        "content": "等了两个小时",
        "name": "马小红",
        "phone": "13909305678",
    }
    client.post("/complaints/new/", form, HTTP_HOST="localhost:8101")
    token = Complaint.objects.get().token
    page = client.get(f"/complaints/t/{token}/?new=1", HTTP_HOST="localhost:8101").content.decode()
    assert f"http://localhost:8101/complaints/t/{token}/" in page
    settings.ONEWINDOW = {**settings.ONEWINDOW, "PUBLIC_BASE_URL": "https://zwfw.linxia.gov.cn"}
    page = client.get(f"/complaints/t/{token}/?new=1", HTTP_HOST="localhost:8101").content.decode()
    assert f"https://zwfw.linxia.gov.cn/complaints/t/{token}/" in page
