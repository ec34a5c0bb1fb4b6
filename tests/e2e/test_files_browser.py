"""Electronic materials in a real browser (R-CASE-6): a clerk uploads a material's file
on the case page, a wrong type is refused with a clear message, the file downloads as
stored; at the next intake the applicant's data are brought back by the identity number
and the stored file is offered for reuse, ticked."""

from __future__ import annotations

import re

import pytest

from onewindow.cases import services
from onewindow.cases.models import ApplicantDocument, Case
from onewindow.cases.services import files as file_services
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.hall import services as hall_services
from tests.catalog.conftest import make_matter, publish_through_review
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path
from tests.files.conftest import PDF_BYTES, upload

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

ID_NUMBER = "622921199001010016"


@pytest.fixture
def desk(net, settings, tmp_path):
    settings.ONEWINDOW_UPLOAD_ROOT = str(tmp_path / "uploads")
    matter, version = make_matter(net, code="11620000MB1234567X", name="个体工商户登记")
    publish_through_review(net, version)
    request = catalog_services.listing_request_entry(
        actor=net.county_admin,
        matter=matter,
        center=net.linxia_center,
        department=net.linxia_market,
        code="LX-0001",
        reason="进驻",
    )
    catalog_services.change_request_decide(actor=net.gov_office, request=request, approve=True)
    net.listing = Listing.objects.get(pk=request.listing_id)
    hall_services.authorization_set(
        actor=net.county_admin, clerk=net.clerk, matter=matter, may_accept=True, may_decide=False
    )
    net.applicant = services.applicant_record(
        name="马小明",
        phone="13909301234",
        id_number=ID_NUMBER,
        address="临夏县韩集镇韩集村12号",
        profile={"business_address": "韩集镇街道3号"},
    )
    net.materials = {m.name: m for m in net.listing.matter.current_version.materials.all()}
    return net


def _login(browser, live_server, username, width=1280, height=900):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace/$"))
    return page


def test_r_case_6_a_clerk_uploads_a_material_on_the_case_page_and_downloads_it(
    desk, browser, live_server
):
    case = services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials={}
    )
    idcard = desk.materials["经营者居民身份证"]
    page = _login(browser, live_server, "clerk")
    page.goto(f"{live_server.url}/workspace/cases/{case.pk}/")
    panel = page.locator("#files")
    assert "电子材料" in panel.inner_text()
    page.set_input_files(
        f"#file-{idcard.pk}",
        files=[{"name": "网页.pdf", "mimeType": "application/pdf", "buffer": b"<html>x</html>"}],
    )
    with page.expect_navigation():
        page.click(f"#file-{idcard.pk} >> xpath=ancestor::form//button")
    assert "文件类型不允许" in page.locator(".messages").inner_text()
    page.set_input_files(
        f"#file-{idcard.pk}",
        files=[{"name": "身份证正反面.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.fill(f"#valid-{idcard.pk}", "2036-01-01")
    with page.expect_navigation():
        page.click(f"#file-{idcard.pk} >> xpath=ancestor::form//button")
    assert "已收取“经营者居民身份证”的电子材料" in page.locator(".messages").inner_text()
    link = page.locator("#files a.file-link", has_text="身份证正反面.pdf")
    assert link.count() == 1 and "PDF" in page.locator("#files").inner_text()
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.body() == PDF_BYTES
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert ApplicantDocument.objects.get().valid_until.isoformat() == "2036-01-01"
    page.locator("#files").screenshot(path=str(screenshot_path("r_case_6_files_panel_desk")))
    page.context.close()

    phone = _login(browser, live_server, "clerk", width=390, height=844)
    phone.goto(f"{live_server.url}/workspace/cases/{case.pk}/#files")
    phone.locator("#files").screenshot(path=str(screenshot_path("r_case_6_files_panel_phone")))
    outsider = _login(browser, live_server, "kangle_admin")
    assert outsider.request.get(live_server.url + link_href(case)).status == 404
    phone.context.close()
    outsider.context.close()


def link_href(case) -> str:
    document = case.documents.get(file__isnull=False)
    return f"/workspace/cases/{case.pk}/documents/{document.pk}/file/"


def test_r_case_6_the_next_intake_brings_back_the_applicant_and_offers_the_stored_file(
    desk, browser, live_server
):
    first = services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials={}
    )
    idcard = desk.materials["经营者居民身份证"]
    stored_doc = file_services.document_attach(
        actor=desk.clerk,
        case=first,
        material=idcard,
        upload=upload("身份证.pdf", PDF_BYTES),
    )
    page = _login(browser, live_server, "clerk")
    page.goto(f"{live_server.url}/workspace/cases/new/?listing={desk.listing.pk}")
    page.fill("#id_number", ID_NUMBER)
    with page.expect_navigation():
        page.click("#lookup")
    assert page.locator("#name").input_value() == "马小明"
    assert page.locator("#phone").input_value() == "13909301234"
    assert page.locator("#address").input_value() == "临夏县韩集镇韩集村12号"
    assert page.locator("#form_business_address").input_value() == "韩集镇街道3号"
    assert page.locator("#form_id_number").input_value() == ""
    reuse = page.locator(f"input[name=reuse_{idcard.pk}]")
    assert reuse.is_checked()
    page.screenshot(path=str(screenshot_path("r_case_6_intake_prefilled")), full_page=True)
    page.check(f"input[name=doc_{desk.materials['个体工商户登记（备案）申请书'].pk}][value=paper]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/workspace/cases/\d+/$"))
    second = Case.objects.exclude(pk=first.pk).get()
    document = second.documents.get(material=idcard)
    assert document.file_id == stored_doc.file_id and document.reused_from is not None
    assert "复用材料库" in page.locator("#files").inner_text()
    page.context.close()
