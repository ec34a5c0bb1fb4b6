"""R-NET-3: every role sees exactly its scope, through selectors, the API and pages.

The network of tests/conftest.py: the prefecture with 临夏县 (a township 韩集镇 and a
village point under it) and 康乐县 (a township 附城镇); market regulation bodies at
the prefecture and both counties, public security at 临夏县.
"""

from __future__ import annotations

import pytest

from onewindow.core.scope import scope_for
from onewindow.org import selectors

ALL_CENTERS = {"C622900", "C622921", "C622922", "C622921100", "C622921100201", "C622922100"}
LINXIA_TREE = {"C622921", "C622921100", "C622921100201"}
ALL_DEPTS = {"临夏州市场监督管理局", "临夏县市场监督管理局", "临夏县公安局", "康乐县市场监督管理局"}
LINXIA_DEPTS = {"临夏县市场监督管理局", "临夏县公安局"}
MARKET_LINE = {"临夏州市场监督管理局", "临夏县市场监督管理局", "康乐县市场监督管理局"}

# user -> (centers, departments)
MATRIX = {
    "root": (ALL_CENTERS, ALL_DEPTS),
    "pref_admin": (ALL_CENTERS, ALL_DEPTS),
    "pref_supervisor": (ALL_CENTERS, ALL_DEPTS),
    "county_admin": (LINXIA_TREE, LINXIA_DEPTS),
    "kangle_admin": ({"C622922", "C622922100"}, {"康乐县市场监督管理局"}),
    "clerk": ({"C622921"}, LINXIA_DEPTS),
    "agent": ({"C622921"}, LINXIA_DEPTS),
    "township_clerk": ({"C622921100"}, set()),
    "approver": ({"C622921"}, {"临夏县市场监督管理局"}),
    "chief_rep": ({"C622921"}, {"临夏县市场监督管理局"}),
    "police_approver": ({"C622921"}, {"临夏县公安局"}),
    "county_supervisor": (LINXIA_TREE, LINXIA_DEPTS),
    "gov_office": (LINXIA_TREE, LINXIA_DEPTS),
    "legality": (LINXIA_TREE, LINXIA_DEPTS),
    "final_reviewer": (LINXIA_TREE, LINXIA_DEPTS),
    "pref_market_leader": ({"C622900", "C622921", "C622922"}, MARKET_LINE),
    "county_leader": (LINXIA_TREE, LINXIA_DEPTS),
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_r_net_3_each_role_sees_exactly_its_centers_and_departments(net, who):
    user = getattr(net, who)
    scope = scope_for(user)
    centers, departments = MATRIX[who]
    assert set(selectors.center_list(scope=scope).values_list("code", flat=True)) == centers
    assert set(selectors.department_list(scope=scope).values_list("name", flat=True)) == departments


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_r_net_3_the_api_lists_the_same_scope_and_hides_the_rest(client, net, who):
    from onewindow.org.models import Center, Department

    client.force_login(getattr(net, who))
    centers, departments = MATRIX[who]
    body = client.get("/api/v1/org/centers?limit=100").json()
    assert {c["code"] for c in body["items"]} == centers
    body = client.get("/api/v1/org/departments?limit=100").json()
    assert {d["name"] for d in body["items"]} == departments
    for center in Center.objects.exclude(code__in=centers):
        response = client.get(f"/api/v1/org/centers/{center.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "center.not_found"
    for dept in Department.objects.exclude(name__in=departments):
        assert client.get(f"/api/v1/org/departments/{dept.pk}").status_code == 404


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_r_net_3_pages_show_the_scope_and_answer_404_outside_it(client, net, who):
    from onewindow.org.models import Center

    client.force_login(getattr(net, who))
    centers, _ = MATRIX[who]
    page = client.get("/org/centers/").content.decode()
    for center in Center.objects.all():
        assert (center.name in page) == (center.code in centers), center.name
        status = client.get(f"/org/centers/{center.pk}/").status_code
        assert status == (200 if center.code in centers else 404)


STAFF_SEEN = {
    "county_admin": {
        "county_admin",
        "clerk",
        "township_clerk",
        "agent",
        "approver",
        "chief_rep",
        "police_approver",
        "county_supervisor",
        "gov_office",
        "legality",
        "final_reviewer",
        "county_leader",
    },
    "clerk": {"county_admin", "clerk", "agent", "chief_rep"},
    "approver": {"approver", "chief_rep"},
    "kangle_admin": {"kangle_admin"},
    "township_clerk": {"township_clerk"},
}


@pytest.mark.parametrize("who", sorted(STAFF_SEEN))
def test_r_net_3_staff_lists_are_scoped(client, net, who):
    from onewindow.org.models import StaffProfile

    user = getattr(net, who)
    seen = set(selectors.staff_list(scope=scope_for(user)).values_list("user__username", flat=True))
    assert seen == STAFF_SEEN[who]
    client.force_login(user)
    for profile in StaffProfile.objects.select_related("user"):
        status = client.get(f"/org/staff/{profile.pk}/").status_code
        assert status == (200 if profile.user.username in seen else 404), profile.user.username
        api = client.get(f"/api/v1/org/staff/{profile.pk}")
        assert api.status_code == (200 if profile.user.username in seen else 404)


def test_r_net_3_anonymous_sees_nothing_and_the_api_asks_to_log_in(client, net):
    assert scope_for(None).is_empty
    response = client.get("/api/v1/org/centers")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"
    assert client.get("/org/centers/").status_code == 302


def test_r_net_3_a_deactivated_staff_member_sees_nothing(net):
    from onewindow.org import services

    profile = net.county_admin.staff_profile
    services.staff_deactivate(actor=net.root, profile=profile, reason="调离")
    net.county_admin.refresh_from_db()
    assert scope_for(net.county_admin).is_empty


def test_r_net_3_upper_body_of_a_line_is_the_same_line_one_level_up(net):
    assert net.linxia_market.upper == net.pref_market
    assert net.pref_market.upper is None
    assert net.linxia_police.upper is None  # no prefecture police body in this network
