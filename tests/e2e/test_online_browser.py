"""An online application in a real browser (R-CASE-8, R-CAT-9): a citizen applies on a
375 px phone without an account and keeps the secret link; the clerk finds it in the
pre-review queue and passes it; the citizen's link then shows the same public status as
the progress page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from tests.catalog.conftest import make_matter, publish_through_review
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot_path
from tests.files.conftest import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def listing(net, settings, tmp_path):
    settings.ONEWINDOW_UPLOAD_ROOT = str(tmp_path / "uploads")
    cache.clear()
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
    return Listing.objects.get(pk=request.listing_id)


def test_r_case_8_a_citizen_applies_on_a_phone_and_the_clerk_passes_prereview(
    listing, browser, live_server
):
    phone = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        user_agent=IPHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    phone.set_default_timeout(15_000)
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/apply/")
    citizen.click(f"a[href='/apply/{listing.pk}/']")
    citizen.wait_for_url(re.compile(rf".*/apply/{listing.pk}/$"))
    # Nothing sticks out sideways on a phone.
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    citizen.fill("#name", "马小明")
    citizen.fill("#phone", "13909301234")
    citizen.fill("#id_number", "622921199001010016")
    # 一表申请: the name and identity number are asked once, in the basic information.
    assert citizen.locator("#form_applicant_name").count() == 0
    assert citizen.locator("#form_id_number").count() == 0
    citizen.fill("#form_business_address", "韩集镇韩集村12号")
    materials = {m.name: m for m in listing.matter.current_version.materials.all()}
    citizen.check(
        f"input[name=doc_{materials['个体工商户登记（备案）申请书'].pk}][value=electronic]"
    )
    citizen.check(f"input[name=doc_{materials['经营者居民身份证'].pk}][value=electronic]")
    site = materials["经营场所使用证明"].pk
    citizen.check(f"input[name=doc_{site}][value=pledge]")
    # 告知承诺: choosing it opens the pledge's text, accepted by ticking it.
    assert citizen.locator(f"[data-testid=pledge-text-{site}]").is_visible()
    citizen.check(f"input[name=pledge_ok_{site}]")
    citizen.screenshot(path=str(screenshot_path("online_apply_phone_form")), full_page=True)
    citizen.click("button[value=save]")
    citizen.wait_for_url(re.compile(r".*/apply/t/[\w-]+/$"))
    assert "草稿，尚未提交" in citizen.content()
    # The identity number typed in the form is not shown back, only masked.
    assert "622921199001010016" not in citizen.content()
    card = materials["经营者居民身份证"].pk
    citizen.set_input_files(
        f"#file-{card}",
        files=[{"name": "身份证.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    citizen.click(f"form:has(#file-{card}) button")
    citizen.wait_for_url(re.compile(r".*/apply/t/[\w-]+/#files$"))
    assert "已上传：身份证.pdf" in citizen.content()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 375
    citizen.screenshot(path=str(screenshot_path("online_apply_phone_draft")), full_page=True)
    with citizen.expect_navigation():  # the redirect keeps the #files fragment
        citizen.click("button[value=submit]")
    case = Case.objects.get()
    assert case.form_data["id_number"] == "622921199001010016"  # kept when left empty
    assert case.documents.get(material=materials["经营者居民身份证"]).file is not None
    assert case.state == states.PRE_REVIEW and case.channel == Case.Channel.MOBILE
    assert citizen.locator("[data-testid=case-number]").inner_text() == case.number
    assert citizen.locator("[data-testid=public-status]").inner_text() == "已提交"
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 375
    citizen.screenshot(path=str(screenshot_path("online_apply_phone_submitted")), full_page=True)
    link = citizen.url

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    desk.set_default_timeout(15_000)
    clerk = desk.new_page()
    clerk.goto(f"{live_server.url}/accounts/login/")
    clerk.fill("#id_username", "clerk")
    clerk.fill("#id_password", PASSWORD)
    clerk.click("main button[type=submit]")
    clerk.wait_for_url(re.compile(r".*/workspace/$"))
    clerk.goto(f"{live_server.url}/workspace/prereview/")
    clerk.screenshot(path=str(screenshot_path("online_prereview_queue")), full_page=True)
    clerk.click(f"text={case.number}")
    clerk.wait_for_url(re.compile(rf".*/workspace/cases/{case.pk}/$"))
    clerk.fill("#prereview-note", "材料齐全，请窗口受理")
    with clerk.expect_navigation():
        clerk.click("form[action$='/prereview/pass/'] button")
    assert "预审通过" in clerk.locator(".messages").inner_text()
    clerk.screenshot(path=str(screenshot_path("online_prereview_passed_case")), full_page=True)
    case.refresh_from_db()
    assert case.state == states.INTAKE and case.intake_clerk.username == "clerk"

    citizen.goto(f"{live_server.url}/progress/t/{case.token}/")
    status = citizen.locator("h2 .badge").first.inner_text()
    citizen.goto(link.split("#")[0])
    assert "预审已通过" in citizen.content()
    assert citizen.locator("[data-testid=public-status]").inner_text() == status
    assert status == case.public_status
    phone.close()
    desk.close()
