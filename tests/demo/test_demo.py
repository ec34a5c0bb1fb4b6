"""The Linxia demo data set: what `onewindow load-demo` builds, and who sees it."""

from __future__ import annotations

import io
from datetime import date

import chinese_calendar
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

from onewindow.core import idnumber
from onewindow.core.calendar import calendar_for
from onewindow.core.models import AuditEvent, CalendarOverride
from onewindow.core.roles import Role
from onewindow.core.scope import scope_for
from onewindow.demo import data
from onewindow.org.models import (
    Center,
    CenterKind,
    CenterUnit,
    Department,
    DepartmentLine,
    Level,
    Operator,
    Region,
    StaffProfile,
)

pytestmark = pytest.mark.django_db

# Argon2 is slow on purpose; the module hashes and checks the demo passwords with
# a fast hasher (the hashing itself is tested in tests/core).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

OFFICIAL_COUNTIES = {
    "622901": "临夏市",
    "622921": "临夏县",
    "622922": "康乐县",
    "622923": "永靖县",
    "622924": "广河县",
    "622925": "和政县",
    "622926": "东乡族自治县",
    "622927": "积石山保安族东乡族撒拉族自治县",
}


@pytest.fixture(scope="module")
def demo(demo_opened):
    """The demo data (tests/demo/world.py), every change rolled back after the module."""
    return demo_opened


def user(username):
    return get_user_model().objects.get(username=username)


def counts() -> dict[str, int]:
    models = [
        Region,
        Center,
        CenterUnit,
        DepartmentLine,
        Department,
        StaffProfile,
        CalendarOverride,
        AuditEvent,
        get_user_model(),
    ]
    return {m.__name__: m.objects.count() for m in models}


# --- the network -------------------------------------------------------------------------


def test_r_net_1_demo_regions_form_the_linxia_tree(demo):
    pref = Region.objects.get(code="622900")
    assert (pref.name, pref.level, pref.parent, pref.is_demo) == (
        "临夏回族自治州",
        Level.PREFECTURE,
        None,
        False,
    )

    counties = Region.objects.filter(level=Level.COUNTY)
    assert {c.code: c.name for c in counties} == OFFICIAL_COUNTIES
    assert all(c.parent_id == pref.pk and not c.is_demo for c in counties)

    for county in counties:
        townships = county.children.all()
        assert len(townships) == 3
        for township in townships:
            assert township.level == Level.TOWNSHIP and township.is_demo
            assert len(township.code) == 9 and township.code.startswith(county.code)
            villages = township.children.all()
            assert len(villages) == 2
            for village in villages:
                assert village.level == Level.VILLAGE and village.is_demo
                assert len(village.code) == 12 and village.code.startswith(township.code)
                assert village.path == f"/622900/{county.code}/{township.code}/{village.code}/"
    assert Region.objects.count() == 1 + 8 + 8 * 3 + 8 * 3 * 2
    for region in Region.objects.all():
        region.full_clean()


def test_r_net_2_every_region_has_one_center_of_its_level(demo):
    expected_kind = {
        Level.PREFECTURE: CenterKind.SERVICE_CENTER,
        Level.COUNTY: CenterKind.SERVICE_CENTER,
        Level.TOWNSHIP: CenterKind.CONVENIENCE_CENTER,
        Level.VILLAGE: CenterKind.AGENCY_POINT,
    }
    for region in Region.objects.prefetch_related("centers"):
        centers = list(region.centers.all())
        assert len(centers) == 1, region
        center = centers[0]
        assert center.kind == expected_kind[region.level]
        assert center.address and center.hours and center.phone and center.complaint_phone
        assert center.phone.startswith("0930-") and "演示" in center.phone
    assert Center.objects.get(region__code="622900").name == "临夏州政务服务中心"
    assert Center.objects.get(region__code="622927").name == "积石山县政务服务中心"
    assert Center.objects.get(region__code="622921100").name == "临夏县韩集镇便民服务中心"
    assert Center.objects.get(region__code="622921100201").name.endswith("代办点")
    county_hours = Center.objects.get(region__code="622921").hours
    assert "周一至周五" in county_hours and "夏季" in county_hours
    for county in OFFICIAL_COUNTIES:
        by_level = Center.objects.filter(region__path__startswith=f"/622900/{county}/")
        assert by_level.filter(region__level=Level.TOWNSHIP).count() == 3
        assert by_level.filter(region__level=Level.VILLAGE).count() == 6


def test_r_net_4_prefecture_and_a_county_run_acceptance_and_agency_centers(demo):
    for code in ("622900", "622921"):
        acceptance = CenterUnit.objects.get(
            center__region__code=code, kind=CenterUnit.Kind.ACCEPTANCE
        )
        assert acceptance.operator == Operator.THIRD_PARTY
        assert acceptance.contractor and acceptance.contract_start < acceptance.contract_end
        acceptance.full_clean()
        agency = CenterUnit.objects.get(center__region__code=code, kind=CenterUnit.Kind.AGENCY)
        assert agency.operator == Operator.GOVERNMENT and not agency.contractor


def test_r_net_4_a_third_party_clerk_carries_the_contractor_as_employer(demo):
    clerk = StaffProfile.objects.get(user__username="lxx-clerk")
    assert Role.CLERK in clerk.roles
    assert clerk.employer_kind == StaffProfile.Employer.THIRD_PARTY
    assert clerk.unit.kind == CenterUnit.Kind.ACCEPTANCE
    assert clerk.employer_name == clerk.unit.contractor
    assert clerk.unit.center == clerk.center
    assert "第三方" in demo.output and clerk.employer_name in demo.output


def test_r_net_3_department_lines_have_a_body_at_prefecture_and_every_county(demo):
    lines = DepartmentLine.objects.all()
    assert 15 <= lines.count() <= 20
    assert {"market", "police", "hrss", "tax", "justice", "gov_office", "provident_fund"} <= {
        line.code for line in lines
    }
    level_codes = {"622900", *OFFICIAL_COUNTIES}
    for line in lines:
        bodies = {d.region.code: d for d in line.departments.select_related("region", "center")}
        assert set(bodies) == level_codes, line
        for code, body in bodies.items():
            body.full_clean()
            if line.code in ("justice", "gov_office"):
                continue
            assert body.center is not None and body.center.region.code == code, body
            if code != "622900":
                assert body.upper == bodies["622900"]
    names = set(Department.objects.values_list("name", flat=True))
    assert {
        "临夏州市场监督管理局",
        "临夏县市场监督管理局",
        "积石山县市场监督管理局",
        "东乡县公安局",
        "临夏州人民政府办公室",
        "临夏市人力资源和社会保障局",
    } <= names
    assert Department.objects.count() == lines.count() * 9


# --- accounts -----------------------------------------------------------------------------


def test_one_demo_account_per_role_is_printed_and_can_log_in(demo, client, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    printed_roles = set()
    for person in data.PEOPLE:
        printed_roles |= set(person.roles)
        assert person.username in demo.output
    assert printed_roles == set(Role.values)
    assert data.DEMO_PASSWORD in demo.output
    for label in Role.labels:
        assert label in demo.output
    assert "admin" in demo.output and "系统管理员" in demo.output

    for username in [data.SUPERUSER[0], *(p.username for p in data.PEOPLE)]:
        response = client.post(
            "/accounts/login/", {"username": username, "password": data.DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert client.get("/workspace/").status_code == 200, username
        client.post("/accounts/logout/")
    assert user("admin").is_superuser


def test_r_sec_1_demo_password_passes_validators_and_identity_numbers_are_valid(demo):
    for person in data.PEOPLE:
        account = user(person.username)
        validate_password(data.DEMO_PASSWORD, account)
        profile = account.staff_profile
        number = profile.decrypted_id_number()
        assert idnumber.is_valid(number) and number.startswith("6229")
        assert profile.id_number_masked == idnumber.mask(number)
        assert set(profile.roles) == set(person.roles)


def test_demo_rows_are_written_through_the_services_with_audit_records(demo):
    actions = AuditEvent.objects.filter(actor__username="admin")
    assert actions.filter(action="region.create").count() == Region.objects.count()
    assert actions.filter(action="center.create").count() == Center.objects.count()
    assert actions.filter(action="department.create").count() == Department.objects.count()
    assert actions.filter(action="staff.create").count() == len(data.PEOPLE)
    assert actions.filter(action="calendar_override.create").count() == 1


def test_load_demo_is_idempotent(demo):
    before = counts()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    call_command("load_demo", "--if-empty", stdout=out)
    assert counts() == before
    assert "未载入演示数据" in out.getvalue() and "lxx-clerk" in out.getvalue()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "未做改动" in out.getvalue()


# --- scope --------------------------------------------------------------------------------


def region_codes(username):
    return set(Region.objects.visible_to(scope_for(user(username))).values_list("code", flat=True))


def center_regions(username):
    return set(
        Center.objects.visible_to(scope_for(user(username))).values_list("region__code", flat=True)
    )


def test_r_net_3_county_center_admin_sees_its_townships_and_villages_not_another_county(demo):
    linxia = set(
        Region.objects.filter(path__startswith="/622900/622921/").values_list("code", flat=True)
    )
    kangle = set(
        Region.objects.filter(path__startswith="/622900/622922/").values_list("code", flat=True)
    )
    assert len(linxia) == len(kangle) == 1 + 3 + 6
    assert linxia <= region_codes("lxx-admin")
    assert not kangle & region_codes("lxx-admin")
    assert center_regions("lxx-admin") == linxia
    staff = StaffProfile.objects.visible_to(scope_for(user("lxx-admin")))
    assert not staff.filter(user__username="lxz-admin").exists()
    assert staff.filter(user__username="lxx-clerk").exists()


def test_r_net_3_prefecture_center_admin_sees_the_whole_network(demo):
    assert scope_for(user("lxz-admin")).everything
    assert len(center_regions("lxz-admin")) == Center.objects.count() == 81


def test_r_net_3_front_office_staff_see_their_own_center_and_approvers_their_department(demo):
    assert center_regions("lxx-clerk") == {"622921"}
    assert center_regions("lxx-agent") == {"622921"}
    for username in ("lxx-approver", "lxx-chief"):
        departments = Department.objects.visible_to(scope_for(user(username)))
        assert list(departments.values_list("name", flat=True)) == ["临夏县市场监督管理局"]
    leader_sees = Department.objects.visible_to(scope_for(user("lxx-leader")))
    assert list(leader_sees.values_list("name", flat=True)) == ["临夏县市场监督管理局"]


def test_r_net_3_county_roles_with_a_region_see_the_county_subtree(demo):
    linxia = set(
        Region.objects.filter(path__startswith="/622900/622921/").values_list("code", flat=True)
    )
    for username in ("lxx-supervisor", "lxx-govoffice", "lxx-legality", "lxx-final"):
        assert center_regions(username) == linxia, username
        departments = Department.objects.visible_to(scope_for(user(username)))
        assert {d.region.code for d in departments} == {"622921"}, username
        assert departments.count() == DepartmentLine.objects.count()


def test_r_net_3_county_admin_gets_404_for_another_countys_township_center(demo, client, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    client.post("/accounts/login/", {"username": "lxx-admin", "password": data.DEMO_PASSWORD})
    own = Center.objects.get(region__code="622921100")
    other = Center.objects.get(region__code="622922100")
    assert client.get(f"/org/centers/{own.pk}/").status_code == 200
    assert client.get(f"/org/centers/{other.pk}/").status_code == 404


# --- the 2026 work calendar -----------------------------------------------------------------


def test_r_case_4_demo_calendar_has_one_local_closure_in_a_county(demo):
    closure = CalendarOverride.objects.get()
    assert closure.date == date(2026, 12, 31)
    assert closure.region.code == "622921" and not closure.is_workday
    assert "演示" in closure.reason
    # A normal working day in the official 2026 calendar, closed locally.
    assert chinese_calendar.is_workday(closure.date)
    assert AuditEvent.objects.filter(
        action="calendar_override.create", target_id=str(closure.pk)
    ).exists()
    # The county's hall, its township centers and village points close; others do not.
    for code in ("622921", "622921100", "622921100201"):
        center = Center.objects.get(region__code=code)
        assert not calendar_for(center=center).is_workday(closure.date), code
    for code in ("622900", "622922", "622922100"):
        center = Center.objects.get(region__code=code)
        assert calendar_for(center=center).is_workday(closure.date), code


def test_r_eval_3_demo_staff_numbers_are_numbers_not_logins(demo):
    profiles = list(StaffProfile.objects.select_related("user"))
    assert profiles
    for profile in profiles:
        assert profile.staff_no != profile.user.username
        assert profile.staff_no.isdigit(), profile.staff_no
