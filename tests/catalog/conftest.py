"""A small catalog on top of the test network: standard matters with published guides."""

from __future__ import annotations

import pytest

from onewindow.catalog import services
from onewindow.catalog.models import MatterKind
from onewindow.org import services as org_services
from onewindow.org.models import Level

MATERIALS = [
    {"name": "个体工商户登记（备案）申请书", "form": "original", "copies": 1},
    {"name": "经营者居民身份证", "form": "original_and_copy", "copies": 1},
    {"name": "经营场所使用证明", "form": "copy", "copies": 1, "pledge_allowed": True},
    {
        "name": "委托代理人身份证明及授权委托书",
        "form": "original",
        "requirement": "conditional",
        "condition": "委托他人代为办理的",
    },
]
STEPS = [
    {
        "name": "受理",
        "description": "窗口核对申请材料，材料齐全、符合法定形式的当场受理。",
        "days": 0,
    },
    {"name": "审查", "description": "对申请材料进行审查。", "days": 1},
    {"name": "决定", "description": "作出准予登记的决定并核发营业执照。", "days": 1},
]
GUIDE = {
    "legal_basis": "《促进个体工商户发展条例》第八条",
    "conditions": "有经营能力的公民，经营场所符合要求，申请材料齐全、符合法定形式。",
    "statutory_days": 15,
    "promised_days": 3,
    "visits": 1,
    "online_depth": "full_online",
    "fees": "不收费",
    "result": "营业执照",
    "faq": [{"question": "可以网上办理吗？", "answer": "可以，通过甘肃政务服务网全程网办。"}],
    "form_fields": [
        {"key": "applicant_name", "label": "经营者姓名", "type": "text", "required": True},
        {"key": "id_number", "label": "身份证号码", "type": "id_number", "required": True},
        {"key": "business_address", "label": "经营场所", "type": "text", "required": True},
    ],
}


def publish_through_review(net, version, reason="首次编制办事指南", accept_exception=False):
    change = services.process_change_submit(actor=net.approver, version=version, reason=reason)
    change = services.process_change_legality_review(
        actor=net.legality, change=change, approve=True, opinion="合法"
    )
    return services.process_change_final_review(
        actor=net.final_reviewer,
        change=change,
        approve=True,
        opinion="同意",
        accept_exception=accept_exception,
    )


def make_matter(
    net,
    *,
    code,
    name,
    kind=MatterKind.LICENSING,
    guide=None,
    materials=None,
    steps=None,
    department=None,
    keywords="",
):
    matter = services.matter_create(
        actor=net.approver,
        code=code,
        name=name,
        kind=kind,
        level=Level.COUNTY,
        department=department or net.linxia_market,
        domain="市场准入",
        keywords=keywords,
    )
    version = services.guide_draft_create(actor=net.approver, matter=matter, **(guide or GUIDE))
    services.guide_materials_set(
        actor=net.approver, version=version, materials=materials or MATERIALS
    )
    services.guide_steps_set(actor=net.approver, version=version, steps=steps or STEPS)
    return matter, version


@pytest.fixture
def cat(net):
    matter, version = make_matter(
        net, code="11620000MB1234567X", name="个体工商户登记", keywords="个体户 营业执照 开店"
    )
    publish_through_review(net, version)
    matter.refresh_from_db()
    net.matter = matter
    net.town_gov = org_services.staff_create(
        actor=net.root,
        username="pref_gov",
        full_name="州政府办",
        password=None,
        roles={"gov_office"},
        staff_no="T0900",
        region=net.pref,
    ).user
    return net
