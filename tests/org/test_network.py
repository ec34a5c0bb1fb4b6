"""R-NET-1, R-NET-2, R-NET-4: the four-level network, its centers, their units and
the employers of staff."""

from __future__ import annotations

import pytest

from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.org import services
from onewindow.org.models import Center, Level, Region


def test_r_net_1_regions_form_a_tree_with_paths_and_official_codes(net):
    assert net.village.path == "/622900/622921/622921100/622921100201/"
    assert [r.code for r in net.village.ancestors()] == [
        "622900",
        "622921",
        "622921100",
        "622921100201",
    ]
    assert set(Region.objects.subtree(net.linxia).values_list("code", flat=True)) == {
        "622921",
        "622921100",
        "622921100201",
    }
    assert net.hanji.is_demo and not net.linxia.is_demo


@pytest.mark.parametrize(
    ("code", "level", "parent_attr", "error_field"),
    [
        ("6229211", "county", "pref", "code"),  # wrong length
        ("622923", "township", "pref", "level"),  # prefecture -> township skips a level
        ("622922101", "township", "linxia", "code"),  # township code not under its county
        ("622925", "county", None, "parent"),  # only the prefecture has no parent
    ],
)
def test_r_net_1_bad_regions_are_refused_with_a_chinese_message(
    net, code, level, parent_attr, error_field
):
    parent = getattr(net, parent_attr) if parent_attr else None
    before = Region.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.region_create(actor=net.root, code=code, name="测试", level=level, parent=parent)
    assert error_field in exc.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    assert Region.objects.count() == before


def test_r_net_2_each_level_has_its_kind_of_center(net):
    kinds = {c.code: c.kind for c in Center.objects.all()}
    assert kinds["C622900"] == "service_center"
    assert kinds["C622921"] == "service_center"
    assert kinds["C622921100"] == "convenience_center"
    assert kinds["C622921100201"] == "agency_point"
    assert net.village_point.level == Level.VILLAGE
    assert net.village_point.get_kind_display() == "代办点"


def test_r_net_2_a_center_belongs_to_one_region_and_its_creation_is_audited(net):
    center = services.center_create(
        actor=net.county_admin,
        region=net.hanji,
        code="C622921100-2",
        name="韩集镇便民服务中心分厅",
        address="韩集镇街道1号",
    )
    assert center.region == net.hanji
    event = AuditEvent.objects.get(action="center.create", target_id=str(center.pk))
    assert event.actor == net.county_admin and event.center == center
    assert event.after["name"] == "韩集镇便民服务中心分厅"


def test_r_net_2_a_county_admin_cannot_create_a_center_in_another_county(net):
    with pytest.raises(NotFound):
        services.center_create(
            actor=net.county_admin, region=net.fucheng, code="X1", name="越权中心"
        )
    with pytest.raises(Forbidden):
        services.center_create(actor=net.clerk, region=net.linxia, code="X2", name="无权中心")
    assert not Center.objects.filter(code__in=["X1", "X2"]).exists()


def test_r_net_2_center_update_records_before_and_after(net):
    services.center_update(actor=net.county_admin, center=net.linxia_center, phone="0930-1234567")
    event = AuditEvent.objects.get(action="center.update")
    assert event.before == {"phone": ""}
    assert event.after == {"phone": "0930-1234567"}
    with pytest.raises(InvalidInput):
        services.center_update(actor=net.county_admin, center=net.linxia_center, code="HACK")


def test_r_net_4_acceptance_center_run_by_a_third_party_and_staff_carry_their_employer(net):
    unit = services.center_unit_save(
        actor=net.county_admin,
        center=net.linxia_center,
        kind="acceptance",
        operator="third_party",
        contractor="甘肃某政务服务外包公司",
    )
    agency = services.center_unit_save(
        actor=net.county_admin, center=net.linxia_center, kind="agency", operator="government"
    )
    assert {u.kind for u in net.linxia_center.units.all()} == {"acceptance", "agency"}
    profile = services.staff_create(
        actor=net.county_admin,
        username="contract_clerk",
        full_name="马小兰",
        password=None,
        roles={"clerk"},
        staff_no="W0001",
        center=net.linxia_center,
        unit=unit,
        employer_kind="third_party",
        employer_name="甘肃某政务服务外包公司",
    )
    assert profile.unit == unit and profile.get_employer_kind_display() == "第三方服务机构"
    assert agency.get_operator_display() == "政府组建"
    assert AuditEvent.objects.filter(action="center_unit.save").count() == 2


def test_r_net_4_third_party_operation_needs_a_contractor(net):
    with pytest.raises(InvalidInput) as exc:
        services.center_unit_save(
            actor=net.county_admin,
            center=net.linxia_center,
            kind="acceptance",
            operator="third_party",
        )
    assert "contractor" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        services.staff_create(
            actor=net.county_admin,
            username="x",
            full_name="x",
            password=None,
            roles={"clerk"},
            staff_no="W0002",
            center=net.linxia_center,
            employer_kind="third_party",
        )
    assert "employer_name" in exc.value.fields


def test_r_net_3_a_department_may_only_sit_at_a_center_of_its_own_level(net):
    with pytest.raises(InvalidInput) as exc:
        services.department_create(
            actor=net.root, line=net.police, region=net.kangle, center=net.linxia_center
        )
    assert "center" in exc.value.fields


def test_roles_need_their_place_and_role_changes_are_audited(net):
    with pytest.raises(InvalidInput) as exc:
        services.staff_create(
            actor=net.county_admin,
            username="noplace",
            full_name="无岗位",
            password=None,
            roles={"approver"},
            staff_no="W0003",
            center=net.linxia_center,
        )
    assert "department" in exc.value.fields
    profile = net.agent.staff_profile
    services.staff_set_roles(actor=net.county_admin, profile=profile, roles={"agent", "clerk"})
    event = AuditEvent.objects.get(action="staff.set_roles")
    assert event.before == {"roles": ["agent"]} and event.after == {"roles": ["agent", "clerk"]}
    with pytest.raises(NotFound):
        services.staff_set_roles(actor=net.kangle_admin, profile=profile, roles={"clerk"})
    with pytest.raises(Forbidden):
        services.staff_set_roles(
            actor=net.county_admin,
            profile=net.county_admin.staff_profile,
            roles={"center_admin", "supervisor"},
        )


def test_only_roles_that_keep_reference_data_reach_the_admin_site(net):
    assert net.county_admin.is_staff and net.county_supervisor.is_staff
    assert not net.clerk.is_staff and not net.approver.is_staff
    services.staff_set_roles(
        actor=net.county_admin, profile=net.agent.staff_profile, roles={"agent", "center_admin"}
    )
    net.agent.refresh_from_db()
    assert net.agent.is_staff
