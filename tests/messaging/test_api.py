"""R-MSG-1 through the API: the parked messages of the caller's scope read (phone masked,
each attempt, the counts by state) and one sent again, as the page does; another
county's message is a 404, a message not parked a 409, bad input a 422, nothing changed
(R-SEC-2)."""

from __future__ import annotations

import pytest

from onewindow.core.models import AuditEvent
from onewindow.messaging.models import Attempt, Message
from tests.api_client import bearer, is_error

pytestmark = pytest.mark.django_db
API = "/api/v1/messages"
PHONE = "13909301234"


def _parked(key, center, **kw):
    m = Message.objects.create(
        key=key,
        channel="sms",
        template="case_ready",
        body=f"办件{key}已办结。",
        phone=PHONE,
        center=center,
        state=kw.pop("state", Message.State.PARKED),
        attempts=5,
        failures=5,
        last_error="HTTP 500",
        **kw,
    )
    for n in range(1, 3):
        Attempt.objects.create(message=m, number=n, worker="w1", ok=False, answer="HTTP 500")
    return m


def test_r_msg_1_api_parked_messages_listed_in_scope_and_sent_again(net):
    ours = _parked("ours", net.linxia_center)
    theirs = _parked("theirs", net.kangle_center)
    sent = _parked("sent", net.linxia_center, state=Message.State.SENT)
    admin, kangle, clerk = bearer(net.county_admin), bearer(net.kangle_admin), bearer(net.clerk)

    listed = admin.get(f"{API}/parked")
    assert listed.status_code == 200, listed.content
    body = listed.json()
    assert body["count"] == 1 and body["counts"] == {"parked": 1, "sent": 1}
    (row,) = body["items"]
    assert (row["id"], row["recipient"], row["last_error"]) == (ours.pk, "139****1234", "HTTP 500")
    assert [a["number"] for a in row["tried"]] == [1, 2]
    assert row["center"] == net.linxia_center.name
    assert [r["id"] for r in kangle.get(f"{API}/parked").json()["items"]] == [theirs.pk]
    assert is_error(clerk.get(f"{API}/parked"), 404)
    assert is_error(admin.get(f"{API}/parked?limit=0"), 422, "invalid_input")
    assert is_error(admin.get(f"{API}/parked?offset=-1"), 422, "invalid_input")

    # another county's message, one not parked, a clerk, a bad id: refused, nothing changed
    assert is_error(kangle.post(f"{API}/parked/{ours.pk}/retry"), 404, "message.not_found")
    assert is_error(admin.post(f"{API}/parked/{sent.pk}/retry"), 409, "message.not_parked")
    assert is_error(clerk.post(f"{API}/parked/{ours.pk}/retry"), 403, "message.forbidden")
    assert is_error(admin.post(f"{API}/parked/0/retry"), 422, "invalid_input")
    assert is_error(admin.post(f"{API}/parked/{2**70}/retry"), 422, "invalid_input")
    ours.refresh_from_db()
    assert ours.state == Message.State.PARKED
    assert not AuditEvent.objects.filter(action="message.retry").exists()

    again = admin.post(f"{API}/parked/{ours.pk}/retry")
    assert again.status_code == 200, again.content
    assert (again.json()["state"], again.json()["failures"]) == ("pending", 0)
    ours.refresh_from_db()
    assert (ours.state, ours.failures) == (Message.State.PENDING, 0)
    assert AuditEvent.objects.filter(action="message.retry", actor=net.county_admin).count() == 1
    assert admin.get(f"{API}/parked").json()["count"] == 0
    assert is_error(admin.post(f"{API}/parked/{ours.pk}/retry"), 409, "message.not_parked")
