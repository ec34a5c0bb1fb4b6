"""R-HALL-6 through the API: a center's opening hours and summer dates read and replaced
by its administrator, each period parsed by the page's form and set by the page's
service; another county's administrator gets 404; overlapping periods, a weekend period
that is not extended service, another center's category or bad input are a 422 that
changes nothing (R-SEC-2)."""

from __future__ import annotations

from datetime import time

import pytest

from onewindow.core.models import AuditEvent
from onewindow.hall import hours
from onewindow.hall.models import HallSchedule
from tests.api_client import bearer, is_error

pytestmark = pytest.mark.django_db


def period(weekdays, start, end, **kw):
    return {"weekdays": list(weekdays), "start": start, "end": end, **kw}


def test_r_hall_6_api_opening_hours_read_and_replaced_in_scope(hall, cat):
    center = hall.linxia_center
    url = f"/api/v1/hall/centers/{center.pk}/hours"
    admin, kangle = bearer(hall.county_admin), bearer(hall.kangle_admin)

    def put(client, *periods, **extra):
        return client.put(url, {"periods": list(periods), **extra}, content_type="application/json")

    first = admin.get(url)
    assert first.status_code == 200, first.content
    assert first.json()["stored"] is False
    assert "周一至周五 9:00-12:00，14:00-17:00" in first.json()["lines"]

    morning = period(range(5), "09:00", "12:00")
    assert is_error(kangle.get(url), 404) and is_error(put(kangle, morning), 404)
    assert is_error(put(admin, morning, period([0], "11:00", "13:00")), 422)  # overlap
    assert is_error(put(admin, period([5], "09:00", "12:00")), 422)  # weekend, not extended
    assert is_error(put(admin), 422)  # no period
    assert is_error(put(admin, period([9], "09:00", "12:00")), 422, "form.invalid")
    assert is_error(put(admin, morning, summer_start="5-1"), 422, "invalid_input")
    assert is_error(put(admin, morning, summer_start="13-45"), 422)
    assert is_error(
        put(admin, morning, period([5], "09:00", "12:00", extended=True, categories=[2**40])), 422
    )
    assert not HallSchedule.objects.exists()
    assert not AuditEvent.objects.filter(action="hall_schedule.set").exists()

    saved = put(
        admin,
        morning,
        period(range(5), "14:30", "17:30", season="summer"),
        period(range(5), "14:00", "17:00", season="winter"),
        period([5], "09:00", "12:00", extended=True, categories=[hall.cat_a.pk]),
        summer_start="05-15",
        summer_end="09-15",
    )
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["stored"] is True and (body["summer_start"], body["summer_end"]) == (
        "05-15",
        "09-15",
    )
    assert "周六 9:00-12:00 错时延时服务（企业开办）" in body["lines"]
    weekend = [p for p in body["periods"] if p["weekdays"] == [5]]
    assert weekend[0]["extended"] is True and weekend[0]["categories"] == [hall.cat_a.pk]
    sched = hours.schedule_for(center)
    assert {(p.start, p.season) for p in sched.periods} >= {(time(14), "winter")}
    assert admin.get(url).json() == body
    assert AuditEvent.objects.filter(action="hall_schedule.set").count() == 1
