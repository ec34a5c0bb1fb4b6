"""Home visits and the appointment slots through the API (R-HALL-6), by the same services
as the center administrator's pages and the portal's form: a visit asked for without an
account, assigned, visited, mailed, or cancelled; a day's slots added, cut from a
template and changed. Another county's administrator gets 404; bad input is a 4xx with
a code and changes nothing."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from onewindow.core.models import AuditEvent
from onewindow.hall.models import AppointmentSlot, HomeVisit
from tests.api_client import bearer, is_error

BASE = "/api/v1/hall"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


@pytest.fixture
def visits(hall, cat):
    hall.cat_a.matters.add(cat.matter)
    hall.matter = cat.matter
    return hall


def visit_body(net, **over) -> dict:
    return {
        "center_id": net.linxia_center.pk,
        "matter_id": net.matter.pk,
        "name": "马奶奶",
        "phone": "13800000001",
        "address": "韩集镇韩集村3社12号",
        "note": "行动不便",
        **over,
    }


def test_r_hall_6_api_home_visit_asked_assigned_visited_and_mailed(visits):
    answer = post(Client(), "/home-visits", visit_body(visits))
    assert answer.status_code == 201, answer.content
    visit = HomeVisit.objects.get(pk=answer.json()["id"])
    assert visit.state == "requested" and visit.phone == "13800000001"

    admin = bearer(visits.county_admin)
    listed = admin.get(f"{BASE}/centers/{visits.linxia_center.pk}/home-visits").json()
    assert [row["id"] for row in listed["items"]] == [visit.pk]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = {"staff_id": visits.clerk.pk, "visit_on": tomorrow}
    answer = post(admin, f"/home-visits/{visit.pk}/assign", body)
    assert answer.status_code == 200 and answer.json()["state"] == "assigned"
    assigned = bearer(visits.clerk)  # the person sent may mark it visited and mailed
    answer = post(assigned, f"/home-visits/{visit.pk}/visit", {"note": "已收取材料"})
    assert answer.status_code == 200 and answer.json()["state"] == "visited"
    answer = post(assigned, f"/home-visits/{visit.pk}/mail", {"tracking_number": "EMS 1234 5678"})
    assert answer.status_code == 200 and answer.json()["tracking_number"] == "EMS12345678"
    actions = AuditEvent.objects.filter(target_id=str(visit.pk), action__startswith="home_visit")
    assert list(actions.order_by("id").values_list("action", flat=True)) == [
        "home_visit.request",
        "home_visit.assign",
        "home_visit.visit",
        "home_visit.mail",
    ]
    assert is_error(post(admin, f"/home-visits/{visit.pk}/cancel", {"reason": "重复"}), 409)


def test_r_hall_6_r_sec_2_api_home_visit_scope_404_and_bad_input_changes_nothing(visits):
    anonymous = Client()
    before = HomeVisit.objects.count()
    assert is_error(post(anonymous, "/home-visits", visit_body(visits, phone="123")), 422)
    answer = post(anonymous, "/home-visits", visit_body(visits, matter_id=2**40))
    assert is_error(answer, 422, "home_visit.matter")
    assert is_error(post(anonymous, "/home-visits", visit_body(visits, center_id=999999)), 404)
    assert HomeVisit.objects.count() == before

    admin = bearer(visits.county_admin)
    answer = post(admin, f"/centers/{visits.linxia_center.pk}/home-visits", visit_body(visits))
    assert answer.status_code == 201, answer.content
    visit_id = answer.json()["id"]
    other = bearer(visits.kangle_admin)
    assert is_error(other.get(f"{BASE}/centers/{visits.linxia_center.pk}/home-visits"), 404)
    assert is_error(post(other, f"/home-visits/{visit_id}/cancel", {"reason": "看看"}), 404)
    body = {"staff_id": visits.township_clerk.pk, "visit_on": timezone.localdate().isoformat()}
    assert is_error(post(admin, f"/home-visits/{visit_id}/assign", body), 422, "home_visit.staff")
    assert is_error(post(admin, f"/home-visits/{visit_id}/cancel", {"reason": " "}), 422)
    assert HomeVisit.objects.get(pk=visit_id).state == "requested"
    answer = post(admin, f"/home-visits/{visit_id}/cancel", {"reason": "申请人已到大厅办理"})
    assert answer.status_code == 200 and answer.json()["state"] == "cancelled"


def test_r_hall_6_api_slots_added_changed_and_listed_with_their_bookings(visits):
    admin = bearer(visits.county_admin)
    center = visits.linxia_center.pk
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    body = {
        "category_id": visits.cat_a.pk,
        "day": day,
        "start": "09:00",
        "end": "09:30",
        "capacity": 5,
    }
    answer = post(admin, f"/centers/{center}/slots", body)
    assert answer.status_code == 201, answer.content
    slot = AppointmentSlot.objects.get(pk=answer.json()["id"])
    assert slot.start == time(9) and slot.capacity == 5
    answer = admin.patch(
        f"{BASE}/centers/{center}/slots/{slot.pk}",
        {"capacity": 8, "duty_staff_ids": [visits.clerk.pk]},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["duty_staff_ids"] == [visits.clerk.pk]
    listed = admin.get(f"{BASE}/centers/{center}/slots", {"day": day}).json()
    assert [s["capacity"] for s in listed["slots"]] == [8] and listed["bookings"] == []

    # extended hours need a duty roster; a staff member of another center is refused
    extended = {**body, "start": "12:00", "end": "12:30", "extended": True}
    assert is_error(post(admin, f"/centers/{center}/slots", extended), 422, "slot.duty_roster")
    foreign = {**extended, "duty_staff_ids": [visits.township_clerk.pk]}
    assert is_error(post(admin, f"/centers/{center}/slots", foreign), 422, "slot.duty_staff")
    assert is_error(
        post(admin, f"/centers/{center}/slots", {**body, "capacity": 0}), 422, "invalid_input"
    )
    assert AppointmentSlot.objects.count() == 1
    other = bearer(visits.kangle_admin)
    assert is_error(other.get(f"{BASE}/centers/{center}/slots", {"day": day}), 404)
    answer = other.patch(
        f"{BASE}/centers/{center}/slots/{slot.pk}", {"capacity": 1}, content_type="application/json"
    )
    assert is_error(answer, 404)
    assert AppointmentSlot.objects.get(pk=slot.pk).capacity == 8
