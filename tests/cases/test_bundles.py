"""R-CASE-7 "one thing" bundles (一件事一次办): one application for two matters of two
departments; one merged form, one deduplicated material list, parallel processing with
the longest part's due date, accepted together and delivered once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import BundleApplication, Case, Correction
from onewindow.cases.selectors.bundle_plan import bundle_plan
from onewindow.cases.selectors.bundles import bundle_get_for, bundle_overview
from onewindow.cases.services import bundles
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing, MatterKind
from onewindow.core import calendar as work_calendar
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.hall import services as hall_services
from onewindow.org.models import Level
from tests.catalog.conftest import GUIDE

SEAL_MATERIALS = [
    {"name": "刻制印章申请表", "form": "original", "copies": 1},
    {"name": "经营者居民身份证", "form": "original_and_copy", "copies": 2},
    {"name": "营业执照", "form": "copy", "copies": 1},
]
SEAL_GUIDE = {
    **GUIDE,
    "legal_basis": "《印铸刻字业暂行管理规则》第三条",
    "conditions": "已领取营业执照的经营者。",
    "statutory_days": 20,
    "promised_days": 8,
    "result": "印章备案",
    "form_fields": [
        {"key": "applicant_name", "label": "经营者姓名", "type": "text", "required": True},
        {"key": "seal_kind", "label": "印章种类", "type": "text", "required": True},
    ],
}


def build_bundle(net, clerk=None):
    """A second matter of another department (公安: 刻制印章备案, 8 promised days against
    the market matter's 3), listed at 临夏县's center, the clerk authorised for both, and
    the bundle 我要开店 of the two (the seal optional)."""
    seal = catalog_services.matter_create(
        actor=net.police_approver,
        code="11620000MB7654321Y",
        name="刻制印章备案",
        kind=MatterKind.LICENSING,
        level=Level.COUNTY,
        department=net.linxia_police,
        domain="公共安全",
    )
    version = catalog_services.guide_draft_create(
        actor=net.police_approver, matter=seal, **SEAL_GUIDE
    )
    catalog_services.guide_materials_set(
        actor=net.police_approver, version=version, materials=SEAL_MATERIALS
    )
    catalog_services.guide_steps_set(
        actor=net.police_approver,
        version=version,
        steps=[
            {"name": "受理", "description": "窗口核对材料。", "days": 0},
            {"name": "审查", "description": "审查并备案。", "days": 1},
        ],
    )
    change = catalog_services.process_change_submit(
        actor=net.police_approver, version=version, reason="首次编制办事指南"
    )
    change = catalog_services.process_change_legality_review(
        actor=net.legality, change=change, approve=True, opinion="合法"
    )
    catalog_services.process_change_final_review(
        actor=net.final_reviewer, change=change, approve=True, opinion="同意"
    )
    seal.refresh_from_db()
    request = catalog_services.listing_request_entry(
        actor=net.county_admin,
        matter=seal,
        center=net.linxia_center,
        department=net.linxia_police,
        code="LX-0002",
        reason="进驻",
    )
    catalog_services.change_request_decide(actor=net.gov_office, request=request, approve=True)
    net.seal = seal
    net.seal_listing = Listing.objects.get(pk=request.listing_id)
    hall_services.authorization_set(
        actor=net.county_admin,
        clerk=clerk or net.clerk,
        matter=seal,
        may_accept=True,
        may_decide=False,
    )
    net.bundle = catalog_services.bundle_save(
        actor=net.county_admin,
        code="open-shop",
        name="我要开店",
        matters=[net.matter, seal],
        optional=[seal.pk],
    )
    net.seal_materials = {m.name: m for m in seal.current_version.materials.all()}
    return net


@pytest.fixture
def shop(desk):
    return build_bundle(desk)


def every_material(shop) -> dict[int, dict]:
    m, s = shop.materials, shop.seal_materials
    return {
        m["个体工商户登记（备案）申请书"].pk: {},
        m["经营者居民身份证"].pk: {"electronic": True},
        m["经营场所使用证明"].pk: {},
        s["刻制印章申请表"].pk: {},
        s["营业执照"].pk: {},
    }


def take_in(shop, materials=None, matters=None, **kw):
    return bundles.bundle_intake(
        actor=shop.clerk,
        bundle=shop.bundle,
        center=shop.linxia_center,
        applicant=shop.applicant,
        matters=[shop.seal] if matters is None else matters,
        materials=every_material(shop) if materials is None else materials,
        **kw,
    )


def parts(app) -> dict[str, Case]:
    return {c.matter.name: c for c in app.cases.select_related("matter", "deadline")}


def decide_and_ready(actor, case):
    services.case_start_review(actor=actor, case=case)
    services.case_decide(actor=actor, case=case, approve=True, note="符合条件")
    services.case_make_ready(actor=actor, case=case)


# --- intake: the merged form and the deduplicated list ---------------------------------------


def test_r_case_7_one_application_gives_a_sub_case_per_matter_in_its_own_department(shop):
    app = take_in(shop, form_data={"applicant_name": "马小明", "seal_kind": "公章"})
    assert app.number.startswith(f"Y622921{timezone.localdate():%Y%m%d}")
    assert app.number.endswith("0001") and app.state == BundleApplication.State.OPEN
    cases = parts(app)
    assert set(cases) == {"个体工商户登记", "刻制印章备案"}
    assert cases["个体工商户登记"].department == shop.linxia_market
    assert cases["刻制印章备案"].department == shop.linxia_police
    assert {c.state for c in cases.values()} == {states.INTAKE}
    # numbered as usual cases, each on its own pinned version
    assert all(c.number.startswith("622921") for c in cases.values())
    assert cases["刻制印章备案"].guide_version == shop.seal.current_version
    assert AuditEvent.objects.filter(
        action="bundle_application.intake", target_id=str(app.pk)
    ).exists()
    second = take_in(shop)
    assert second.number.endswith("0002")


def test_r_case_7_the_merged_form_asks_a_shared_key_once_and_each_part_keeps_its_own(shop):
    plan = bundle_plan(bundle=shop.bundle, center=shop.linxia_center, matters=[shop.seal])
    keys = [f["key"] for f in plan.fields]
    assert keys.count("applicant_name") == 1
    assert set(keys) == {"applicant_name", "id_number", "business_address", "seal_kind"}
    app = take_in(
        shop,
        form_data={
            "applicant_name": "马小明",
            "business_address": "韩集镇1号",
            "seal_kind": "公章",
        },
    )
    cases = parts(app)
    assert cases["个体工商户登记"].form_data == {
        "applicant_name": "马小明",
        "business_address": "韩集镇1号",
    }
    assert cases["刻制印章备案"].form_data == {"applicant_name": "马小明", "seal_kind": "公章"}
    assert app.form_data["seal_kind"] == "公章"
    with pytest.raises(InvalidInput) as exc:  # no extra condition on the merged form
        take_in(shop, form_data={"house_deed": "x"})
    assert exc.value.code == "case.extra_field"


def test_r_case_7_a_shared_material_is_listed_once_and_recorded_in_both_sub_cases(shop):
    plan = bundle_plan(bundle=shop.bundle, center=shop.linxia_center, matters=[shop.seal])
    names = [m.name for m in plan.materials]
    assert names.count("经营者居民身份证") == 1
    id_card = next(m for m in plan.materials if m.name == "经营者居民身份证")
    assert id_card.copies == 2 and id_card.matters == ["个体工商户登记", "刻制印章备案"]
    assert len(plan.materials) == 6  # 4 + 3 materials, one of them shared between the guides
    app = take_in(shop)
    for name, case in parts(app).items():
        docs = {d.material.name: d for d in case.documents.select_related("material")}
        assert docs["经营者居民身份证"].electronic, name
        # R-CAT-7 per sub-case: only the materials of its own version
        assert {d.material.version_id for d in case.documents.all()} == {case.guide_version_id}
    cases = parts(app)
    assert "营业执照" not in {d.material.name for d in cases["个体工商户登记"].documents.all()}


def test_r_case_7_r_cat_7_extra_material_is_refused_on_a_bundle(shop):
    foreign = shop.seal_materials["营业执照"]
    with pytest.raises(InvalidInput) as exc:  # the seal is not chosen: its materials are out
        take_in(shop, matters=[], materials={foreign.pk: {}})
    assert exc.value.code == "case.extra_material"
    with pytest.raises(InvalidInput) as exc:
        take_in(shop, materials={999999: {}})
    assert exc.value.code == "case.extra_material"
    assert not BundleApplication.objects.exists() and not Case.objects.exists()


def test_r_case_7_optional_matters_are_chosen_and_every_part_must_be_listed_and_authorised(
    shop,
):
    app = take_in(shop, matters=[], materials={})
    assert list(parts(app)) == ["个体工商户登记"]
    hall_services.authorization_set(
        actor=shop.county_admin,
        clerk=shop.clerk,
        matter=shop.seal,
        may_accept=False,
        may_decide=False,
    )
    with pytest.raises(Forbidden) as exc:  # the clerk needs authorization for each matter
        take_in(shop)
    assert exc.value.code == "case.not_authorized" and "刻制印章备案" in exc.value.message
    catalog_services.bundle_save(
        actor=shop.county_admin,
        code="open-shop",
        name="我要开店",
        matters=[shop.matter, shop.seal],
    )
    shop.bundle.refresh_from_db()
    with pytest.raises(InvalidInput) as exc:  # required at a center where it is not listed
        bundle_plan(bundle=shop.bundle, center=shop.kangle_center)
    assert exc.value.code == "bundle.matter_not_listed" and "个体工商户登记" in exc.value.message
    with pytest.raises(Forbidden):  # a clerk of another center
        bundles.bundle_intake(
            actor=shop.township_clerk,
            bundle=shop.bundle,
            center=shop.linxia_center,
            applicant=shop.applicant,
        )
    assert BundleApplication.objects.count() == 1


# --- acceptance together, one notice ---------------------------------------------------------


def test_r_case_7_accepted_together_or_one_notice_listing_everything_missing(shop):
    m, s = shop.materials, shop.seal_materials
    app = take_in(
        shop,
        materials={m["个体工商户登记（备案）申请书"].pk: {}, s["刻制印章申请表"].pk: {}},
    )
    with pytest.raises(Conflict) as exc:
        bundles.bundle_accept(actor=shop.clerk, app=app)
    assert exc.value.code == "bundle.materials_missing"
    message = exc.value.message
    assert message.count("经营者居民身份证") == 1  # missing in both parts, named once
    assert "经营场所使用证明" in message and "营业执照" in message
    assert {c.state for c in parts(app).values()} == {states.INTAKE}
    due = timezone.localdate() + dt.timedelta(days=10)
    corrections = bundles.bundle_ask_correction(
        actor=shop.clerk, app=app, due=due, notes={m["经营场所使用证明"].pk: "租赁合同"}
    )
    assert len(corrections) == 2 and all(c.stage == "intake" for c in corrections)
    overview = bundle_overview(app)
    assert overview.public_status == "待补正"
    assert sorted(x.name for x in overview.missing) == sorted(
        ["经营者居民身份证", "经营场所使用证明", "营业执照"]
    )
    with pytest.raises(Conflict):
        bundles.bundle_accept(actor=shop.clerk, app=app)
    bundles.bundle_correction_reply(
        actor=shop.clerk,
        app=app,
        materials={
            m["经营者居民身份证"].pk: {},
            m["经营场所使用证明"].pk: {"electronic": True},
            s["营业执照"].pk: {},
        },
    )
    assert not Correction.objects.filter(state="open").exists()
    app = bundles.bundle_accept(actor=shop.clerk, app=app)
    assert {c.state for c in parts(app).values()} == {states.ACCEPTED}
    seal_docs = parts(app)["刻制印章备案"].documents.values_list("material__name", flat=True)
    assert "经营者居民身份证" in seal_docs


# --- parallel processing and the due date ----------------------------------------------------


def test_r_case_7_parts_are_processed_in_parallel_and_the_bundle_waits_for_both(shop):
    app = bundles.bundle_accept(actor=shop.clerk, app=take_in(shop))
    cases = parts(app)
    market, seal = cases["个体工商户登记"], cases["刻制印章备案"]
    # each department reviews its own part; neither may decide the other's
    with pytest.raises(NotFound):
        services.case_start_review(actor=shop.approver, case=seal)
    decide_and_ready(shop.approver, market)
    services.case_start_review(actor=shop.police_approver, case=seal)
    overview = bundle_overview(app)
    assert not overview.ready and overview.state == BundleApplication.State.OPEN
    assert bundles.bundle_refresh(app=app).state == BundleApplication.State.OPEN
    with pytest.raises(Conflict) as exc:
        bundles.bundle_deliver(actor=shop.clerk, app=app)
    assert exc.value.code == "bundle.not_ready" and "刻制印章备案" in exc.value.message
    services.case_decide(actor=shop.police_approver, case=seal, approve=True)
    services.case_make_ready(actor=shop.police_approver, case=seal)
    assert bundles.bundle_refresh(app=app).state == BundleApplication.State.READY


def test_r_case_7_the_bundle_is_due_at_its_longest_part_not_the_sum(shop):
    app = bundles.bundle_accept(actor=shop.clerk, app=take_in(shop))
    cases = parts(app)
    market, seal = cases["个体工商户登记"], cases["刻制印章备案"]
    assert market.deadline.days == 3 and seal.deadline.days == 8
    assert seal.deadline.due > market.deadline.due
    app.refresh_from_db()
    assert app.due == seal.deadline.due
    summed = work_calendar.calendar_for(center=shop.linxia_center).due(
        timezone.localdate(), 11, "working", []
    )
    assert app.due < summed.date
    # a part's clock pauses for a correction: the whole is open-ended until it resumes
    services.case_start_review(actor=shop.police_approver, case=seal)
    services.case_ask_correction(
        actor=shop.police_approver,
        case=seal,
        items=[{"material_id": None, "note": "印章样式不清晰"}],
        due=timezone.localdate() + dt.timedelta(days=5),
    )
    app = bundles.bundle_refresh(app=app)
    assert app.due is None and bundle_overview(app).paused
    services.case_correction_reply(actor=shop.clerk, case=seal)
    app = bundles.bundle_refresh(app=app)
    seal.refresh_from_db()
    assert app.due == seal.deadline.due and app.due is not None


# --- one delivery ------------------------------------------------------------------------------


def test_r_case_7_a_part_cannot_be_delivered_alone_and_one_delivery_delivers_both(shop):
    app = bundles.bundle_accept(actor=shop.clerk, app=take_in(shop))
    cases = parts(app)
    decide_and_ready(shop.approver, cases["个体工商户登记"])
    with pytest.raises(Conflict) as exc:
        services.case_deliver(actor=shop.clerk, case=cases["个体工商户登记"])
    assert exc.value.code == "case.bundle_delivers_once"
    assert exc.value.message.startswith("一件事须全部办结后统一出件")
    decide_and_ready(shop.police_approver, cases["刻制印章备案"])
    with pytest.raises(InvalidInput):
        bundles.bundle_deliver(actor=shop.clerk, app=app, method="mail")
    app = bundles.bundle_deliver(
        actor=shop.clerk, app=app, method="mail", tracking_number="EMS9876543210"
    )
    assert app.state == BundleApplication.State.DELIVERED and app.delivered_at is not None
    for case in parts(app).values():
        assert case.state == states.DELIVERED and case.tracking_number == "EMS9876543210"
        assert case.events.filter(action="deliver").count() == 1
    with pytest.raises(Conflict):
        bundles.bundle_deliver(actor=shop.clerk, app=app)
    assert (
        AuditEvent.objects.filter(
            action="bundle_application.deliver", target_id=str(app.pk)
        ).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_r_case_7_parallel_intakes_get_distinct_numbers_and_parallel_deliveries_deliver_once(
    shop,
):
    barrier = threading.Barrier(2)
    outcomes = []

    def run(fn):
        barrier.wait()
        try:
            outcomes.append(fn())
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    def both(fn):
        threads = [threading.Thread(target=run, args=(fn,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)

    both(lambda: take_in(shop).number)
    assert len(set(outcomes)) == 2 and all(n.startswith("Y622921") for n in outcomes)
    app = BundleApplication.objects.order_by("number").first()
    bundles.bundle_accept(actor=shop.clerk, app=app)
    cases = parts(app)
    decide_and_ready(shop.approver, cases["个体工商户登记"])
    decide_and_ready(shop.police_approver, cases["刻制印章备案"])
    outcomes.clear()
    both(lambda: bundles.bundle_deliver(actor=shop.clerk, app=app).state)
    assert sorted(outcomes) == ["bundle.already_delivered", "delivered"]
    for case in parts(app).values():
        assert case.events.filter(action="deliver").count() == 1


# --- scope ---------------------------------------------------------------------------------------


def test_r_case_7_scope_the_center_and_the_departments_of_its_parts_see_it(shop):
    app = take_in(shop)
    for user in (shop.clerk, shop.county_admin, shop.approver, shop.police_approver):
        assert bundle_get_for(scope=scope_for(user), app_id=app.pk) == app
    for user in (shop.township_clerk, shop.kangle_admin):
        with pytest.raises(NotFound):
            bundle_get_for(scope=scope_for(user), app_id=app.pk)
    with pytest.raises(NotFound):
        bundles.bundle_accept(actor=shop.kangle_admin, app=app)


# --- pages -----------------------------------------------------------------------------------------


def _intake_post(shop, **over):
    m, s = shop.materials, shop.seal_materials
    id_card = m["经营者居民身份证"]
    data = {
        "bundle": "open-shop",
        "matter": [str(shop.seal.pk)],
        "kind": "person",
        "name": "马小明",
        "phone": "13909301234",
        "id_number": "622921199001010016",
        f"doc_{m['个体工商户登记（备案）申请书'].pk}": "paper",
        f"doc_{id_card.pk}": "electronic",
        f"doc_{m['经营场所使用证明'].pk}": "pledge",
        f"doc_{s['刻制印章申请表'].pk}": "paper",
        f"doc_{s['营业执照'].pk}": "paper",
        "form_applicant_name": "马小明",
        "form_seal_kind": "公章",
    }
    data.update(over)
    return data


def test_r_case_7_the_window_takes_in_a_bundle_from_its_page(client, shop):
    client.force_login(shop.clerk)
    page = client.get(
        "/workspace/bundles/new/", {"bundle": "open-shop", "matter": shop.seal.pk}
    ).content.decode()
    assert page.count('name="form_applicant_name"') == 1
    merged = page.split('class="materials merged"')[1].split("</table>")[0]
    assert merged.count("<td>经营者居民身份证") == 1 and "刻制印章申请表" in merged
    assert f'name="doc_{shop.seal_materials["经营者居民身份证"].pk}"' not in merged
    response = client.post("/workspace/bundles/new/", _intake_post(shop))
    app = BundleApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workspace/bundles/{app.pk}/"
    cases = parts(app)
    assert cases["个体工商户登记"].documents.get(material__name="经营场所使用证明").by_pledge
    assert cases["刻制印章备案"].form_data == {"applicant_name": "马小明", "seal_kind": "公章"}
    response = client.post(f"/workspace/bundles/{app.pk}/accept/", follow=True)
    assert "已一并受理" in response.content.decode()
    detail = client.get(f"/workspace/bundles/{app.pk}/").content.decode()
    assert "临夏县公安局" in detail and "临夏县市场监督管理局" in detail
    case_page = client.get(f"/workspace/cases/{cases['刻制印章备案'].pk}/").content.decode()
    assert f'属于一件事申请 <a href="/workspace/bundles/{app.pk}/">{app.number}</a>' in case_page


def test_r_case_7_bad_input_on_the_bundle_pages_changes_nothing(client, shop):
    client.force_login(shop.clerk)
    for over in ({"phone": "123"}, {"name": ""}, {"matter": ["999999"]}):
        page = client.post("/workspace/bundles/new/", _intake_post(shop, **over))
        assert page.status_code == 200 and "msg error" in page.content.decode()
    assert client.get("/workspace/bundles/new/", {"bundle": "nope"}).status_code == 404
    assert not BundleApplication.objects.exists() and not Case.objects.exists()
    app = take_in(shop)
    page = client.post(
        f"/workspace/bundles/{app.pk}/deliver/",
        {"method": "mail", "tracking_number": ""},
        follow=True,
    ).content.decode()
    assert "一件事须全部办结后统一出件" in page
    page = client.post(
        f"/workspace/bundles/{app.pk}/correction/", {"due": "not-a-date"}, follow=True
    ).content.decode()
    assert "补正期限格式不正确" in page
    assert BundleApplication.objects.get().state == BundleApplication.State.OPEN


def test_r_case_7_a_clerk_of_another_center_gets_404_for_the_bundle_page(client, shop):
    app = take_in(shop)
    client.force_login(shop.township_clerk)
    assert client.get(f"/workspace/bundles/{app.pk}/").status_code == 404
    assert client.post(f"/workspace/bundles/{app.pk}/accept/").status_code == 404
    client.force_login(shop.kangle_admin)
    assert client.get(f"/workspace/bundles/{app.pk}/").status_code == 404
    client.force_login(shop.police_approver)  # the department of a part sees it
    assert client.get(f"/workspace/bundles/{app.pk}/").status_code == 200


def test_r_case_7_public_progress_by_bundle_number_shows_each_part_and_the_whole(client, shop):
    app = bundles.bundle_accept(actor=shop.clerk, app=take_in(shop))
    decide_and_ready(shop.approver, parts(app)["个体工商户登记"])
    page = client.get("/progress/", {"number": app.number, "tail": "1234"}).content.decode()
    assert "我要开店" in page and "个体工商户登记" in page and "刻制印章备案" in page
    assert "已办结" in page and "已受理" in page  # each part in its public words
    assert f"{app.due:%Y年%-m月%-d日}" in page  # the whole's due date (the longest part)
    wrong = client.get("/progress/", {"number": app.number, "tail": "0000"}).content.decode()
    assert "未找到" in wrong and "刻制印章备案" not in wrong


def test_r_case_7_a_part_moving_brings_the_stored_bundle_along_without_a_page_load(
    shop, django_capture_on_commit_callbacks
):
    app = bundles.bundle_accept(actor=shop.clerk, app=take_in(shop))
    cases = parts(app)
    with django_capture_on_commit_callbacks(execute=True):
        decide_and_ready(shop.approver, cases["个体工商户登记"])
    app.refresh_from_db()
    assert app.state == BundleApplication.State.OPEN
    seal = cases["刻制印章备案"]
    with django_capture_on_commit_callbacks(execute=True):
        decide_and_ready(shop.police_approver, seal)
    app.refresh_from_db()
    assert app.state == BundleApplication.State.READY


def test_r_case_7_the_bundle_page_shows_an_identity_number_in_the_form_masked(client, shop):
    app = take_in(shop, form_data={"applicant_name": "马小明", "id_number": "622921199001010016"})
    client.force_login(shop.clerk)
    page = client.get(f"/workspace/bundles/{app.pk}/").content.decode()
    assert "622921199001010016" not in page and "6229" in page and "马小明" in page
