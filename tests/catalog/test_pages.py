"""The catalog's pages: the public guide and bundle pages, and the staff pages for
drafting, reviewing, change requests and the reports — through the services, within
scope, with Chinese messages on bad input."""

from __future__ import annotations

import re

import pytest

from onewindow.catalog import services
from onewindow.catalog.models import (
    ChangeRequest,
    GuideVersion,
    Listing,
    Matter,
    ProcessChange,
    ReviewState,
)
from onewindow.core.models import AuditEvent
from tests.catalog.conftest import GUIDE, MATERIALS, make_matter, publish_through_review

SHARED = {
    "name": "居民户口簿",
    "form": "electronic",
    "copies": 1,
    "source": "shared",
    "shared_from": "临夏县公安局",
}


# --- helpers ----------------------------------------------------------------------------------------


def _enter(net, center, code, matter=None, **local):
    request = services.listing_request_entry(
        actor=net.county_admin,
        matter=matter or net.matter,
        center=center,
        department=net.linxia_market,
        code=code,
        reason="按应进必进要求进驻",
        **local,
    )
    services.change_request_decide(actor=net.gov_office, request=request, approve=True)
    return Listing.objects.get(pk=request.listing_id)


def _rows(prefix: str, rows: list[dict], fields: tuple[str, ...]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "200",
    }
    for i, row in enumerate(rows):
        for f in fields:
            value = row.get(f)
            if isinstance(value, bool):
                if value:
                    data[f"{prefix}-{i}-{f}"] = "on"
            elif value is not None:
                data[f"{prefix}-{i}-{f}"] = str(value)
    return data


MATERIAL_DEFAULTS = {
    "material_type": "",
    "form": "original",
    "copies": 1,
    "requirement": "required",
    "condition": "",
    "source": "applicant",
    "shared_from": "",
    "pledge_allowed": False,
    "paper_needed": True,
    "note": "",
}


def editor_data(
    version: GuideVersion, *, action="save", reason="", materials=None, **fields
) -> dict:
    """The editor's POST for a version as it stands, with changes."""
    data = {
        f: getattr(version, f)
        for f in (
            "legal_basis",
            "conditions",
            "statutory_days",
            "promised_days",
            "limit_unit",
            "visits",
            "online_depth",
            "fees",
            "result",
            "compression_exception_reason",
            "change_note",
        )
    }
    data["is_free"] = version.is_free
    data.update(fields)
    post = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    if materials is None:
        materials = [
            {
                **MATERIAL_DEFAULTS,
                "name": m.name,
                "form": m.form,
                "copies": m.copies,
                "requirement": m.requirement,
                "condition": m.condition,
                "source": m.source,
                "shared_from": m.shared_from,
                "pledge_allowed": m.pledge_allowed,
                "paper_needed": m.paper_needed,
                "note": m.note,
            }
            for m in version.materials.all()
        ]
    else:
        materials = [{**MATERIAL_DEFAULTS, **m} for m in materials]
    post.update(_rows("materials", materials, tuple(MATERIAL_DEFAULTS) + ("name",)))
    post.update(
        _rows(
            "steps",
            [
                {"name": s.name, "description": s.description, "days": s.days}
                for s in version.steps.all()
            ],
            ("name", "description", "days"),
        )
    )
    post.update(_rows("faq", version.faq, ("question", "answer")))
    post.update(_rows("form_fields", version.form_fields, ("key", "label", "type", "required")))
    post["action"] = action
    post["reason"] = reason
    return post


def _new_draft(client, net):
    client.force_login(net.approver)
    response = client.post(f"/workspace/catalog/matters/{net.matter.pk}/draft/")
    assert response.status_code == 302
    return net.matter.versions.get(status=GuideVersion.Status.DRAFT)


def text(response) -> str:
    return response.content.decode()


# --- public guide page (R-CAT-5, R-CAT-9, R-CAT-10) ------------------------------------------------------


def test_r_cat_5_guide_page_shows_every_element_without_login(client, net):
    matter, version = make_matter(
        net, code="G1", name="食品经营许可", materials=[*MATERIALS, SHARED]
    )
    publish_through_review(net, version)
    response = client.get(f"/matters/{matter.pk}/")
    assert response.status_code == 200
    page = text(response)
    for expected in [
        "食品经营许可",
        "受理条件",
        "有经营能力的公民",
        "申请材料",
        "个体工商户登记（备案）申请书",
        "原件及复印件",
        "1 份",
        "情形必要：委托他人代为办理的",
        "可承诺替代",
        "无需提交，由部门共享获取",
        "临夏县公安局",
        "办理流程",
        "受理",
        "审查",
        "决定",
        "法定时限",
        "15 个工作日",
        "承诺时限",
        "3 个工作日",
        "比法定时限压缩 80%",
        "最多 1 次",
        "全程网办",
        "不收费",
        "营业执照",
        "设定依据",
        "《促进个体工商户发展条例》第八条",
        "常见问题",
        "可以网上办理吗？",
        "打印",
        "办事指南第1版",
    ]:
        assert expected in page, expected
    # four materials to hand in, the shared one is not among them
    assert re.search(r"<strong>4</strong><small>份需提交", page)


def test_the_print_stylesheet_lays_the_guide_on_a4_without_navigation(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("onewindow/app.css"), encoding="utf-8").read()
    catalog = css[css.index("/* === catalog") :]
    assert "@media print" in catalog and "size: A4" in catalog
    assert "body.catalog-guide .site-header" in catalog and "break-inside: avoid" in catalog


def test_r_cat_10_guide_page_shows_local_facts_per_center(client, cat):
    _enter(
        cat,
        cat.linxia_center,
        "LX-0001",
        place="一楼综合窗口区",
        hours="工作日 9:00-17:00",
        phone="0930-5551234",
        windows="A区1-6号综合窗口",
    )
    _enter(
        cat,
        cat.hanji_center,
        "HJ-0001",
        place="韩集镇便民服务中心大厅",
        hours="周一至周六 8:30-18:00",
        phone="0930-5559876",
        windows="2号窗口",
    )
    page = text(client.get(f"/matters/{cat.matter.pk}/"))
    for expected in [
        "临夏县政务服务中心",
        "一楼综合窗口区",
        "工作日 9:00-17:00",
        "0930-5551234",
        "A区1-6号综合窗口",
        "韩集镇便民服务中心",
        "韩集镇便民服务中心大厅",
        "周一至周六 8:30-18:00",
        "0930-5559876",
        "2号窗口",
    ]:
        assert expected in page, expected
    assert "chosen" not in page.split('class="listings"')[1].split("</section>")[0]

    chosen = text(client.get(f"/matters/{cat.matter.pk}/?center={cat.hanji_center.pk}"))
    listings = chosen.split('class="listings"')[1]
    assert listings.index("韩集镇便民服务中心大厅") < listings.index(
        "一楼综合窗口区"
    )  # chosen first
    assert f'class="listing card chosen" id="center-{cat.hanji_center.pk}"' in chosen
    assert "您选择的中心" in chosen
    # nonsense center ids are ignored
    assert client.get(f"/matters/{cat.matter.pk}/?center=abc").status_code == 200
    assert client.get(f"/matters/{cat.matter.pk}/?center=99999").status_code == 200


def test_r_cat_9_an_older_published_version_is_shown_with_a_clear_notice(client, cat):
    draft = services.guide_draft_create(
        actor=cat.approver, matter=cat.matter, fees="不收费（依据《行政事业性收费目录》）"
    )
    services.guide_publish(actor=cat.approver, version=draft)
    current = text(client.get(f"/matters/{cat.matter.pk}/"))
    assert "办事指南第2版" in current and "已被替代" not in current and "?version=1" in current
    old = client.get(f"/matters/{cat.matter.pk}/?version=1")
    assert old.status_code == 200
    assert "第1版（已被替代）" in text(old) and "查看现行办事指南" in text(old)
    for bad in ("99", "abc", "-1", "1e9", "99999999999"):
        response = client.get(f"/matters/{cat.matter.pk}/?version={bad}")
        assert response.status_code == 404 and "未找到" in text(response), bad


def test_guide_page_answers_404_for_unknown_unpublished_or_cancelled_matters(client, net):
    matter, _ = make_matter(net, code="D1", name="尚未发布")
    assert client.get(f"/matters/{matter.pk}/").status_code == 404
    assert client.get("/matters/999999/").status_code == 404


# --- bundle pages (R-CASE-7) ---------------------------------------------------------------------------


@pytest.fixture
def bundle(cat):
    food, version = make_matter(
        cat,
        code="F1",
        name="食品经营许可",
        materials=[
            {"name": "经营者居民身份证", "form": "original_and_copy", "copies": 2},
            {"name": "食品安全管理制度", "form": "original", "copies": 1},
            SHARED,
        ],
        guide={
            **GUIDE,
            "form_fields": [
                {"key": "applicant_name", "label": "经营者姓名", "type": "text", "required": True},
                {"key": "food_kind", "label": "经营项目", "type": "text", "required": True},
            ],
        },
    )
    publish_through_review(cat, version)
    food.refresh_from_db()
    return services.bundle_save(
        actor=cat.county_admin,
        code="open-restaurant",
        name="我要开饭店",
        matters=[cat.matter, food],
        description="个体户登记和食品经营许可一次办",
    )


def test_r_case_7_bundle_page_lists_merged_materials_once_with_their_matters(client, bundle):
    response = client.get("/bundles/open-restaurant/")
    assert response.status_code == 200
    page = text(response)
    merged = page.split('class="materials merged"')[1].split("</table>")[0]
    assert merged.count("经营者居民身份证") == 1
    assert "个体工商户登记、食品经营许可" in merged  # which matters need it
    assert "2 份" in merged  # the most copies
    assert "居民户口簿" not in merged  # shared: not asked for
    assert (
        "分别办理需提交 <strong>6</strong> 份材料；一次办理只需提交 <strong>5</strong> 份" in page
    )
    assert "经营项目" in page and page.count("经营者姓名") == 1  # one merged form
    assert "3</strong><small>个工作日" in page


def test_bundle_index_lists_bundles_and_unknown_codes_answer_404(client, bundle):
    page = text(client.get("/bundles/"))
    assert "我要开饭店" in page and "/bundles/open-restaurant/" in page
    assert client.get("/bundles/no-such-thing/").status_code == 404


# --- staff pages: rendering and scope ------------------------------------------------------------------


STAFF_PAGES = [
    "/workspace/catalog/",
    "/workspace/catalog/reviews/",
    "/workspace/catalog/listings/",
    "/workspace/catalog/requests/",
    "/workspace/catalog/entry-rate/",
    "/workspace/catalog/compression/",
]


@pytest.mark.parametrize(
    "user",
    [
        "approver",
        "county_admin",
        "gov_office",
        "legality",
        "final_reviewer",
        "county_supervisor",
        "clerk",
        "kangle_admin",
        "pref_market_leader",
        "root",
    ],
)
def test_staff_pages_render_for_every_role(client, cat, user):
    _enter(cat, cat.linxia_center, "LX-0001")
    client.force_login(getattr(cat, user))
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 200, (user, url)
    assert client.get("/workspace/catalog/listings/enter/").status_code == (
        404
        if user in ("legality", "final_reviewer", "county_supervisor", "clerk", "gov_office")
        else 200
    )


def test_staff_pages_need_a_login(client, cat):
    for url in STAFF_PAGES + [f"/workspace/catalog/matters/{cat.matter.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_workspace_has_a_catalog_tile(client, cat):
    client.force_login(cat.approver)
    assert 'href="/workspace/catalog/"' in text(client.get("/workspace/"))


def test_r_net_3_the_home_lists_my_departments_matters_only(client, cat):
    services.matter_create(
        actor=cat.kangle_admin,
        code="K1",
        name="康乐县事项",
        kind="licensing",
        level="county",
        department=cat.kangle_market,
    )
    client.force_login(cat.approver)
    page = text(client.get("/workspace/catalog/"))
    assert "个体工商户登记" in page and "康乐县事项" not in page
    client.force_login(cat.kangle_admin)
    page = text(client.get("/workspace/catalog/"))
    assert "康乐县事项" in page and "个体工商户登记" not in page


def test_r_net_3_another_county_gets_404_on_every_catalog_record(client, cat):
    listing = _enter(cat, cat.linxia_center, "LX-0001")
    change_request = services.listing_request_change(
        actor=cat.county_admin, listing=listing, kind="change", reason="调整窗口", windows="B区"
    )
    change = ProcessChange.objects.get(matter=cat.matter)
    version = cat.matter.current_version
    draft = services.guide_draft_create(actor=cat.approver, matter=cat.matter)
    urls = [
        f"/workspace/catalog/matters/{cat.matter.pk}/",
        f"/workspace/catalog/matters/{cat.matter.pk}/draft/",
        f"/workspace/catalog/versions/{version.pk}/",
        f"/workspace/catalog/versions/{draft.pk}/edit/",
        f"/workspace/catalog/reviews/{change.pk}/",
        f"/workspace/catalog/requests/{change_request.pk}/",
        f"/workspace/catalog/listings/{listing.pk}/request/",
    ]
    client.force_login(cat.kangle_admin)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"decision": "approve", "opinion": "x", "action": "save"}).status_code
            == 404
        ), url
    client.force_login(cat.county_admin)
    for url in urls:
        assert client.get(url).status_code in (200, 302), url
    assert ChangeRequest.objects.get(pk=change_request.pk).state == ChangeRequest.State.SUBMITTED


def test_staff_matter_page_shows_versions_and_the_editor_for_the_owner(client, cat):
    client.force_login(cat.approver)
    page = text(client.get(f"/workspace/catalog/matters/{cat.matter.pk}/"))
    assert "版本记录" in page and "第1版" in page and "现行" in page and "编制新版本" in page
    client.force_login(cat.county_supervisor)
    page = text(client.get(f"/workspace/catalog/matters/{cat.matter.pk}/"))
    assert "版本记录" in page and "编制新版本" not in page


# --- the draft editor (R-CAT-6, R-CAT-8) --------------------------------------------------------------


def test_r_cat_6_publishing_a_draft_with_a_catch_all_clause_names_the_clause_on_the_page(
    client, cat
):
    draft = _new_draft(client, cat)
    materials = [
        {"name": m["name"], **{k: v for k, v in m.items() if k != "name"}} for m in MATERIALS
    ]
    materials.append({"name": "有关部门要求的其他材料"})
    url = f"/workspace/catalog/versions/{draft.pk}/edit/"
    for action in ("publish", "submit"):
        response = client.post(
            url, editor_data(draft, action=action, reason="增加材料", materials=materials)
        )
        assert response.status_code == 200
        page = text(response)
        assert "未能" in page and "兜底条款" in page
        assert '<mark class="clause">有关部门要求的其他材料</mark>' in page
        assert "申请材料第5项名称" in page  # the field, by its label
    cat.matter.refresh_from_db()
    assert cat.matter.current_version.number == 1
    assert not ProcessChange.objects.filter(proposed=draft).exists()
    draft.refresh_from_db()
    assert draft.status == GuideVersion.Status.DRAFT

    # the clause in a text field is marked at that field too
    response = client.post(
        url, editor_data(draft, action="lint", conditions="申请材料齐全，并提交相关材料。")
    )
    page = text(response)
    assert "受理条件" in page and '<mark class="clause">' in page and "相关材料" in page


def test_r_cat_6_the_lint_button_reports_a_clean_draft(client, cat):
    draft = _new_draft(client, cat)
    response = client.post(
        f"/workspace/catalog/versions/{draft.pk}/edit/",
        editor_data(draft, action="lint"),
        follow=True,
    )
    assert "未发现模糊或兜底表述" in text(response)


def test_r_cat_8_a_wording_change_is_published_directly_from_the_editor(client, cat):
    draft = _new_draft(client, cat)
    response = client.post(
        f"/workspace/catalog/versions/{draft.pk}/edit/",
        editor_data(draft, action="publish", fees="不收费。", change_note="收费表述规范化"),
    )
    assert response.status_code == 302
    cat.matter.refresh_from_db()
    assert cat.matter.current_version.number == 2 and cat.matter.current_version.fees == "不收费。"
    assert "已发布第2版" in text(client.get(response["Location"]))


def test_r_cat_8_a_process_change_cannot_be_published_directly(client, cat):
    draft = _new_draft(client, cat)
    response = client.post(
        f"/workspace/catalog/versions/{draft.pk}/edit/",
        editor_data(draft, action="publish", promised_days=2),
    )
    assert response.status_code == 200 and "须提交流程再造审核" in text(response)
    cat.matter.refresh_from_db()
    assert cat.matter.current_version.number == 1


def test_bad_editor_input_shows_chinese_messages_and_changes_nothing(client, cat):
    draft = _new_draft(client, cat)
    url = f"/workspace/catalog/versions/{draft.pk}/edit/"
    events = AuditEvent.objects.count()
    cases = [
        editor_data(draft, promised_days=20),  # over statutory
        editor_data(draft, statutory_days="十五"),  # not a number
        editor_data(draft, materials=[{"name": "申请书", "copies": 0}]),  # no copies
        editor_data(
            draft, materials=[{"name": "授权委托书", "requirement": "conditional"}]
        ),  # no condition
        editor_data(draft, materials=[{"name": "户口簿", "source": "shared"}]),  # no source
        editor_data(draft, materials=[{"name": "申请书"}, {"name": "申请书"}]),  # duplicate
        editor_data(draft, materials=[{"name": ""}]),  # blank row kept
        editor_data(draft, legal_basis=""),
        editor_data(draft, action="submit", reason=""),  # no reason
    ]
    messages = [
        "承诺时限不能超过法定时限",
        "输入整数",
        "1",
        "情形必要的材料须写明适用情形",
        "部门共享获取的材料须写明共享来源部门",
        "重复",
        "请填写材料名称",
        "这个字段是必填项",
        "请填写流程优化说明",
    ]
    for data, message in zip(cases, messages, strict=True):
        response = client.post(url, data)
        assert response.status_code == 200, message
        page = text(response)
        assert ("msg error" in page or "errorlist" in page) and message in page, message
    draft.refresh_from_db()
    assert draft.promised_days == 3 and draft.materials.count() == 4 and draft.status == "draft"
    assert not ProcessChange.objects.filter(proposed=draft).exists()
    assert AuditEvent.objects.count() == events


def test_the_editor_is_not_open_to_those_who_may_not_edit(client, cat):
    draft = services.guide_draft_create(actor=cat.approver, matter=cat.matter)
    client.force_login(cat.county_supervisor)
    assert client.get(f"/workspace/catalog/versions/{draft.pk}/edit/").status_code == 404
    client.force_login(cat.police_approver)
    assert client.get(f"/workspace/catalog/versions/{draft.pk}/edit/").status_code == 404


# --- reviews (R-CAT-8) -------------------------------------------------------------------------------


def test_r_cat_8_a_process_change_passes_both_review_queues_and_the_guide_shows_it(client, cat):
    draft = _new_draft(client, cat)
    response = client.post(
        f"/workspace/catalog/versions/{draft.pk}/edit/",
        editor_data(
            draft,
            action="submit",
            reason="经营场所证明改为告知承诺，审查与决定合并",
            materials=[
                {"name": m["name"], **{k: v for k, v in m.items() if k != "name"}}
                for m in MATERIALS[:2]
            ],
            promised_days=1,
            visits=0,
        ),
    )
    assert response.status_code == 302
    change = ProcessChange.objects.get(proposed=draft)
    assert change.state == ReviewState.LEGALITY_REVIEW

    client.force_login(cat.final_reviewer)
    assert (
        "个体工商户登记"
        not in text(client.get("/workspace/catalog/reviews/")).split("范围内的流程再造申请")[0]
    )
    response = client.post(
        f"/workspace/catalog/reviews/{change.pk}/", {"decision": "approve", "opinion": "x"}
    )
    assert "不在您可办理的审核环节" in text(response)
    change.refresh_from_db()
    assert change.state == ReviewState.LEGALITY_REVIEW

    client.force_login(cat.legality)
    queue = text(client.get("/workspace/catalog/reviews/"))
    assert "待我审核：合法性审核" in queue and f"/workspace/catalog/reviews/{change.pk}/" in queue
    page = text(client.get(f"/workspace/catalog/reviews/{change.pk}/"))
    assert "优化前后对比" in page and "减少 2 项" in page
    assert (
        client.post(
            f"/workspace/catalog/reviews/{change.pk}/",
            {"decision": "approve", "opinion": "符合法律规定"},
        ).status_code
        == 302
    )

    client.force_login(cat.final_reviewer)
    page = text(client.get(f"/workspace/catalog/reviews/{change.pk}/"))
    assert "终审（审改部门）" in page and "认可压缩例外" not in page  # compressed far enough
    assert (
        client.post(
            f"/workspace/catalog/reviews/{change.pk}/", {"decision": "approve", "opinion": "同意"}
        ).status_code
        == 302
    )
    cat.matter.refresh_from_db()
    assert cat.matter.current_version == draft

    guide = text(client.get(f"/matters/{cat.matter.pk}/"))
    assert "办事指南第2版" in guide and "经营场所使用证明" not in guide.split("流程再造成效")[0]
    assert "流程再造成效" in guide and "无需到现场" in guide

    client.force_login(cat.approver)
    page = text(client.get(f"/workspace/catalog/matters/{cat.matter.pk}/"))
    assert (
        "流程再造记录" in page
        and "已实施" in page
        and "取消：经营场所使用证明、委托代理人身份证明及授权委托书" in page
    )


def test_r_cat_8_final_review_shows_the_exception_checkbox_and_needs_it(client, net):
    matter, version = make_matter(
        net,
        code="E1",
        name="建筑工程施工许可",
        guide={
            **GUIDE,
            "promised_days": 10,
            "compression_exception_reason": "须现场踏勘并组织专家评审",
        },
    )
    change = services.process_change_submit(actor=net.approver, version=version, reason="首次编制")
    services.process_change_legality_review(
        actor=net.legality, change=change, approve=True, opinion="合法"
    )
    client.force_login(net.final_reviewer)
    url = f"/workspace/catalog/reviews/{change.pk}/"
    page = text(client.get(url))
    assert (
        "认可压缩例外" in page
        and "须现场踏勘并组织专家评审" in page
        and "未达压缩 60% 的要求" in page
    )
    response = client.post(url, {"decision": "approve", "opinion": "同意"})
    assert response.status_code == 200 and "批准须同时认可其无法压缩的理由" in text(response)
    change.refresh_from_db()
    assert change.state == ReviewState.FINAL_REVIEW
    assert (
        client.post(
            url, {"decision": "approve", "opinion": "同意", "accept_exception": "on"}
        ).status_code
        == 302
    )
    change.refresh_from_db()
    assert change.state == ReviewState.APPLIED and change.exception_accepted


def test_a_review_returned_without_opinion_shows_a_message(client, cat):
    draft = services.guide_draft_create(actor=cat.approver, matter=cat.matter, promised_days=2)
    change = services.process_change_submit(actor=cat.approver, version=draft, reason="压缩时限")
    client.force_login(cat.legality)
    for data, message in [
        ({"decision": "return", "opinion": ""}, "请填写审核意见"),
        ({"opinion": "x"}, "请选择审核结论"),
        ({"decision": "maybe"}, "选择一个有效的选项"),
    ]:
        response = client.post(f"/workspace/catalog/reviews/{change.pk}/", data)
        assert response.status_code == 200 and message in text(response), message
    change.refresh_from_db()
    assert change.state == ReviewState.LEGALITY_REVIEW


# --- change requests (R-CAT-4) -----------------------------------------------------------------------


def test_r_cat_4_government_office_approves_from_its_queue(client, cat):
    client.force_login(cat.county_admin)
    response = client.post(
        "/workspace/catalog/listings/enter/",
        {
            "matter": cat.matter.pk,
            "center": cat.hanji_center.pk,
            "department": cat.linxia_market.pk,
            "code": "HJ-0001",
            "place": "韩集镇便民服务中心一楼",
            "hours": "工作日 9:00-17:00",
            "reason": "便民服务下沉到乡镇",
        },
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get(listing__code="HJ-0001")
    assert request.approver_region == cat.linxia  # the county's office
    assert request.listing.status == Listing.Status.PENDING
    assert "韩集镇便民服务中心一楼" not in text(client.get(f"/matters/{cat.matter.pk}/"))

    client.force_login(cat.town_gov)  # the prefecture's office
    page = text(client.get("/workspace/catalog/requests/"))
    assert f"/workspace/catalog/requests/{request.pk}/" not in page.split("范围内的申请")[0]

    client.force_login(cat.gov_office)
    queue = text(client.get("/workspace/catalog/requests/")).split("范围内的申请")[0]
    assert "待我审批" in queue and f"/workspace/catalog/requests/{request.pk}/" in queue
    page = text(client.get(f"/workspace/catalog/requests/{request.pk}/"))
    assert "事项进驻" in page and "临夏县人民政府办公室" in page and "提交审批意见" in page
    response = client.post(
        f"/workspace/catalog/requests/{request.pk}/", {"decision": "approve", "opinion": "同意"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (
        request.state == ChangeRequest.State.APPROVED
        and request.listing.status == Listing.Status.ACTIVE
    )
    assert "韩集镇便民服务中心一楼" in text(client.get(f"/matters/{cat.matter.pk}/"))


def test_r_cat_4_a_change_of_local_facts_applies_only_when_approved(client, cat):
    listing = _enter(cat, cat.linxia_center, "LX-0001", place="一楼")
    client.force_login(cat.approver)
    response = client.post(
        f"/workspace/catalog/listings/{listing.pk}/request/",
        {
            "kind": "change",
            "reason": "窗口调整",
            "place": "二楼东区",
            "hours": "",
            "phone": "",
            "complaint_phone": "",
            "windows": "",
        },
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.place == "一楼"
    request = ChangeRequest.objects.get(listing=listing, kind="change")
    client.force_login(cat.gov_office)
    page = text(client.get(f"/workspace/catalog/requests/{request.pk}/"))
    assert "一楼" in page and "二楼东区" in page
    client.post(
        f"/workspace/catalog/requests/{request.pk}/", {"decision": "approve", "opinion": ""}
    )
    listing.refresh_from_db()
    assert listing.place == "二楼东区"


def test_r_cat_4_bad_request_input_shows_chinese_messages_and_changes_nothing(client, cat):
    listing = _enter(cat, cat.linxia_center, "LX-0001", place="一楼")
    client.force_login(cat.county_admin)
    url = f"/workspace/catalog/listings/{listing.pk}/request/"
    base = {"place": "一楼", "hours": "", "phone": "", "complaint_phone": "", "windows": ""}
    for data, message in [
        ({**base, "kind": "withdraw", "reason": "场地不足"}, "退出中心须注明原因"),
        ({**base, "kind": "change", "reason": "无变化"}, "本地信息没有变化"),
        ({**base, "kind": "cancel", "reason": ""}, "请填写申请理由"),
        ({**base, "kind": "nonsense", "reason": "x"}, "选择一个有效的选项"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200 and message in text(response), message
    assert not ChangeRequest.objects.filter(
        listing=listing, kind__in=["withdraw", "change", "cancel"]
    ).exists()

    response = client.post(
        "/workspace/catalog/listings/enter/",
        {
            "matter": cat.matter.pk,
            "center": cat.kangle_center.pk,
            "department": cat.linxia_market.pk,
            "code": "X-1",
            "reason": "越权",
        },
    )
    assert response.status_code == 200 and "请从列表中选择服务中心" in text(response)
    response = client.post(
        "/workspace/catalog/listings/enter/",
        {
            "matter": cat.matter.pk,
            "center": cat.linxia_center.pk,
            "department": cat.linxia_market.pk,
            "code": "X 1",
            "reason": "",
            "handled_outside": "on",
        },
    )
    page = text(response)
    assert "实施编码只能包含字母" in page and "请填写申请理由" in page and "须注明原因" in page

    request = services.listing_request_change(
        actor=cat.county_admin, listing=listing, kind="cancel", reason="重复设置"
    )
    client.force_login(cat.gov_office)
    response = client.post(
        f"/workspace/catalog/requests/{request.pk}/", {"decision": "reject", "opinion": ""}
    )
    assert response.status_code == 200 and "不予批准时须填写审批意见" in text(response)
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.SUBMITTED
    client.force_login(cat.county_admin)  # not a government office
    client.post(f"/workspace/catalog/requests/{request.pk}/", {"decision": "approve"})
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.SUBMITTED


# --- reports (R-CAT-3, R-CAT-8) ----------------------------------------------------------------------


def test_r_cat_3_entry_rate_page_lists_listings_outside_with_reasons(client, cat):
    _enter(cat, cat.linxia_center, "LX-0001")
    other, version = make_matter(cat, code="S2", name="涉密档案查询")
    publish_through_review(cat, version)
    outside = _enter(cat, cat.linxia_center, "LX-0002", matter=other)
    request = services.listing_request_change(
        actor=cat.county_admin,
        listing=outside,
        kind="withdraw",
        reason="涉及国家秘密",
        outside_reason="secret",
        outside_note="在县档案馆保密室办理",
    )
    services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    client.force_login(cat.county_admin)
    page = text(client.get("/workspace/catalog/entry-rate/"))
    assert "临夏县政务服务中心" in page and "应进必进率" in page and "50%" in page
    assert "涉密档案查询" in page and "涉及国家秘密" in page and "在县档案馆保密室办理" in page
    client.force_login(cat.kangle_admin)
    page = text(client.get("/workspace/catalog/entry-rate/"))
    assert "临夏县政务服务中心" not in page


def test_r_cat_8_compression_report_shows_before_and_after(client, cat):
    draft = services.guide_draft_create(
        actor=cat.approver, matter=cat.matter, promised_days=1, visits=0
    )
    services.guide_materials_set(actor=cat.approver, version=draft, materials=MATERIALS[:3])
    publish_through_review(cat, draft, reason="精简材料，压缩时限")
    exception, version = make_matter(
        cat,
        code="E2",
        name="建设工程规划许可",
        guide={**GUIDE, "promised_days": 9, "compression_exception_reason": "须召开规委会审议"},
    )
    publish_through_review(cat, version, accept_exception=True)
    _enter(cat, cat.linxia_center, "LX-0001")
    client.force_login(cat.county_admin)
    page = text(client.get("/workspace/catalog/compression/"))
    assert "按部门" in page and "临夏县市场监督管理局" in page and "按服务中心" in page
    assert (
        "申请材料：4 → 3 项" in page
        and "承诺时限：3 → 1 个工作日" in page
        and "到现场次数：1 → 0 次" in page
    )
    assert "建设工程规划许可" in page and "例外" in page and "须召开规委会审议" in page
    assert "达标 1 个，认可例外 1 个" in page
    dept = text(client.get(f"/workspace/catalog/compression/?department={cat.linxia_market.pk}"))
    assert "个体工商户登记" in dept
    for bad in ("abc", "999999", str(cat.kangle_market.pk)):
        response = client.get(f"/workspace/catalog/compression/?department={bad}")
        assert response.status_code == 200, bad
    client.force_login(cat.kangle_admin)
    assert "个体工商户登记" not in text(client.get("/workspace/catalog/compression/"))


def test_a_matter_without_a_guide_gets_its_first_draft_from_the_editor(client, net):
    matter = services.matter_create(
        actor=net.approver,
        code="N1",
        name="新设事项",
        kind="licensing",
        level="county",
        department=net.linxia_market,
    )
    client.force_login(net.approver)
    url = f"/workspace/catalog/matters/{matter.pk}/draft/"
    assert "编制办事指南" in text(client.get(url))
    post = {
        "legal_basis": "《某条例》第三条",
        "conditions": "符合条件的申请人。",
        "statutory_days": "20",
        "promised_days": "5",
        "limit_unit": "working",
        "visits": "1",
        "online_depth": "pre_review",
        "fees": "不收费",
        "is_free": "on",
        "result": "批准文书",
        "compression_exception_reason": "",
        "change_note": "",
        "action": "save",
        "reason": "",
        **_rows(
            "materials",
            [{**MATERIAL_DEFAULTS, "name": "申请书"}],
            tuple(MATERIAL_DEFAULTS) + ("name",),
        ),
        **_rows(
            "steps",
            [{"name": "受理", "description": "", "days": 0}],
            ("name", "description", "days"),
        ),
        **_rows("faq", [], ("question", "answer")),
        **_rows("form_fields", [], ("key", "label", "type", "required")),
    }
    response = client.post(url, post)
    assert response.status_code == 302
    version = Matter.objects.get(pk=matter.pk).versions.get()
    assert version.status == "draft" and [m.name for m in version.materials.all()] == ["申请书"]
