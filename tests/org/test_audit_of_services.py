"""R-SEC-1: every org and kernel service writes its audit row, in the same transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from onewindow.core.models import AuditEvent
from onewindow.core.tokens import api_client_create, api_token_create, api_token_revoke
from onewindow.org import services
from onewindow.org.models import Level, Region


def _last(action):
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def test_r_sec_1_region_department_and_line_creation_are_audited(net):
    region = services.region_create(
        actor=net.county_admin,
        code="622921101",
        name="土桥镇",
        level=Level.TOWNSHIP,
        parent=net.linxia,
        is_demo=True,
    )
    event = _last("region.create")
    assert event.actor == net.county_admin and event.target_id == str(region.pk)
    assert event.after["code"] == "622921101"
    line = services.department_line_create(
        actor=net.root, code="ylbz", name="医疗保障", body_suffix="医疗保障局"
    )
    assert _last("department_line.create").target_id == str(line.pk)
    dept = services.department_create(
        actor=net.county_admin, line=line, region=net.linxia, center=net.linxia_center
    )
    event = _last("department.create")
    assert event.department == dept and event.center == net.linxia_center
    assert event.after["name"] == "临夏县医疗保障局"


def test_r_sec_1_token_and_client_keys_are_audited_without_the_key(net):
    token, key = api_token_create(actor=net.clerk, name="叫号")
    api_token_revoke(actor=net.clerk, token_id=token.pk)
    client, client_key = api_client_create(actor=net.root, name="12345", region=net.pref)
    for action in ("api_token.create", "api_token.revoke", "api_client.create"):
        event = _last(action)
        assert event is not None
        assert key not in str(event.after) and client_key not in str(event.after)
        assert token.digest not in str(event.after)


def test_r_sec_1_a_failed_service_leaves_neither_change_nor_audit(net):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.region_create(
            actor=net.county_admin,
            code="622921102",
            name="尹集镇",
            level=Level.TOWNSHIP,
            parent=net.linxia,
        )
        raise RuntimeError("the caller's transaction fails afterwards")
    assert AuditEvent.objects.count() == before
    assert not Region.objects.filter(code="622921102").exists()
