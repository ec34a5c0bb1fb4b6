"""The API: OpenAPI, the error shape, session / bearer token / client key auth."""

from __future__ import annotations

from onewindow.core.models import AuditEvent
from onewindow.core.tokens import api_client_create, api_token_create, api_token_revoke


def test_openapi_is_published_with_the_org_routes(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"].startswith("一窗通")
    assert {"/api/v1/org/centers", "/api/v1/org/regions", "/api/v1/org/departments"} <= set(
        spec["paths"]
    )


def test_errors_are_json_with_code_message_fields(client, net):
    client.force_login(net.county_admin)
    bad_type = client.patch(
        f"/api/v1/org/centers/{net.linxia_center.pk}",
        {"name": ["x"]},
        content_type="application/json",
    )
    assert bad_type.status_code == 422
    body = bad_type.json()
    assert body["code"] == "invalid_input" and "name" in body["fields"] and body["message"]
    too_long = client.patch(
        f"/api/v1/org/centers/{net.linxia_center.pk}",
        {"name": "长" * 300},
        content_type="application/json",
    )
    assert too_long.status_code == 422 and "name" in too_long.json()["fields"]
    net.linxia_center.refresh_from_db()
    assert net.linxia_center.name == "临夏县政务服务中心"
    not_json = client.patch(
        f"/api/v1/org/centers/{net.linxia_center.pk}", "{", content_type="application/json"
    )
    assert 400 <= not_json.status_code < 500 and "code" in not_json.json()
    assert client.get("/api/v1/org/centers/abc").status_code == 422
    forbidden = client.patch(
        f"/api/v1/org/centers/{net.linxia_center.pk}",
        {"phone": "1"},
        content_type="application/json",
    )
    assert forbidden.status_code == 200


def test_a_clerk_may_read_but_not_change_a_center(client, net):
    client.force_login(net.clerk)
    response = client.patch(
        f"/api/v1/org/centers/{net.linxia_center.pk}",
        {"phone": "1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "org.not_manager"
    assert not AuditEvent.objects.filter(action="center.update").exists()


def test_session_writes_need_csrf(net):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(net.county_admin)
    response = strict.patch(
        f"/api/v1/org/centers/{net.linxia_center.pk}",
        {"phone": "1"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


def test_r_net_3_a_bearer_token_acts_within_its_owners_scope(client, net):
    _, key = api_token_create(actor=net.kangle_admin, name="报表对接")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = client.get("/api/v1/org/centers", **headers).json()
    assert {c["code"] for c in body["items"]} == {"C622922", "C622922100"}
    assert client.get(f"/api/v1/org/centers/{net.linxia_center.pk}", **headers).status_code == 404
    assert AuditEvent.objects.filter(action="api_token.create", actor=net.kangle_admin).exists()


def test_a_revoked_or_unknown_token_is_refused(client, net):
    token, key = api_token_create(actor=net.kangle_admin, name="临时")
    api_token_revoke(actor=net.kangle_admin, token_id=token.pk)
    for header in (f"Bearer {key}", "Bearer nonsense"):
        response = client.get("/api/v1/org/centers", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response.json()["code"] == "auth.required"


def test_r_net_3_a_machine_client_key_reads_its_region_only(client, net):
    _, key = api_client_create(actor=net.root, name="12345热线（康乐县）", region=net.kangle)
    body = client.get("/api/v1/org/centers", HTTP_X_API_KEY=key).json()
    assert {c["code"] for c in body["items"]} == {"C622922", "C622922100"}
    assert client.get("/api/v1/org/centers", HTTP_X_API_KEY="wrong").status_code == 401
    # client keys are for the read endpoints machine integrations need, not for staff data
    assert client.get("/api/v1/org/staff", HTTP_X_API_KEY=key).status_code == 401


def test_the_token_page_shows_a_new_key_once(client, net):
    client.force_login(net.clerk)
    page = client.post("/workspace/tokens/", {"name": "叫号屏"}).content.decode()
    assert "ow_" in page
    again = client.get("/workspace/tokens/").content.decode()
    assert "叫号屏" in again and 'id="new-key"' not in again
    assert client.post("/workspace/tokens/", {"name": ""}).status_code == 200
    assert client.post("/workspace/tokens/", {"revoke": "abc"}).status_code == 302


def test_a_bearer_token_may_write_without_a_csrf_token_and_a_session_may_not(net):
    from django.test import Client

    _, key = api_token_create(actor=net.county_admin, name="对接")
    strict = Client(enforce_csrf_checks=True)
    response = strict.patch(
        f"/api/v1/org/centers/{net.linxia_center.pk}",
        {"phone": "0930-1111111"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    net.linxia_center.refresh_from_db()
    assert net.linxia_center.phone == "0930-1111111"


def test_r_sec_2_a_credential_the_write_does_not_take_is_a_401_not_a_csrf_refusal(net):
    """A machine key on a write open to people only, or a bearer token that is wrong, is
    refused as unauthenticated in the error shape; the page's session still needs its
    CSRF token; a signed-in session that also sends a header is not let past that check;
    nothing changes."""
    from django.test import Client

    _, machine = api_client_create(actor=net.root, name="12345热线（临夏县）", region=net.linxia)
    strict = Client(enforce_csrf_checks=True)
    path = f"/api/v1/org/centers/{net.linxia_center.pk}"
    body = {"phone": "0930-2222222"}
    for header in (
        {"HTTP_X_API_KEY": machine},
        {"HTTP_AUTHORIZATION": "Bearer ow_not_a_token"},
    ):
        response = strict.patch(path, body, content_type="application/json", **header)
        assert response.status_code == 401, header
        assert set(response.json()) >= {"code", "message", "fields"}
    strict.force_login(net.county_admin)
    assert strict.patch(path, body, content_type="application/json").status_code == 403
    with_header = strict.patch(
        path, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer ow_not_a_token"
    )
    assert with_header.status_code == 401
    net.linxia_center.refresh_from_db()
    assert net.linxia_center.phone != "0930-2222222"
    assert not AuditEvent.objects.filter(action="center.update").exists()
