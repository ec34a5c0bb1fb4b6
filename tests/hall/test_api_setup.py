"""R-HALL-1, R-HALL-5, R-NET-3 through the API: a center administrator sets up the hall
as on its pages — a category and a window added and changed, a window stopped, a
clerk's authorisation granted and taken back — by the pages' forms and services;
another county's administrator, or someone who administers no center, gets 404; bad
input is a 4xx with its code that changes nothing (R-SEC-2)."""

from __future__ import annotations

import pytest

from onewindow.core.models import AuditEvent
from onewindow.hall.models import ServiceCategory, Window
from onewindow.hall.selectors.windows import authorized
from tests.api_client import bearer, is_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(hall, cat):
    hall.cat_a.matters.add(hall.matter)
    return hall


def post(client, path, body=None):
    return client.post(f"/api/v1/hall{path}", body or {}, content_type="application/json")


def test_r_hall_1_api_admin_adds_and_changes_windows_and_categories_in_scope(setup):
    hall = setup
    center = f"/centers/{hall.linxia_center.pk}"
    admin, kangle = bearer(hall.county_admin), bearer(hall.kangle_admin)
    overview = admin.get(f"/api/v1/hall{center}/setup")
    assert overview.status_code == 200
    assert {w["number"] for w in overview.json()["windows"]} == {1, 2, 3}
    assert kangle.get(f"/api/v1/hall{center}/setup").status_code == 404
    assert bearer(hall.clerk).get(f"/api/v1/hall{center}/setup").status_code == 404

    category = {"letter": "C", "name": "不动产", "matters": [hall.matter.pk], "order": 3}
    assert is_error(post(kangle, f"{center}/categories", category), 404)
    made = post(admin, f"{center}/categories", category)
    assert made.status_code == 201, made.content
    assert made.json()["matters"] == [hall.matter.pk] and made.json()["needs_clerk"] is True
    cat_c = made.json()["id"]
    categories = ServiceCategory.objects.count()
    assert post(admin, f"{center}/categories", category).status_code in (409, 422)
    assert ServiceCategory.objects.count() == categories

    window = {"number": 9, "kind": "comprehensive", "scope": "unrestricted", "pace": "instant"}
    foreign = ServiceCategory.objects.create(center=hall.kangle_center, letter="A", name="康乐")
    refused = post(admin, f"{center}/windows", {**window, "categories": [foreign.pk]})
    assert is_error(refused, 422, "form.invalid") and "categories" in refused.json()["fields"]
    taken = post(admin, f"{center}/windows", {**window, "number": 1})
    assert is_error(taken, 422, "window.number_taken")
    assert not Window.objects.filter(number=9).exists()
    added = post(admin, f"{center}/windows", {**window, "categories": [cat_c]})
    assert added.status_code == 201, added.content
    wid = added.json()["id"]
    assert added.json()["categories"] == [cat_c]
    assert is_error(post(kangle, f"{center}/windows/{wid}", window), 404)
    changed = post(admin, f"{center}/windows/{wid}", {**window, "number": 10, "name": "不动产"})
    assert changed.status_code == 200 and changed.json()["number"] == 10
    stopped = post(admin, f"{center}/windows/{wid}/active", {"active": False})
    assert stopped.status_code == 200 and stopped.json()["is_active"] is False
    other = f"/centers/{hall.kangle_center.pk}/windows/{wid}/active"
    assert is_error(post(admin, other, {"active": True}), 404)
    assert AuditEvent.objects.filter(action="window.create").count() == 1


def test_r_hall_5_api_admin_grants_and_revokes_a_clerk_s_authorisation(setup):
    hall = setup
    path = f"/centers/{hall.linxia_center.pk}/clerks/{hall.clerk2.pk}/authorizations"
    admin = bearer(hall.county_admin)
    assert admin.get(f"/api/v1/hall{path}").json() == []
    assert is_error(post(bearer(hall.kangle_admin), path, {"matter_id": hall.matter.pk}), 404)
    assert is_error(post(admin, path, {"matter_id": 987654}), 422, "form.invalid")
    assert not authorized(hall.clerk2, hall.matter)
    granted = post(admin, path, {"matter_id": hall.matter.pk, "may_decide": True})
    assert granted.status_code == 201, granted.content
    assert granted.json() == [
        {"matter_id": hall.matter.pk, "matter": hall.matter.name, "may_decide": True}
    ]
    assert authorized(hall.clerk2, hall.matter, decide=True)
    revoked = post(admin, f"{path}/revoke", {"matter_id": hall.matter.pk})
    assert revoked.status_code == 200 and revoked.json() == []
    assert not authorized(hall.clerk2, hall.matter)
    again = post(admin, f"{path}/revoke", {"matter_id": hall.matter.pk})
    assert is_error(again, 404, "authorization.not_found")
