"""Center admins manage staff from the pages: create, roles, deactivate — through the
services, within their scope, with Chinese messages on bad input."""

from __future__ import annotations

from onewindow.core.models import AuditEvent
from onewindow.org.models import StaffProfile


def _form(net, **over):
    data = {
        "full_name": "马丽",
        "username": "mali",
        "staff_no": "N0001",
        "roles": ["clerk"],
        "center": net.linxia_center.pk,
        "employer_kind": "government",
        "id_number": "",
        "password": "Window-2026!ok",
    }
    data.update(over)
    return data


def test_r_net_4_a_county_admin_adds_a_third_party_clerk_from_the_page(client, net):
    client.force_login(net.county_admin)
    response = client.post(
        "/org/staff/new/",
        _form(net, employer_kind="third_party", employer_name="甘肃某人力资源公司"),
    )
    assert response.status_code == 302
    profile = StaffProfile.objects.get(staff_no="N0001")
    assert profile.employer_name == "甘肃某人力资源公司" and profile.roles == {"clerk"}
    assert AuditEvent.objects.filter(
        action="staff.create", actor=net.county_admin, target_id=str(profile.pk)
    ).exists()


def test_bad_staff_input_shows_chinese_messages_and_creates_nothing(client, net):
    client.force_login(net.county_admin)
    before = StaffProfile.objects.count()
    cases = [
        _form(net, id_number="622921199001010017"),  # check digit
        _form(net, roles=["approver"]),  # needs a department
        _form(net, employer_kind="third_party"),  # needs the employer
        _form(net, username="clerk"),  # taken
        _form(net, center=net.kangle_center.pk),  # out of scope
        _form(net, password="123"),  # weak
        _form(net, roles=["nonsense"]),
    ]
    for data in cases:
        response = client.post("/org/staff/new/", data)
        assert response.status_code == 200, data
        assert "errorlist" in response.content.decode() or "msg error" in response.content.decode()
    assert StaffProfile.objects.count() == before


def test_only_center_admins_open_the_staff_form(client, net):
    client.force_login(net.clerk)
    assert client.get("/org/staff/new/").status_code == 404
    client.force_login(net.county_admin)
    assert client.get("/org/staff/new/").status_code == 200


def test_roles_and_deactivation_from_the_staff_page(client, net):
    client.force_login(net.county_admin)
    agent = net.agent.staff_profile
    client.post(f"/org/staff/{agent.pk}/", {"action": "roles", "roles": ["agent", "clerk"]})
    assert StaffProfile.objects.get(pk=agent.pk).roles == {"agent", "clerk"}
    page = client.post(f"/org/staff/{agent.pk}/", {"action": "deactivate", "reason": ""})
    assert page.status_code == 200 and StaffProfile.objects.get(pk=agent.pk).active
    client.post(f"/org/staff/{agent.pk}/", {"action": "deactivate", "reason": "调回原单位"})
    assert not StaffProfile.objects.get(pk=agent.pk).active
    assert AuditEvent.objects.filter(action="staff.deactivate", note="调回原单位").exists()


def test_a_clerk_cannot_change_roles_by_posting(client, net):
    client.force_login(net.clerk)
    agent = net.agent.staff_profile
    client.post(f"/org/staff/{agent.pk}/", {"action": "roles", "roles": ["center_admin"]})
    assert StaffProfile.objects.get(pk=agent.pk).roles == {"agent"}


def test_r_net_4_the_staff_form_offers_chinese_placeholders_not_dashes(client, net):
    client.force_login(net.county_admin)
    html = client.get("/org/staff/new/").content.decode()
    assert "---------" not in html
    assert html.count("请选择…") == 3  # center, department, region
