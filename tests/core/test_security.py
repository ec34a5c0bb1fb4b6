"""R-SEC-1: personal data protected at rest, masked, revealed only with a logged
reason; the audit trail is append-only, the admin included."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from onewindow.core.errors import Forbidden, InvalidInput
from onewindow.core.models import AuditEvent
from onewindow.org import services
from onewindow.org.models import StaffProfile

NUMBER = "622921199001010016"


@pytest.fixture
def profile(net):
    return services.staff_create(
        actor=net.county_admin,
        username="ma",
        full_name="马明",
        password=None,
        roles={"clerk"},
        staff_no="S0001",
        center=net.linxia_center,
        id_number=NUMBER,
    )


def test_r_sec_1_identity_numbers_are_encrypted_at_rest(profile):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number_cipher, id_number_digest, id_number_masked FROM org_staffprofile WHERE id = %s",
            [profile.pk],
        )
        cipher, digest, masked = cursor.fetchone()
    assert NUMBER not in cipher and NUMBER not in digest
    assert masked == "622921********0016"
    assert profile.decrypted_id_number() == NUMBER


def test_r_sec_1_an_exact_number_is_found_by_its_keyed_digest(profile):
    digest = StaffProfile.id_number_lookup("622921199001010016")
    assert StaffProfile.objects.get(id_number_digest=digest) == profile
    assert not StaffProfile.objects.filter(
        id_number_digest=StaffProfile.id_number_lookup("11010519491231002X")
    ).exists()


def test_r_sec_1_a_wrong_number_is_refused_and_nothing_is_created(net):
    before = StaffProfile.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.staff_create(
            actor=net.county_admin,
            username="bad",
            full_name="错号",
            password=None,
            roles={"clerk"},
            staff_no="S0009",
            center=net.linxia_center,
            id_number="622921199001010017",
        )
    assert exc.value.code == "id_number.check_digit"
    assert "id_number" in exc.value.fields
    assert StaffProfile.objects.count() == before
    assert not type(net.root).objects.filter(username="bad").exists()


def test_r_sec_1_lists_and_the_api_show_masked_numbers_only(client, net, profile):
    client.force_login(net.county_admin)
    assert NUMBER not in client.get("/org/staff/").content.decode()
    body = client.get(f"/api/v1/org/staff/{profile.pk}").json()
    assert body["id_number_masked"] == "622921********0016"
    assert NUMBER not in str(body)


def test_r_sec_1_revealing_a_number_needs_a_reason_and_is_logged(client, net, profile):
    client.force_login(net.county_admin)
    response = client.post(
        f"/api/v1/org/staff/{profile.pk}/reveal-id-number",
        {"reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "pii.reason_required"
    assert not AuditEvent.objects.filter(action="pii.reveal_id_number").exists()
    response = client.post(
        f"/api/v1/org/staff/{profile.pk}/reveal-id-number",
        {"reason": "核对社保信息"},
        content_type="application/json",
    )
    assert response.json() == {"id_number": NUMBER}
    event = AuditEvent.objects.get(action="pii.reveal_id_number")
    assert event.actor == net.county_admin and event.note == "核对社保信息"
    assert event.target_id == str(profile.pk) and NUMBER not in str(event.after)


def test_r_sec_1_a_clerk_may_not_reveal_and_another_county_gets_404(client, net, profile):
    with pytest.raises(Forbidden):
        services.staff_reveal_id_number(actor=net.clerk, profile_id=profile.pk, reason="好奇")
    client.force_login(net.kangle_admin)
    response = client.post(
        f"/api/v1/org/staff/{profile.pk}/reveal-id-number",
        {"reason": "查看"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="pii.reveal_id_number").exists()


def test_r_sec_1_the_reveal_page_logs_the_view(client, net, profile):
    client.force_login(net.county_admin)
    page = client.post(f"/org/staff/{profile.pk}/", {"reason": "核对身份"}).content.decode()
    assert NUMBER in page and "审计日志" in page
    assert (
        AuditEvent.objects.filter(action="pii.reveal_id_number", actor=net.county_admin).count()
        == 1
    )


def test_r_sec_1_audit_rows_carry_no_secrets(profile):
    event = AuditEvent.objects.get(action="staff.create", target_id=str(profile.pk))
    assert "id_number_cipher" not in event.after and "id_number_digest" not in event.after
    assert event.after["id_number_masked"] == "622921********0016"
    assert event.after["roles"] == ["clerk"]


def test_r_sec_1_audit_events_cannot_be_changed_or_deleted_through_the_orm(net):
    event = AuditEvent.objects.first()
    event.note = "篡改"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(note="篡改")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_r_sec_1_the_database_refuses_to_update_audit_events(net):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET note = 'x' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.note != "x"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's")
def test_r_sec_1_postgresql_refuses_to_delete_audit_events(net):
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == count


def test_r_sec_1_the_admin_cannot_add_change_or_delete_audit_events(client, net):
    client.force_login(net.root)
    event = AuditEvent.objects.first()
    assert client.get("/admin/core/auditevent/").status_code == 200
    page = client.get(f"/admin/core/auditevent/{event.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_r_sec_1_audit_search_is_scoped_and_for_readers_only(client, net):
    services.center_update(actor=net.kangle_admin, center=net.kangle_center, phone="0930-7777777")
    services.center_update(actor=net.county_admin, center=net.linxia_center, phone="0930-6666666")
    client.force_login(net.county_supervisor)
    page = client.get("/workspace/audit/", {"action": "center.update"}).content.decode()
    assert "0930-6666666" in page and "0930-7777777" not in page
    client.force_login(net.clerk)
    assert client.get("/workspace/audit/").status_code == 404
    client.force_login(net.county_supervisor)
    bad = client.get("/workspace/audit/", {"since": "2026-13-01"})
    assert bad.status_code == 200 and "日期" in bad.content.decode()


def test_r_sec_1_the_audit_records_the_client_address(client, net):
    client.force_login(net.county_admin)
    response = client.patch(
        f"/api/v1/org/centers/{net.linxia_center.pk}",
        {"hours": "周一至周五"},
        content_type="application/json",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="center.update")
    assert event.client_ip == "10.1.2.3" and event.after == {"hours": "周一至周五"}
