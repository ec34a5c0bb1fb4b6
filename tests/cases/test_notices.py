"""R-CASE-2: every document is printable (PDF) with the center's name, the case number
and a QR code to the public progress page; the progress page shows the same status
on every channel (R-CAT-9)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.utils import timezone

from onewindow.cases import notices, services
from onewindow.cases.models import Case
from onewindow.cases.selectors.pages import case_notices
from onewindow.core.errors import Conflict
from tests.cases.conftest import all_required
from tests.e2e.conftest import screenshot_path


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils not installed"
)


@pytest.fixture
def accepted(desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    return services.case_accept(actor=desk.clerk, case=case)


@needs_poppler
def test_r_case_2_the_receipt_is_a_pdf_with_cjk_font_center_number_and_qr(accepted, tmp_path):
    pdf = notices.render_notice_pdf(accepted, "receipt")
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    assert "受理通知书" in text and "临夏县政务服务中心" in text and accepted.number in text
    assert "经营者居民身份证" in text and "个体工商户登记" in text
    rows = [line.split() for line in _fonts(pdf, tmp_path).splitlines()[2:]]
    cjk = [row for row in rows if "CJK" in row[0]]
    assert cjk and all(row[-5] == "yes" for row in cjk)  # the CJK fonts are embedded
    html = notices.render_notice_html(accepted, "receipt")
    assert "<svg" in html and notices.progress_url(accepted).endswith(
        f"/progress/t/{accepted.token}/"
    )
    out = screenshot_path("case_receipt").with_suffix(".pdf")
    out.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-singlefile", str(out), str(out.with_suffix(""))],
            check=True,
        )


@needs_poppler
def test_r_case_2_correction_notice_lists_everything_once_with_its_date(desk, tmp_path):
    m = desk.materials
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials={m["经营者居民身份证"].pk: {}},
    )
    due = timezone.localdate() + dt.timedelta(days=5)
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        due=due,
        items=[
            {"material_id": m["个体工商户登记（备案）申请书"].pk},
            {"material_id": m["经营场所使用证明"].pk, "note": "房产证或租赁合同"},
        ],
    )
    text = _pdf_text(notices.render_notice_pdf(case, "correction"), tmp_path)
    assert "一次性告知" in text and "经营场所使用证明" in text and "房产证或租赁合同" in text
    assert f"{due.year}年{due.month}月{due.day}日" in text and "视为撤回" in text
    with pytest.raises(Conflict):
        notices.render_notice_pdf(case, "receipt")  # not accepted yet


@needs_poppler
def test_r_case_2_refusal_notice_states_the_reason_and_the_remedies(desk, tmp_path):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_refuse(actor=desk.clerk, case=case, reason="申请事项不属于本机关职权范围")
    case.refresh_from_db()
    text = _pdf_text(notices.render_notice_pdf(case, "refusal"), tmp_path)
    assert "不予受理通知书" in text and "不属于本机关职权范围" in text and "行政复议" in text


def test_notices_are_for_staff_in_scope_only(client, accepted, desk):
    url = f"/workspace/cases/{accepted.pk}/notice/receipt.pdf"
    assert client.get(url).status_code == 302  # login first
    client.force_login(desk.kangle_admin)
    assert client.get(url).status_code == 404
    client.force_login(desk.clerk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"/workspace/cases/{accepted.pk}/notice/conclusion.pdf").status_code == 409
    assert client.get(f"/workspace/cases/{accepted.pk}/notice/nonsense.pdf").status_code == 404


def test_r_cat_9_the_progress_page_by_number_and_phone_tail_and_by_qr(client, accepted):
    page = client.get("/progress/", {"number": accepted.number, "tail": "1234"}).content.decode()
    assert "已受理" in page and "个体工商户登记" in page and "马小明" not in page
    wrong = client.get("/progress/", {"number": accepted.number, "tail": "9999"}).content.decode()
    assert "未找到该办件" in wrong and "个体工商户登记" not in wrong
    assert client.get(f"/progress/t/{accepted.token}/").status_code == 200
    assert client.get("/progress/t/not-a-token/").status_code == 404
    assert client.get("/progress/", {"number": "x" * 500, "tail": "12ab"}).status_code == 200


@needs_poppler
def test_r_case_2_a_lapsed_correction_gives_a_withdrawal_notice(desk, tmp_path):
    from onewindow.cases.sweep import sweep

    m = desk.materials
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials={m["经营者居民身份证"].pk: {}},
    )
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        due=timezone.localdate() + dt.timedelta(days=3),
        items=[
            {"material_id": m["个体工商户登记（备案）申请书"].pk},
            {"material_id": m["经营场所使用证明"].pk},
        ],
    )
    with pytest.raises(Conflict):
        notices.render_notice_pdf(case, "withdrawal")  # still waiting for the reply
    sweep(now=timezone.now() + dt.timedelta(days=5))
    case.refresh_from_db()
    assert case.state == "withdrawn"
    pdf = notices.render_notice_pdf(case, "withdrawal")
    text = _pdf_text(pdf, tmp_path)
    assert "视为撤回申请通知书" in text and case.number in text and "经营场所使用证明" in text
    out = screenshot_path("case_withdrawal").with_suffix(".pdf")
    out.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", str(out), str(out.with_suffix(""))],
        check=True,
    )


@needs_poppler
def test_r_hall_5_intake_receipt_lists_what_the_window_received_before_acceptance(desk, tmp_path):
    """§8 收件凭证: before the department accepts, the applicant holds a receipt naming
    what the window took in; the case page offers it from intake on."""
    m = desk.materials
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials={m["经营者居民身份证"].pk: {}, m["经营场所使用证明"].pk: {}},
    )
    assert case.accepted_at is None
    assert ("intake_receipt", "收件凭证") in case_notices(case)
    assert ("receipt", "受理通知书") not in case_notices(case)
    pdf = notices.render_notice_pdf(case, "intake_receipt")
    text = _pdf_text(pdf, tmp_path)
    out = screenshot_path("case_intake_receipt").with_suffix(".pdf")
    out.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", str(out), str(out.with_suffix(""))],
        check=True,
    )
    assert "收件凭证" in text and case.number in text and "临夏县政务服务中心" in text
    assert "经营者居民身份证" in text and "经营场所使用证明" in text
    assert "个体工商户登记（备案）申请书" not in text  # not received, not listed
    assert "不得要求申请人重复提交" in "".join(text.split())  # wrapped across lines


def test_r_hall_5_no_intake_receipt_for_an_online_draft(desk):
    draft = Case(state="draft", number="X", center=desk.listing.center, intake_clerk=None)
    with pytest.raises(Conflict) as caught:
        notices.notice_context(draft, "intake_receipt")
    assert caught.value.code == "notice.not_available"
