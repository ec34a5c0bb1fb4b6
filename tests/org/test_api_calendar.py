"""R-CASE-4 through the API: a center's working days with their reasons (the official
2026 National Day schedule, the adjusted Saturday, a local closure); local adjustments
kept by the calendar's administrators with the page's rules; bad input is a 4xx that
changes nothing."""

from __future__ import annotations

from django.test import Client

from onewindow.core.models import AuditEvent, CalendarOverride
from tests.api_client import bearer

BASE = "/api/v1/calendar"


def days(client, center, start, end):
    return client.get(f"{BASE}/centers/{center.pk}/days", {"from": start, "to": end})


def test_r_case_4_api_days_of_a_center_with_their_reasons(net):
    answer = days(Client(), net.linxia_center, "2026-09-30", "2026-10-10")
    assert answer.status_code == 200, answer.content
    by_day = {d["date"]: d for d in answer.json()}
    assert len(by_day) == 11
    assert by_day["2026-09-30"]["workday"] is True
    assert by_day["2026-10-01"]["workday"] is False and by_day["2026-10-01"]["kind"] == "holiday"
    assert [d for d, v in by_day.items() if v["workday"]] == [
        "2026-09-30",
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
    ]
    assert by_day["2026-10-10"]["kind"] == "adjusted_workday"


def test_r_case_4_api_local_closure_by_the_county_admin(net):
    admin = bearer(net.county_admin)
    body = {
        "date": "2030-01-08",
        "is_workday": False,
        "reason": "大雪封路",
        "region_id": net.linxia.pk,
    }
    answer = admin.post(f"{BASE}/overrides", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert (created["region"], created["is_workday"]) == ("临夏县", False)
    assert AuditEvent.objects.filter(action="calendar_override.create").count() == 1

    linxia = {
        d["date"]: d for d in days(Client(), net.linxia_center, "2030-01-07", "2030-01-09").json()
    }
    kangle = {
        d["date"]: d for d in days(Client(), net.kangle_center, "2030-01-07", "2030-01-09").json()
    }
    assert linxia["2030-01-08"]["workday"] is False and linxia["2030-01-08"]["name"] == "大雪封路"
    assert kangle["2030-01-08"]["workday"] is True

    again = admin.post(f"{BASE}/overrides", body, content_type="application/json")
    assert again.status_code == 409
    assert [o["id"] for o in admin.get(f"{BASE}/overrides").json()] == [created["id"]]
    # another county's administrator neither sees nor deletes it
    other = bearer(net.kangle_admin)
    assert other.get(f"{BASE}/overrides").json() == []
    assert other.delete(f"{BASE}/overrides/{created['id']}").status_code == 404
    assert admin.delete(f"{BASE}/overrides/{created['id']}").status_code == 204
    assert not CalendarOverride.objects.exists()


def test_r_case_4_api_calendar_bad_input_changes_nothing(net):
    for query in (
        {"from": "2026-10-10", "to": "2026-10-01"},
        {"from": "2026-01-01", "to": "2028-01-01"},
        {"from": "nonsense", "to": "2026-10-01"},
        {"from": "2026-10-01"},
    ):
        answer = Client().get(f"{BASE}/centers/{net.linxia_center.pk}/days", query)
        assert answer.status_code == 422, (query, answer.status_code)
        assert set(answer.json()) == {"code", "message", "fields"}
    assert days(Client(), net.linxia_center, "2026-10-01", "2026-10-02").status_code == 200
    assert Client().get(f"{BASE}/centers/36893488147419103233/days").status_code == 422

    clerk = bearer(net.clerk)
    body = {"date": "2030-01-08", "is_workday": False, "reason": "大雪"}
    assert clerk.post(f"{BASE}/overrides", body, content_type="application/json").status_code == 403
    admin = bearer(net.county_admin)
    no_change = {
        "date": "2030-01-08",
        "is_workday": True,
        "reason": "照常",
        "region_id": net.linxia.pk,
    }
    answer = admin.post(f"{BASE}/overrides", no_change, content_type="application/json")
    assert (answer.status_code, answer.json()["code"]) == (422, "calendar.override_no_change")
    assert (
        Client().post(f"{BASE}/overrides", body, content_type="application/json").status_code == 401
    )
    assert not CalendarOverride.objects.exists()
