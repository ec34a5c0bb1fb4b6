"""R-CAT-1..5, R-CAT-8..10: matters, guides, listings, reviews and change requests."""

from __future__ import annotations

import pytest

from onewindow.catalog import selectors, services
from onewindow.catalog.models import (
    ChangeRequest,
    GuideVersion,
    Listing,
    Material,
    Matter,
    MatterKind,
    ProcessChange,
    ReviewState,
)
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.org.models import Level
from tests.catalog.conftest import GUIDE, make_matter, publish_through_review


def _enter(net, center, code, department=None, **local):
    request = services.listing_request_entry(
        actor=net.county_admin,
        matter=net.matter,
        center=center,
        department=department or net.linxia_market,
        code=code,
        reason="按应进必进要求进驻",
        **local,
    )
    return request


# --- R-CAT-1 ---------------------------------------------------------------------------------


def test_r_cat_1_matters_are_power_or_public_service_of_the_eight_kinds(net):
    assert len(MatterKind.values) == 8
    power, _ = make_matter(net, code="P1", name="食品经营许可", kind=MatterKind.LICENSING)
    service, _ = make_matter(
        net, code="S1", name="企业登记信息查询", kind=MatterKind.PUBLIC_SERVICE
    )
    assert power.is_administrative_power and not service.is_administrative_power
    with pytest.raises(InvalidInput):
        services.matter_create(
            actor=net.approver,
            code="X1",
            name="无类型",
            kind="nonsense",
            level=Level.COUNTY,
            department=net.linxia_market,
        )


def test_r_cat_1_a_matter_code_is_unique_per_level_and_the_owner_may_not_sit_below_it(net):
    make_matter(net, code="P1", name="食品经营许可")
    with pytest.raises(InvalidInput) as exc:
        services.matter_create(
            actor=net.approver,
            code="P1",
            name="重复",
            kind="licensing",
            level=Level.COUNTY,
            department=net.linxia_market,
        )
    assert exc.value.code == "matter.code_taken"
    with pytest.raises(InvalidInput) as exc:
        services.matter_create(
            actor=net.approver,
            code="P2",
            name="州级事项",
            kind="licensing",
            level=Level.PREFECTURE,
            department=net.linxia_market,
        )
    assert exc.value.code == "matter.owner_below_level"


def test_r_cat_1_only_the_owner_department_drafts_its_guide(net):
    with pytest.raises(NotFound):
        services.matter_create(
            actor=net.kangle_admin,
            code="K1",
            name="越权",
            kind="licensing",
            level=Level.COUNTY,
            department=net.linxia_market,
        )
    with pytest.raises(Forbidden):
        services.matter_create(
            actor=net.clerk,
            code="K2",
            name="窗口无权",
            kind="licensing",
            level=Level.COUNTY,
            department=net.linxia_market,
        )
    assert not Matter.objects.filter(code__in=["K1", "K2"]).exists()


# --- R-CAT-2 and R-CAT-10 -----------------------------------------------------------------------


def test_r_cat_2_each_center_keeps_its_list_with_code_name_kind_department_and_basis(cat):
    request = _enter(cat, cat.linxia_center, "LX-0001", place="一楼综合窗口", windows="A区1-6号")
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    listing = selectors.public_listings(center=cat.linxia_center).get()
    assert listing.code == "LX-0001" and listing.matter.name == "个体工商户登记"
    assert listing.matter.get_kind_display() == "行政许可"
    assert listing.department == cat.linxia_market
    assert listing.matter.current_version.legal_basis.startswith("《促进个体工商户发展条例》")


def test_r_cat_2_the_implementing_department_belongs_to_the_center_and_the_line(cat):
    with pytest.raises(InvalidInput) as exc:
        _enter(cat, cat.linxia_center, "LX-0002", department=cat.linxia_police)
    assert "department" in exc.value.fields
    with pytest.raises(NotFound):
        services.listing_request_entry(
            actor=cat.county_admin,
            matter=cat.matter,
            center=cat.kangle_center,
            department=cat.kangle_market,
            code="KL-1",
            reason="越权",
        )
    # a township center may list a matter implemented by its county's department
    request = _enter(cat, cat.hanji_center, "HJ-0001")
    assert request.listing.department == cat.linxia_market


def test_r_cat_10_every_listing_shows_the_same_standard_only_local_facts_differ(cat):
    for center, code, place in [
        (cat.linxia_center, "LX-1", "县中心一楼"),
        (cat.hanji_center, "HJ-1", "镇便民服务中心"),
    ]:
        request = _enter(cat, center, code, place=place)
        approver = cat.gov_office
        services.change_request_decide(actor=approver, request=request, approve=True)
    a, b = selectors.listings_of_matter(cat.matter)
    assert a.matter.current_version_id == b.matter.current_version_id
    assert a.place != b.place
    with pytest.raises(InvalidInput) as exc:
        services.listing_request_change(
            actor=cat.county_admin, listing=a, kind="change", reason="缩短时限", promised_days=1
        )
    assert exc.value.code == "listing.unknown_field"


# --- R-CAT-3 -----------------------------------------------------------------------------------


def test_r_cat_3_entry_rate_counts_listings_handled_outside_with_their_reason(cat):
    first = _enter(cat, cat.linxia_center, "LX-1")
    services.change_request_decide(actor=cat.gov_office, request=first, approve=True)
    second_matter, version = make_matter(cat, code="P9", name="特种设备使用登记")
    publish_through_review(cat, version)
    request = services.listing_request_entry(
        actor=cat.county_admin,
        matter=second_matter,
        center=cat.linxia_center,
        department=cat.linxia_market,
        code="LX-2",
        reason="进驻",
    )
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    assert selectors.entry_rate(cat.linxia_center).rate == 1.0
    listing = Listing.objects.get(code="LX-2")
    with pytest.raises(InvalidInput) as exc:
        services.listing_request_change(
            actor=cat.county_admin, listing=listing, kind="withdraw", reason="场地不足"
        )
    assert "outside_reason" in exc.value.fields
    request = services.listing_request_change(
        actor=cat.county_admin,
        listing=listing,
        kind="withdraw",
        reason="大厅无特种设备检验场地",
        outside_reason="space",
        outside_note="在县市场监管局特种设备科办理",
    )
    assert selectors.entry_rate(cat.linxia_center).rate == 1.0  # not before approval
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    rate = selectors.entry_rate(cat.linxia_center)
    assert (rate.total, rate.entered, rate.rate) == (2, 1, 0.5)
    assert [item.code for item in rate.outside] == ["LX-2"]
    assert rate.outside[0].get_outside_reason_display() == "场地限制"


# --- R-CAT-4 -----------------------------------------------------------------------------------


def test_r_cat_4_a_listing_takes_effect_only_after_the_government_office_approves(cat):
    request = _enter(cat, cat.linxia_center, "LX-1")
    assert not selectors.public_listings(center=cat.linxia_center).exists()
    assert request.listing.status == Listing.Status.PENDING
    with pytest.raises(Forbidden):
        services.change_request_decide(actor=cat.county_admin, request=request, approve=True)
    with pytest.raises(Forbidden):  # the prefecture office is not the county's
        services.change_request_decide(actor=cat.town_gov, request=request, approve=True)
    services.change_request_decide(
        actor=cat.gov_office, request=request, approve=True, opinion="同意"
    )
    assert selectors.public_listings(center=cat.linxia_center).count() == 1
    with pytest.raises(Conflict):
        services.change_request_decide(
            actor=cat.gov_office, request=request, approve=False, opinion="x"
        )
    event = AuditEvent.objects.get(action="change_request.decide")
    assert event.actor == cat.gov_office and event.after["approve"] is True


def test_r_cat_4_a_township_listing_goes_to_its_county_office(cat):
    request = _enter(cat, cat.hanji_center, "HJ-1")
    assert request.approver_region == cat.linxia
    request = _enter(cat, cat.village_point, "HJC-1")
    assert request.approver_region == cat.linxia
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    assert Listing.objects.get(code="HJC-1").status == Listing.Status.ACTIVE


def test_r_cat_4_change_cancel_and_rejection(cat):
    request = _enter(cat, cat.linxia_center, "LX-1", place="一楼")
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    listing = Listing.objects.get(code="LX-1")
    change = services.listing_request_change(
        actor=cat.approver, listing=listing, kind="change", reason="窗口调整", place="二楼B区"
    )
    with pytest.raises(Conflict):
        services.listing_request_change(
            actor=cat.approver, listing=listing, kind="cancel", reason="重复"
        )
    with pytest.raises(InvalidInput):
        services.change_request_decide(
            actor=cat.gov_office, request=change, approve=False, opinion=""
        )
    services.change_request_decide(
        actor=cat.gov_office, request=change, approve=False, opinion="与大厅布局不符"
    )
    assert Listing.objects.get(code="LX-1").place == "一楼"
    cancel = services.listing_request_change(
        actor=cat.approver, listing=listing, kind="cancel", reason="上级取消该事项"
    )
    services.change_request_decide(actor=cat.gov_office, request=cancel, approve=True)
    assert Listing.objects.get(code="LX-1").status == Listing.Status.CANCELLED
    assert not selectors.public_listings().exists()


def test_r_cat_4_a_rejected_entry_never_becomes_public(cat):
    request = _enter(cat, cat.linxia_center, "LX-1")
    services.change_request_decide(
        actor=cat.gov_office, request=request, approve=False, opinion="暂不具备条件"
    )
    assert Listing.objects.get(code="LX-1").status == Listing.Status.WITHDRAWN
    assert ChangeRequest.objects.get().state == ChangeRequest.State.REJECTED


# --- R-CAT-5 -----------------------------------------------------------------------------------


def test_r_cat_5_the_guide_states_its_elements(cat):
    version = selectors.guide_version_get_public(matter_id=cat.matter.pk)
    assert version.conditions and version.legal_basis and version.fees == "不收费"
    assert (version.statutory_days, version.promised_days, version.visits) == (15, 3, 1)
    assert version.get_online_depth_display() == "全程网办"
    names = [m.name for m in version.materials.all()]
    assert names[1] == "经营者居民身份证"
    proxy = version.materials.get(requirement="conditional")
    assert proxy.condition == "委托他人代为办理的"
    assert [s.name for s in version.steps.all()] == ["受理", "审查", "决定"]
    assert version.faq[0]["question"] == "可以网上办理吗？"


def test_r_cat_5_conditional_and_shared_materials_must_say_when_and_from_whom(cat):
    draft = services.guide_draft_create(actor=cat.approver, matter=cat.matter)
    with pytest.raises(InvalidInput) as exc:
        services.guide_materials_set(
            actor=cat.approver,
            version=draft,
            materials=[
                {"name": "身份证", "requirement": "conditional"},
                {"name": "营业执照", "source": "shared"},
            ],
        )
    assert set(exc.value.fields) == {"materials[1].condition", "materials[2].shared_from"}
    assert draft.materials.count() == 4  # unchanged


# --- R-CAT-8 -----------------------------------------------------------------------------------


def test_r_cat_8_promised_over_forty_percent_is_refused_without_a_reason(net):
    guide = {**GUIDE, "statutory_days": 20, "promised_days": 10}
    matter, version = make_matter(net, code="P3", name="食品经营许可", guide=guide)
    with pytest.raises(InvalidInput) as exc:
        services.process_change_submit(actor=net.approver, version=version, reason="首次编制")
    assert exc.value.code == "guide.compression"
    assert "40%" in exc.value.message and "8个工作日" in exc.value.message
    assert not ProcessChange.objects.filter(matter=matter).exists()


def test_r_cat_8_an_exception_needs_a_reason_accepted_at_final_review(net):
    guide = {
        **GUIDE,
        "statutory_days": 20,
        "promised_days": 10,
        "compression_exception_reason": "须现场核查经营场所并组织专家评审，无法进一步压缩。",
    }
    matter, version = make_matter(net, code="P3", name="食品经营许可", guide=guide)
    change = services.process_change_submit(actor=net.approver, version=version, reason="首次编制")
    services.process_change_legality_review(
        actor=net.legality, change=change, approve=True, opinion="合法"
    )
    with pytest.raises(InvalidInput) as exc:
        services.process_change_final_review(
            actor=net.final_reviewer, change=change, approve=True, opinion="同意"
        )
    assert exc.value.code == "guide.compression_not_accepted"
    matter.refresh_from_db()
    assert matter.current_version is None
    services.process_change_final_review(
        actor=net.final_reviewer,
        change=change,
        approve=True,
        opinion="同意，列为例外",
        accept_exception=True,
    )
    matter.refresh_from_db()
    assert matter.current_version.compression_exception_accepted
    rows = selectors.compression_report(
        scope=__import__("onewindow.core.scope", fromlist=["x"]).scope_for(net.county_admin)
    )
    row = next(r for r in rows if r.matter == matter)
    assert row.exception and not row.meets and row.ratio == 0.5


def test_r_cat_8_a_process_change_passes_legality_then_final_review_before_it_applies(cat):
    draft = services.guide_draft_create(
        actor=cat.approver, matter=cat.matter, promised_days=1, visits=0
    )
    services.guide_steps_set(
        actor=cat.approver,
        version=draft,
        steps=[
            {"name": "受理", "description": "材料齐全当场受理。"},
            {"name": "决定", "description": "当场作出决定并发照。"},
        ],
    )
    with pytest.raises(Conflict) as exc:
        services.guide_publish(actor=cat.approver, version=draft)
    assert exc.value.code == "guide.needs_process_review"
    change = services.process_change_submit(
        actor=cat.approver, version=draft, reason="合并审查与决定环节"
    )
    assert change.before["steps"] == ["受理", "审查", "决定"] and change.after["steps"] == [
        "受理",
        "决定",
    ]
    assert (change.before["promised_days"], change.after["promised_days"]) == (3, 1)
    with pytest.raises(Forbidden):
        services.process_change_final_review(
            actor=cat.legality, change=change, approve=True, opinion=""
        )
    with pytest.raises(Conflict):
        services.process_change_final_review(
            actor=cat.final_reviewer, change=change, approve=True, opinion=""
        )
    services.process_change_legality_review(
        actor=cat.legality, change=change, approve=True, opinion="合法"
    )
    cat.matter.refresh_from_db()
    assert cat.matter.current_version.promised_days == 3  # not yet applied
    services.process_change_final_review(
        actor=cat.final_reviewer, change=change, approve=True, opinion="同意"
    )
    cat.matter.refresh_from_db()
    assert cat.matter.current_version == draft and cat.matter.current_version.visits == 0
    assert (
        GuideVersion.objects.get(matter=cat.matter, number=1).status
        == GuideVersion.Status.SUPERSEDED
    )
    actions = list(
        AuditEvent.objects.filter(target_type="catalog.processchange", target_id=str(change.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "process_change.submit",
        "process_change.legality_review",
        "process_change.final_review",
    ]


def test_r_cat_8_a_returned_change_goes_back_to_draft(cat):
    draft = services.guide_draft_create(actor=cat.approver, matter=cat.matter, promised_days=2)
    change = services.process_change_submit(actor=cat.approver, version=draft, reason="压缩时限")
    with pytest.raises(InvalidInput):
        services.process_change_legality_review(
            actor=cat.legality, change=change, approve=False, opinion=""
        )
    services.process_change_legality_review(
        actor=cat.legality, change=change, approve=False, opinion="缺少法律依据"
    )
    change.refresh_from_db()
    draft.refresh_from_db()
    assert change.state == ReviewState.RETURNED and draft.status == GuideVersion.Status.DRAFT
    services.guide_draft_update(actor=cat.approver, version=draft, change_note="补充依据")


def test_r_cat_8_reviewers_outside_the_scope_see_nothing(cat):
    draft = services.guide_draft_create(actor=cat.approver, matter=cat.matter, promised_days=2)
    change = services.process_change_submit(actor=cat.approver, version=draft, reason="压缩时限")
    from onewindow.org import services as org_services

    kangle_legality = org_services.staff_create(
        actor=cat.root,
        username="kl_legal",
        full_name="康乐司法",
        password=None,
        roles={"legality_reviewer"},
        staff_no="T0950",
        region=cat.kangle,
    ).user
    with pytest.raises(NotFound):
        services.process_change_legality_review(
            actor=kangle_legality, change=change, approve=True, opinion=""
        )


# --- R-CAT-9 -----------------------------------------------------------------------------------


def test_r_cat_9_a_published_version_never_changes(cat):
    version = cat.matter.current_version
    with pytest.raises(Conflict):
        services.guide_draft_update(actor=cat.approver, version=version, fees="收费100元")
    with pytest.raises(Conflict):
        services.guide_materials_set(
            actor=cat.approver, version=version, materials=[{"name": "身份证"}]
        )
    version.fees = "收费100元"
    with pytest.raises(PermissionError):
        version.save()
    material = version.materials.first()
    material.name = "改名"
    with pytest.raises(PermissionError):
        material.save()
    with pytest.raises(PermissionError):
        Material.objects.filter(version=version).first().delete()
    version.refresh_from_db()
    assert version.fees == "不收费"


def test_r_cat_9_older_versions_stay_readable_by_number_and_wording_changes_publish_directly(cat):
    draft = services.guide_draft_create(
        actor=cat.approver,
        matter=cat.matter,
        faq=[{"question": "需要本人到场吗？", "answer": "全程网办无需到场。"}],
        change_note="补充常见问题",
    )
    services.guide_publish(actor=cat.approver, version=draft)
    assert selectors.guide_version_get_public(matter_id=cat.matter.pk).number == 2
    old = selectors.guide_version_get_public(matter_id=cat.matter.pk, number=1)
    assert (
        old.status == GuideVersion.Status.SUPERSEDED
        and old.faq[0]["question"] == "可以网上办理吗？"
    )
    with pytest.raises(NotFound):
        selectors.guide_version_get_public(matter_id=cat.matter.pk, number=7)


def test_r_cat_9_a_second_draft_is_refused_while_one_is_open(cat):
    services.guide_draft_create(actor=cat.approver, matter=cat.matter)
    with pytest.raises(Conflict):
        services.guide_draft_create(actor=cat.approver, matter=cat.matter)


# --- R-CAT-6 -----------------------------------------------------------------------------------


def test_r_cat_6_publishing_is_refused_while_the_lint_finds_a_catch_all_clause(cat):
    draft = services.guide_draft_create(actor=cat.approver, matter=cat.matter)
    services.guide_materials_set(
        actor=cat.approver,
        version=draft,
        materials=[
            {"name": "经营者居民身份证"},
            {"name": "有关部门要求的其他材料"},
        ],
    )
    with pytest.raises(InvalidInput) as exc:
        services.process_change_submit(actor=cat.approver, version=draft, reason="精简材料")
    assert exc.value.code == "guide.lint"
    assert (
        "有关部门要求的其他材料" in exc.value.message and "申请材料第2项名称" in exc.value.message
    )
    assert "materials[2].name" in exc.value.fields
    assert not ProcessChange.objects.filter(proposed=draft).exists()
    services.guide_materials_set(
        actor=cat.approver,
        version=draft,
        materials=[
            {"name": "经营者居民身份证"},
            {"name": "经营场所使用证明"},
        ],
    )
    change = services.process_change_submit(actor=cat.approver, version=draft, reason="精简材料")
    assert change.state == ReviewState.LEGALITY_REVIEW


def test_r_cat_6_wording_edits_are_linted_too(cat):
    draft = services.guide_draft_create(
        actor=cat.approver, matter=cat.matter, conditions="申请材料齐全，并视情况提供相关证明。"
    )
    with pytest.raises(InvalidInput) as exc:
        services.guide_publish(actor=cat.approver, version=draft)
    assert exc.value.code == "guide.lint" and "受理条件" in exc.value.message
    draft.refresh_from_db()
    assert draft.status == GuideVersion.Status.DRAFT
