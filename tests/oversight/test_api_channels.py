"""§18 through the API: a center's complaint channels read and set by its administrator
(as the page 投诉渠道), read by anyone by the center's code as the public page shows
them; another county's center is a 404, a clerk is refused, a text too long a 422 that
changes nothing (R-SEC-2)."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.core.models import AuditEvent
from onewindow.oversight.models import ComplaintChannels
from tests.api_client import bearer, is_error

pytestmark = pytest.mark.django_db
API = "/api/v1/hall"

BODY = {
    "office": "临夏县政务服务中心督查室",
    "reception_place": "一楼大厅东侧投诉接待室",
    "reception_hours": "工作日 9:00–17:00",
    "box_location": "大厅入口",
    "phone": "0930-1234567",
}


def put(client, center, body):
    return client.put(
        f"{API}/centers/{center.pk}/complaint-channels", body, content_type="application/json"
    )


def test_complaint_channels_set_in_scope_and_read_by_the_public(net):
    admin, kangle, clerk = bearer(net.county_admin), bearer(net.kangle_admin), bearer(net.clerk)
    center = net.linxia_center
    empty = admin.get(f"{API}/centers/{center.pk}/complaint-channels")
    assert empty.status_code == 200, empty.content
    assert empty.json()["published"] is False and empty.json()["office"] == ""

    # another county's administrator, a clerk, a text too long, a bad id: nothing changed
    assert is_error(kangle.get(f"{API}/centers/{center.pk}/complaint-channels"), 404)
    assert is_error(put(kangle, center, BODY), 404)
    assert is_error(clerk.get(f"{API}/centers/{center.pk}/complaint-channels"), 404)
    assert is_error(put(clerk, center, BODY), 403)
    assert is_error(put(admin, center, {**BODY, "phone": "1" * 51}), 422, "invalid_input")
    assert is_error(admin.get(f"{API}/centers/0/complaint-channels"), 422, "invalid_input")
    assert not ComplaintChannels.objects.exists()

    done = put(admin, center, BODY)
    assert done.status_code == 200, done.content
    assert done.json()["published"] is True
    assert {k: done.json()[k] for k in BODY} == BODY
    row = ComplaintChannels.objects.get(center=center)
    assert row.phone == BODY["phone"]
    assert AuditEvent.objects.filter(action="complaint_channels.update").count() == 1

    public = Client().get(f"{API}/complaint-channels/{center.code}")
    assert public.status_code == 200
    assert {k: public.json()[k] for k in BODY} == BODY
    assert public.json()["center"] == center.name
    assert is_error(Client().get(f"{API}/complaint-channels/NOPE"), 404)

    cleared = put(admin, center, {"office": "督查室"})
    assert cleared.json()["phone"] == "" and cleared.json()["office"] == "督查室"
