"""R-MSG-2: electronic licences anyone can verify (signed by the center's key, sealed,
with a QR code and a verification code), revocation and replacement, scope; and the
visits a case needed against its guide's promise (最多跑一次)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from onewindow.cases import services as case_services
from onewindow.core import crypto
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import Scope
from onewindow.licences import document, selectors, services, visits
from onewindow.licences.models import CenterSigner, Licence
from onewindow.org import services as org_services
from tests.cases.conftest import all_required
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def decided(desk, *, approve=True, now=None, **kw):
    case = case_services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
        now=now,
        **kw,
    )
    case_services.case_accept(actor=desk.clerk, case=case, now=now)
    case_services.case_start_review(actor=desk.approver, case=case, now=now)
    note = "" if approve else "不符合条件"
    return case_services.case_decide(
        actor=desk.approver, case=case, approve=approve, note=note, now=now
    )


@pytest.fixture
def licence(desk):
    case = decided(desk)
    return services.licence_issue(actor=desk.clerk, case=case)


@pytest.fixture
def kangle_clerk(desk):
    return org_services.staff_create(
        actor=desk.root,
        username="kangle_clerk",
        full_name="康乐窗口",
        password=PASSWORD,
        roles={"clerk"},
        staff_no="T0950",
        center=desk.kangle_center,
    ).user


def test_r_msg_2_an_issued_licence_verifies_and_shows_only_what_it_shows(desk, licence):
    result = selectors.verify_code(licence.code.lower()[:4] + "-" + licence.code[4:])
    assert result.status == "valid" and result.ok
    shown = dict(result.fields)
    assert shown["持证人"] == "马**" and shown["证件号码"] == "622921********0016"
    assert shown["办理事项"] == "个体工商户登记" and shown["出证中心"] == "临夏县政务服务中心"
    assert "13909301234" not in str(result.fields) and "马小明" not in str(result.fields)
    signer = CenterSigner.objects.get(center=desk.linxia_center)
    # the private key is kept only as ciphertext under the field encryption key
    assert "PRIVATE" not in signer.private_key_cipher
    assert len(crypto.decrypt(signer.private_key_cipher)) == 44  # 32 raw bytes, base64
    assert AuditEvent.objects.filter(action="licence.issue", target_id=str(licence.pk)).exists()
    assert AuditEvent.objects.filter(action="licence.signer_create").count() == 1
    with pytest.raises(Conflict):  # one valid licence per case
        services.licence_issue(actor=desk.approver, case=licence.case)


def test_r_msg_2_a_tampered_licence_fails_verification(desk, licence):
    body = dict(licence.payload, holder="王**")
    Licence.objects.filter(pk=licence.pk).update(payload=body)  # changed in the database
    result = selectors.verify_code(licence.code)
    assert result.status == "tampered" and not result.ok and result.fields == []
    # a signature copied from another licence does not hold either
    Licence.objects.filter(pk=licence.pk).update(payload=licence.payload, signature="A" * 88)
    assert selectors.verify_code(licence.code).status == "tampered"
    Licence.objects.filter(pk=licence.pk).update(signature=licence.signature)
    assert selectors.verify_code(licence.code).status == "valid"
    assert selectors.verify_code("NOPE-NOPE-NOPE").status == "unknown"


def test_r_msg_2_a_revoked_licence_says_so_with_date_and_reason(desk, licence, client):
    when = at("2026-03-02", 15)
    with pytest.raises(InvalidInput):
        services.licence_revoke(actor=desk.approver, licence=licence, reason="  ")
    services.licence_revoke(actor=desk.approver, licence=licence, reason="以欺骗手段取得", now=when)
    result = selectors.verify_code(licence.code)
    assert result.status == "revoked" and result.reason == "以欺骗手段取得" and result.at == when
    page = client.get(reverse("portal:licence_verify"), {"code": licence.code})
    text = page.content.decode()
    assert page.status_code == 200 and "已撤销" in text and "以欺骗手段取得" in text
    assert "2026年3月2日" in text
    with pytest.raises(Conflict):
        services.licence_revoke(actor=desk.approver, licence=licence, reason="再次")
    assert AuditEvent.objects.filter(action="licence.revoke", target_id=str(licence.pk)).exists()


def test_r_msg_2_a_replaced_licence_points_to_the_new_one(desk, licence, client):
    new = services.licence_replace(actor=desk.chief_rep, licence=licence, reason="地址更正")
    licence.refresh_from_db()
    assert licence.state == Licence.State.REPLACED and licence.replaced_by == new
    assert new.number.endswith("-02") and new.code != licence.code
    result = selectors.verify_code(licence.code)
    assert result.status == "replaced" and result.replaced_by == new.number
    assert selectors.verify_code(new.code).status == "valid"
    page = client.get(reverse("portal:licence_verify_code", args=[licence.code])).content.decode()
    assert "已换发" in page and new.number in page
    assert AuditEvent.objects.filter(action="licence.replace").count() == 1


def test_r_msg_2_only_an_approved_case_gets_a_licence(desk):
    denied = decided(desk, approve=False)
    with pytest.raises(Conflict) as err:
        services.licence_issue(actor=desk.clerk, case=denied)
    assert err.value.code == "licence.not_approved"
    approved = decided(desk)
    case_services.case_make_ready(actor=desk.approver, case=approved)
    case = case_services.case_deliver(actor=desk.clerk, case=approved)
    assert services.licence_issue(actor=desk.clerk, case=case).state == Licence.State.VALID


def test_r_msg_2_a_clerk_of_another_county_cannot_issue_or_revoke(desk, kangle_clerk, client):
    case = decided(desk)
    with pytest.raises(NotFound):
        services.licence_issue(actor=kangle_clerk, case=case)
    licence = services.licence_issue(actor=desk.clerk, case=case)
    with pytest.raises(NotFound):
        services.licence_revoke(actor=kangle_clerk, licence=licence, reason="越权")
    with pytest.raises(Forbidden):  # in scope, but a window clerk does not revoke
        services.licence_revoke(actor=desk.clerk, licence=licence, reason="无权")
    client.force_login(kangle_clerk)
    assert client.post(reverse("licences:issue", args=[case.pk])).status_code == 404
    assert client.get(reverse("licences:pdf", args=[licence.pk])).status_code == 404
    api = client.post(
        f"/api/v1/licences/{licence.pk}/revoke", {"reason": "越权"}, content_type="application/json"
    )
    assert api.status_code == 404 and api.json()["code"].endswith("not_found")
    licence.refresh_from_db()
    assert licence.state == Licence.State.VALID


def test_r_msg_2_the_api_issues_revokes_and_verifies(desk, client):
    case = decided(desk)
    client.force_login(desk.approver)
    made = client.post(f"/api/v1/licences/cases/{case.pk}")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["state"] == "valid" and len(body["code"]) == 14
    again = client.post(f"/api/v1/licences/cases/{case.pk}")
    assert again.status_code == 409 and again.json()["code"] == "licence.exists"
    client.logout()
    answer = client.get("/api/v1/licences/verify", {"code": body["code"]}).json()
    assert answer["status"] == "valid" and {"label": "持证人", "value": "马**"} in answer["fields"]
    client.force_login(desk.approver)
    bad = client.post(
        f"/api/v1/licences/{body['id']}/revoke", {"reason": ""}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "licence.reason_required"
    gone = client.post(
        f"/api/v1/licences/{body['id']}/revoke",
        {"reason": "许可被撤销"},
        content_type="application/json",
    )
    assert gone.status_code == 200 and gone.json()["state"] == "revoked"
    client.logout()
    assert client.get("/api/v1/licences/verify", {"code": body["code"]}).json()["status"] == (
        "revoked"
    )


def test_r_msg_2_verification_is_rate_limited_per_client_address(desk, licence, client, settings):
    settings.ONEWINDOW_LICENCE_VERIFY_RATE_LIMITS = {"client": (4, 3600), "unknown": (2, 600)}
    refused = "核验次数过多"
    page_url = reverse("portal:licence_verify_code", args=[licence.code])

    def page(url, address, **query):
        return client.get(url, query, REMOTE_ADDR=address)

    # unknown codes: two answered "not found", then the address is locked, a right code too
    guesser = "203.0.113.7"
    for code in ("AAAA-BBBB-CCCC", "AAAA-BBBB-CCCD"):
        answer = page(reverse("portal:licence_verify"), guesser, code=code)
        assert answer.status_code == 404 and refused not in answer.content.decode()
    answer = page(page_url, guesser)
    assert answer.status_code == 429
    text = answer.content.decode()
    assert refused in text and "10分钟" in text and "马**" not in text
    api = client.get("/api/v1/licences/verify", {"code": licence.code}, REMOTE_ADDR=guesser)
    assert api.status_code == 429
    assert api.json()["code"] == "licence.rate_limited" and refused in api.json()["message"]
    # every verification counts: the fifth from one address in the hour is refused
    reader = "198.51.100.4"
    for _ in range(4):
        answer = page(page_url, reader)
        assert answer.status_code == 200 and "马**" in answer.content.decode()
    answer = page(page_url, reader)
    assert answer.status_code == 429 and "1小时" in answer.content.decode()
    # another address is not limited by them; the empty form counts nothing
    for _ in range(5):
        assert page(reverse("portal:licence_verify"), reader).status_code == 200
    answer = page(page_url, "198.51.100.5")
    assert answer.status_code == 200 and "马**" in answer.content.decode()


def test_r_msg_2_staff_issue_from_the_case_page_and_the_citizen_downloads(desk, client):
    case = decided(desk)
    client.force_login(desk.clerk)
    detail = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("licences:case", args=[case.pk]) in detail
    page = client.get(reverse("licences:case", args=[case.pk]))
    assert page.status_code == 200 and "签发电子证照" in page.content.decode()
    done = client.post(reverse("licences:issue", args=[case.pk]))
    assert done.status_code == 302
    licence = Licence.objects.get(case=case)
    client.logout()
    progress = client.get(reverse("portal:progress_token", args=[case.token])).content.decode()
    link = reverse("portal:licence_download", args=[case.token, licence.pk])
    assert link in progress
    if not document.pdf.available():
        pytest.skip("WeasyPrint unavailable")
    answer = client.get(link)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert (
        client.get(reverse("portal:licence_download", args=["x" * 20, licence.pk])).status_code
        == 404
    )


needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler not installed")


@needs_poppler
def test_r_msg_2_the_pdf_renders_with_seal_and_a_qr_code_that_decodes(desk, licence, tmp_path):
    if not document.pdf.available():
        pytest.skip("WeasyPrint unavailable")
    pdf = document.render_licence_pdf(licence)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "licence.pdf").write_bytes(pdf)
    screenshot_path("licence").with_suffix(".pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "licence.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert licence.number in text and "马**" in text and "马小明" not in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-singlefile",
            str(tmp_path / "licence.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("RGB")
    image.save(screenshot_path("licence_page"))
    colours = image.getcolors(maxcolors=1 << 20) or []
    white = sum(n for n, c in colours if min(c) > 245)
    assert white < image.width * image.height * 0.97  # not blank
    red = sum(n for n, (r, g, b) in colours if r > 150 and g < 90 and b < 90)
    assert red > 2000  # the seal (and the frame) in red
    url = document.verify_url(licence)
    try:
        import zxingcpp
    except ImportError:  # no decoder: the QR the page carries is the library's for the URL
        assert document.qr_svg(url) in document.render_licence_html(licence)
        return
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert url in found and licence.code in url


def test_r_msg_2_visits_counted_against_a_hand_count(desk):
    # 1. taken in at the window on day 1, a correction answered at the window on day 3,
    #    picked up at the window on day 5: three visits
    m = desk.materials
    form = m["个体工商户登记（备案）申请书"]
    case = case_services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials={form.pk: {}},
        now=at("2026-03-02"),
    )
    missing = [m["经营者居民身份证"], m["经营场所使用证明"]]
    case_services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        items=[{"material_id": x.pk} for x in missing],
        due=dt.date(2026, 3, 20),
        now=at("2026-03-02", 11),
    )
    case_services.case_correction_reply(
        actor=desk.clerk, case=case, materials=all_required(desk), now=at("2026-03-04")
    )
    case_services.case_accept(actor=desk.clerk, case=case, now=at("2026-03-04", 11))
    case_services.case_start_review(actor=desk.approver, case=case, now=at("2026-03-05"))
    case_services.case_decide(actor=desk.approver, case=case, approve=True, now=at("2026-03-05"))
    case_services.case_make_ready(actor=desk.approver, case=case, now=at("2026-03-05", 12))
    case_services.case_deliver(actor=desk.clerk, case=case, now=at("2026-03-06"))
    assert visits.visits_of(case) == 3
    # 2. taken in and picked up the same day: one visit; 3. mailed result: one visit
    same = decided(desk, now=at("2026-03-09"))
    case_services.case_make_ready(actor=desk.approver, case=same, now=at("2026-03-09", 11))
    case_services.case_deliver(actor=desk.clerk, case=same, now=at("2026-03-09", 15))
    mailed = decided(desk, now=at("2026-03-10"))
    case_services.case_make_ready(actor=desk.approver, case=mailed, now=at("2026-03-10", 11))
    case_services.case_deliver(
        actor=desk.clerk, case=mailed, method="mail", tracking_number="EMS1", now=at("2026-03-12")
    )
    assert visits.visits_of(same) == 1 and visits.visits_of(mailed) == 1
    rows = visits.visits_by_matter(
        visits.received_between(Scope.all(), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    )
    (row,) = rows
    promised = desk.matter.current_version.visits
    assert (row.cases, row.visits, row.most, row.promised) == (3, 5, 3, promised)
    assert row.within == sum(n <= promised for n in (3, 1, 1))
    assert round(row.average, 2) == round(5 / 3, 2)


def test_r_msg_2_the_visits_page_is_on_the_workspace_for_overseers(desk, client):
    client.force_login(desk.county_admin)
    assert reverse("licences:visits") in client.get(reverse("workspace")).content.decode()
    page = client.get(reverse("licences:visits"))
    assert page.status_code == 200 and "最多跑一次" in page.content.decode()
    bad = client.get(reverse("licences:visits"), {"since": "2026-05-01", "until": "2026-04-01"})
    assert bad.status_code == 400 and "起始日期不能晚于截止日期" in bad.content.decode()
    client.force_login(desk.clerk)
    assert client.get(reverse("licences:visits")).status_code == 404
    assert connection.vendor in ("sqlite", "postgresql")


def test_r_msg_2_the_demo_issues_licences_verifiable_on_the_portal(desk, client):
    from onewindow.demo import licences_history

    for day in ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"):
        decided(desk, now=at(day))
    decided(desk, approve=False, now=at("2026-03-06"))
    made = licences_history.load()
    assert made == 5 and licences_history.load() == 0  # idempotent
    statuses = sorted(selectors.verify_code(lic.code).status for lic in Licence.objects.all())
    assert statuses == ["replaced", "revoked", "valid", "valid", "valid"]
    code = licences_history.note().split("：")[1].split("（")[0]
    page = client.get(reverse("portal:licence_verify"), {"code": code})
    assert page.status_code == 200 and "有效" in page.content.decode()
