"""`load-demo --if-empty` leaves a database that already has a network alone."""

import io

import pytest
from django.core.management import call_command

from onewindow.core.models import AuditEvent
from onewindow.org.models import Center, Region, StaffProfile

pytestmark = pytest.mark.django_db


def test_load_demo_if_empty_does_nothing_when_regions_exist(net):
    before = [m.objects.count() for m in (Region, Center, StaffProfile, AuditEvent)]
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert [m.objects.count() for m in (Region, Center, StaffProfile, AuditEvent)] == before
    assert "未载入演示数据" in out.getvalue()
    assert "演示账号" not in out.getvalue()
