"""R-CASE-6, R-CASE-5, R-CASE-8, R-CASE-7: the online form as a citizen fills it — the
basic information asked once and kept, a pledge read and accepted, a draft or a returned
application withdrawn by its owner, a bundle's merged form that does not ask what the
bundle itself produces, and confirmations that give a short link with a QR code."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.cache import cache

from onewindow.cases import services, states
from onewindow.cases.models import Case
from onewindow.cases.selectors.bundle_plan import bundle_plan
from onewindow.cases.services import bundles, online
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.models import AuditEvent
from onewindow.hall import services as hall_services
from tests.catalog.conftest import GUIDE, make_matter, publish_through_review

ID = "622921199001010016"
BASIC = {"kind": "person", "name": "马小明", "phone": "13909301234", "id_number": ID}
SITE = "经营场所使用证明"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _post(desk, action="save", pledge_ok=True, **over) -> dict:
    m = desk.materials
    data = {
        "action": action,
        **BASIC,
        f"doc_{m['个体工商户登记（备案）申请书'].pk}": "electronic",
        f"doc_{m['经营者居民身份证'].pk}": "electronic",
        f"doc_{m[SITE].pk}": "pledge",
        "form_business_address": "韩集镇",
    }
    if pledge_ok:
        data[f"pledge_ok_{m[SITE].pk}"] = "1"
    data.update(over)
    return data


def _text(page: str) -> str:
    """What the reader sees: the page without its tags, scripts and attributes."""
    page = re.sub(r"<script.*?</script>|<svg.*?</svg>", "", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


# --- 一表申请: asked once, kept ------------------------------------------------------------------


def test_r_case_6_r_case_8_basic_information_is_asked_once_and_fills_the_form(client, desk):
    page = client.get(f"/apply/{desk.listing.pk}/").content.decode()
    assert "基本信息只填一次" in page
    for name in ("name", "id_number", "phone"):
        assert page.count(f'name="{name}"') == 1
    # the guide's 经营者姓名 and 身份证号码 repeat the basic information: not asked again
    assert 'name="form_applicant_name"' not in page and 'name="form_id_number"' not in page
    assert 'name="form_business_address"' in page
    assert "申请表中的经营者姓名、身份证号码按此自动填写" in page

    response = client.post(f"/apply/{desk.listing.pk}/", _post(desk, action="submit"))
    case = Case.objects.get()
    assert response.status_code == 302 and case.state == states.PRE_REVIEW
    assert case.form_data == {
        "applicant_name": "马小明",
        "id_number": ID,
        "business_address": "韩集镇",
    }


def test_r_case_6_the_identity_number_is_kept_when_a_draft_is_saved(client, desk):
    # a mistake elsewhere does not blank what was typed
    page = client.post(f"/apply/{desk.listing.pk}/", _post(desk, phone="139")).content.decode()
    assert "msg error" in page and f'name="id_number" value="{ID}"' in page
    client.post(f"/apply/{desk.listing.pk}/", _post(desk))
    case = Case.objects.get()
    url = f"/apply/t/{case.token}/"
    page = client.get(url).content.decode()
    assert ID not in page and "已填 622921********0016，不改请留空" in page
    # saved again with the identity number left empty: kept, on the form and the record
    client.post(url, _post(desk, id_number="", form_business_address="韩集镇韩集村12号"))
    case.refresh_from_db()
    assert case.form_data["id_number"] == ID and case.applicant.id_number_masked
    assert case.form_data["business_address"] == "韩集镇韩集村12号"
    response = client.post(url, _post(desk, action="submit", id_number=""))
    case.refresh_from_db()
    assert response.status_code == 302 and case.state == states.PRE_REVIEW
    assert case.form_data["id_number"] == ID


# --- 告知承诺 --------------------------------------------------------------------------------------


def test_r_case_5_a_pledge_shows_its_text_and_counts_only_when_accepted(client, desk):
    site = desk.materials[SITE]
    page = client.get(f"/apply/{desk.listing.pk}/").content.decode()
    shown = re.search(rf'data-testid="pledge-text-{site.pk}">([^<]+)<', page).group(1)
    assert f"自愿以告知承诺方式替代提交“{SITE}”" in shown and "个体工商户登记" in shown
    assert (
        "法律责任" in shown and f'name="pledge_ok_{site.pk}"' in page and "我已阅读并承诺" in page
    )

    page = client.post(f"/apply/{desk.listing.pk}/", _post(desk, pledge_ok=False))
    assert page.status_code == 200 and not Case.objects.exists()
    assert "请阅读承诺内容并勾选“我已阅读并承诺”" in page.content.decode()
    with pytest.raises(InvalidInput) as exc:  # the service checks it too
        online.online_draft_create(
            listing=desk.listing,
            applicant=BASIC,
            materials={site.pk: {"by_pledge": True}},
            form_data={"business_address": "韩集镇"},
        )
    assert exc.value.code == "online.pledge_not_accepted" and not Case.objects.exists()

    client.post(f"/apply/{desk.listing.pk}/", _post(desk))
    document = Case.objects.get().documents.get(material=site)
    assert document.by_pledge and "已阅读并签署告知承诺" in document.note
    page = client.get(f"/apply/t/{Case.objects.get().token}/").content.decode()
    assert f'name="pledge_ok_{site.pk}" value="1" checked' in page


# --- 撤回 ----------------------------------------------------------------------------------------


def test_r_case_8_the_citizen_withdraws_a_draft_after_confirming(client, desk):
    client.post(f"/apply/{desk.listing.pk}/", _post(desk))
    case = Case.objects.get()
    page = client.get(f"/apply/t/{case.token}/").content.decode()
    assert f'href="/apply/t/{case.token}/withdraw/"' in page
    confirm = client.get(f"/apply/t/{case.token}/withdraw/").content.decode()
    assert "确认撤回" in confirm and "不能恢复" in confirm
    assert Case.objects.get().state == states.DRAFT  # asking is not withdrawing
    response = client.post(f"/apply/t/{case.token}/withdraw/", {"reason": "不办了"}, follow=True)
    case.refresh_from_db()
    assert case.state == states.WITHDRAWN and "已撤回" in response.content.decode()
    event = case.events.get(action="applicant_withdraw")
    assert event.from_state == states.DRAFT and event.actor_label == "申请人"
    assert AuditEvent.objects.filter(action="case.applicant_withdraw").count() == 1
    assert "/withdraw/" not in client.get(f"/apply/t/{case.token}/").content.decode()


def test_r_case_8_a_returned_application_can_be_withdrawn_an_accepted_one_cannot(client, desk):
    client.post(f"/apply/{desk.listing.pk}/", _post(desk, action="submit"))
    returned = Case.objects.get()
    online.online_prereview_return(actor=desk.clerk, case=returned, reason="经营场所写详细")
    client.post(f"/apply/{desk.listing.pk}/", _post(desk, action="submit"))
    accepted = Case.objects.exclude(pk=returned.pk).get()
    online.online_prereview_pass(actor=desk.clerk, case=accepted)
    services.case_accept(actor=desk.clerk, case=accepted)

    page = client.get(f"/apply/t/{returned.token}/").content.decode()
    assert "预审退回" in page and f"/apply/t/{returned.token}/withdraw/" in page
    client.post(f"/apply/t/{returned.token}/withdraw/")
    returned.refresh_from_db()
    assert returned.state == states.WITHDRAWN

    assert "/withdraw/" not in client.get(f"/apply/t/{accepted.token}/").content.decode()
    page = client.get(f"/apply/t/{accepted.token}/withdraw/").content.decode()
    assert "不能在网上撤回" in page and "确认撤回" not in page
    client.post(f"/apply/t/{accepted.token}/withdraw/")
    accepted.refresh_from_db()
    assert accepted.state == states.ACCEPTED
    with pytest.raises(Conflict):
        online.online_withdraw(case=accepted)
    assert not accepted.events.filter(action="applicant_withdraw").exists()


# --- 一件事: what the bundle produces is not asked ---------------------------------------------


COMPANY_FORM = [
    {"key": "enterprise_name", "label": "企业名称", "type": "text", "required": True},
    {"key": "credit_code", "label": "统一社会信用代码", "type": "text", "output": True},
]
SEAL_FORM = [
    {"key": "enterprise_name", "label": "企业名称", "type": "text", "required": True},
    {"key": "credit_code", "label": "统一社会信用代码", "type": "text", "required": True},
    {"key": "seal_kind", "label": "印章种类", "type": "text", "required": True},
]


def _listed_matter(net, code, name, form_fields, listing_code):
    matter, version = make_matter(
        net, code=code, name=name, guide={**GUIDE, "form_fields": form_fields}
    )
    publish_through_review(net, version)
    matter.refresh_from_db()
    request = catalog_services.listing_request_entry(
        actor=net.county_admin,
        matter=matter,
        center=net.linxia_center,
        department=net.linxia_market,
        code=listing_code,
        reason="进驻",
    )
    catalog_services.change_request_decide(actor=net.gov_office, request=request, approve=True)
    hall_services.authorization_set(
        actor=net.county_admin, clerk=net.clerk, matter=matter, may_accept=True, may_decide=False
    )
    return matter, Listing.objects.get(pk=request.listing_id)


def test_r_case_7_the_merged_form_does_not_ask_what_a_part_of_the_bundle_produces(client, desk):
    company, _ = _listed_matter(desk, "11620000MB0000001A", "公司设立登记", COMPANY_FORM, "LX-11")
    seal, _ = _listed_matter(desk, "11620000MB0000002B", "公章刻制备案", SEAL_FORM, "LX-12")
    bundle = catalog_services.bundle_save(
        actor=desk.county_admin, code="kai-gongsi", name="企业开办", matters=[company, seal]
    )
    plan = bundle_plan(bundle=bundle, center=desk.linxia_center)
    fields = {f["key"]: f for f in plan.fields}
    assert fields["credit_code"]["required"] is False
    assert fields["credit_code"]["produced_by"] == ["公司设立登记"]
    assert fields["seal_kind"]["required"] and "produced_by" not in fields["seal_kind"]

    public = client.get("/bundles/kai-gongsi/").content.decode()
    assert "无需填写，由“公司设立登记”办结后产生" in public
    client.force_login(desk.clerk)
    page = client.get("/workspace/bundles/new/", {"bundle": "kai-gongsi"}).content.decode()
    assert 'name="form_credit_code"' not in page and 'name="form_seal_kind"' in page
    assert "无需填写：由“公司设立登记”办结后产生" in page
    app = bundles.bundle_intake(
        actor=desk.clerk,
        bundle=bundle,
        center=desk.linxia_center,
        applicant=desk.applicant,
        form_data={"enterprise_name": "临夏县马记餐饮有限公司", "seal_kind": "公章"},
    )
    assert "credit_code" not in app.form_data and app.cases.count() == 2


# --- confirmations: a short link, a copy button, a QR code ------------------------------------


def _keep_link(page: str) -> str:
    block = page.split('data-testid="keep-link"')[1].split("</script>")[0]
    assert "<svg" in block and "复制链接" in block and "data-copy=" in block
    return block


def test_r_case_8_confirmations_show_a_short_link_with_copy_and_qr_not_a_raw_url(client, desk):
    response = client.post(f"/apply/{desk.listing.pk}/", _post(desk, action="submit"), follow=True)
    case = Case.objects.get()
    page = response.content.decode()
    block = _keep_link(page)
    assert f'data-copy="http://testserver/apply/t/{case.token}/"' in block
    assert "我的申请链接" in block and "查看进度" in page
    assert "http://" not in _text(page) and case.token not in _text(page)

    response = client.post(
        "/complaints/new/",
        {
            "center": str(desk.linxia_center.pk),
            "kind": "complaint",
            "subject": "排队太久",
            "content": "窗口排队时间太长。",
            "name": "马小红",
            "phone": "13909305678",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已提交" in page, _text(page)[:600]
    block = _keep_link(page)
    assert "查看进度" in block and 'data-copy="http://testserver/complaints/t/' in block
    assert "?new=1" not in block and "http://" not in _text(page)
