"""What an API key stands for is remembered per process (core.tokens): the hall's callers
present their key on every request. Revocation here is immediate; a change made by
another process is seen within ``KEY_TTL`` (R-NET-3: a token acts within its owner's
scope, and only while it lives)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.core import tokens
from onewindow.core.models import ApiToken
from onewindow.core.tokens import api_client_create, api_token_create, api_token_revoke

CENTERS = "/api/v1/org/centers"


def _get(client, key):
    return client.get(CENTERS, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_r_net_3_a_remembered_token_reads_neither_the_token_nor_the_scope_again(client, net):
    _, key = api_token_create(actor=net.kangle_admin, name="报表对接")
    first = _get(client, key)
    with CaptureQueriesContext(connection) as cold:
        tokens.forget_keys()
        _get(client, key)
    with CaptureQueriesContext(connection) as warm:
        again = _get(client, key)
    assert again.json() == first.json()
    assert {c["code"] for c in again.json()["items"]} == {"C622922", "C622922100"}
    read_token = [q for q in cold.captured_queries if "core_apitoken" in q["sql"]]
    assert len(read_token) == 1
    assert not [q for q in warm.captured_queries if "core_apitoken" in q["sql"]]
    assert not [q for q in warm.captured_queries if "org_staffprofile" in q["sql"]]
    assert len(warm.captured_queries) < len(cold.captured_queries)


def test_r_net_3_a_revoked_token_is_refused_at_once_though_remembered(client, net):
    token, key = api_token_create(actor=net.kangle_admin, name="临时")
    assert _get(client, key).status_code == 200
    api_token_revoke(actor=net.kangle_admin, token_id=token.pk)
    response = _get(client, key)
    assert response.status_code == 401 and response.json()["code"] == "auth.required"


def test_r_net_3_a_deactivated_user_or_lost_role_is_refused_at_once(client, net):
    _, key = api_token_create(actor=net.kangle_admin, name="临时")
    assert _get(client, key).status_code == 200
    net.kangle_admin.is_active = False
    net.kangle_admin.save(update_fields=["is_active"])
    assert _get(client, key).status_code == 401


def test_r_net_3_a_revocation_by_another_process_is_seen_within_the_ttl(client, net, monkeypatch):
    token, key = api_token_create(actor=net.kangle_admin, name="临时")
    assert _get(client, key).status_code == 200
    # Another process revokes it: nothing is said to this one (no signal here).
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    assert _get(client, key).status_code == 200  # still remembered …
    later = tokens.ttl_clock() + tokens.KEY_TTL + 0.001
    monkeypatch.setattr(tokens, "ttl_clock", lambda: later)
    assert _get(client, key).status_code == 401  # … but not past KEY_TTL


def test_r_net_3_a_remembered_client_key_keeps_its_region(client, net):
    _, key = api_client_create(actor=net.root, name="12345热线（康乐县）", region=net.kangle)
    for _ in range(2):
        body = client.get(CENTERS, HTTP_X_API_KEY=key).json()
        assert {c["code"] for c in body["items"]} == {"C622922", "C622922100"}
    assert client.get(CENTERS, HTTP_X_API_KEY="wrong").status_code == 401
