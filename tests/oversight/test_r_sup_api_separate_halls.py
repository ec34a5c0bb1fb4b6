"""只进一扇门 through the API (R-CAT-3, R-SUP-4, R-NET-3): the register's rows as its page
lists them, a hall recorded and closed through the same services (audited), bad input a
4xx with nothing changed, another county's hall 404, a reader who does not keep it 403."""

from __future__ import annotations

import datetime as dt

from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.oversight.models import SeparateHall
from onewindow.oversight.selectors.separate_halls import halls_for
from tests.api_client import bearer, is_error
from tests.catalog.conftest import cat  # noqa: F401
from tests.oversight.test_separate_halls import TODAY, world  # noqa: F401

BASE = "/api/v1/oversight/separate-halls"


def ids(answer) -> set[int]:
    assert answer.status_code == 200, answer.content
    return {row["id"] for row in answer.json()["items"]}


def test_r_cat_3_api_lists_the_register_as_its_page(world):  # noqa: F811
    admin = bearer(world.county_admin)
    expected = set(halls_for(scope=scope_for(world.county_admin)).values_list("pk", flat=True))
    assert ids(admin.get(BASE)) == expected
    assert world.h_kangle.pk not in expected
    assert ids(admin.get(BASE, {"state": "overdue"})) == {world.h_overdue.pk}
    assert ids(admin.get(BASE, {"state": "closed"})) == {world.h_closed.pk, world.h_old.pk}
    row = admin.get(f"{BASE}/{world.h_overdue.pk}").json()
    assert (row["status_label"], row["is_overdue"], row["matters_count"]) == ("逾期未撤并", True, 3)
    assert is_error(admin.get(BASE, {"state": "gone"}), 422, "separate_hall.bad_state")
    assert ids(bearer(world.pref_admin).get(BASE)) >= expected | {world.h_kangle.pk}


def test_r_cat_3_api_records_and_closes_a_hall_and_refuses_bad_input(world):  # noqa: F811
    admin = bearer(world.county_admin)
    body = {
        "department_id": world.linxia_police.pk,
        "name": "出入境大厅",
        "address": "某路",
        "matters_count": 2,
        "reason": "专网",
        "planned_close": (TODAY + dt.timedelta(days=5)).isoformat(),
    }
    before = SeparateHall.objects.count()
    for changes, status, code in [
        ({"matters_count": -1}, 422, "invalid_input"),
        ({"reason": "  "}, 422, "separate_hall.invalid"),
        ({"name": "车管所大厅"}, 409, "separate_hall.exists"),
        ({"planned_close": "2026-02-30"}, 422, "invalid_input"),
        ({"department_id": world.kangle_market.pk}, 404, "department.not_found"),
    ]:
        answer = admin.post(BASE, {**body, **changes}, content_type="application/json")
        assert is_error(answer, status, code), (changes, answer.content)
    assert SeparateHall.objects.count() == before

    answer = admin.post(BASE, body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    made = SeparateHall.objects.get(pk=answer.json()["id"])
    assert (made.name, made.matters_count, made.closed_on) == ("出入境大厅", 2, None)
    assert AuditEvent.objects.filter(action="separate_hall.record", target_id=str(made.pk)).exists()

    close = f"{BASE}/{made.pk}/close"
    future = {"closed_on": (TODAY + dt.timedelta(days=400)).isoformat()}
    assert is_error(admin.post(close, future, content_type="application/json"), 422)
    made.refresh_from_db()
    assert made.closed_on is None
    answer = admin.post(close, {}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status_label"] == "已撤并"
    made.refresh_from_db()
    assert made.closed_on is not None
    assert AuditEvent.objects.filter(action="separate_hall.close", target_id=str(made.pk)).exists()
    again = admin.post(close, {}, content_type="application/json")
    assert is_error(again, 409, "separate_hall.closed")


def test_r_net_3_api_another_county_404_a_reader_403(world):  # noqa: F811
    kangle = bearer(world.kangle_admin)
    hall = world.h_overdue
    assert is_error(kangle.get(f"{BASE}/{hall.pk}"), 404, "separate_hall.not_found")
    answer = kangle.post(f"{BASE}/{hall.pk}/close", {}, content_type="application/json")
    assert is_error(answer, 404, "separate_hall.not_found")
    pref = bearer(world.pref_admin)
    assert pref.get(f"{BASE}/{hall.pk}").status_code == 200
    answer = pref.post(f"{BASE}/{hall.pk}/close", {}, content_type="application/json")
    assert is_error(answer, 403, "separate_hall.forbidden")
    clerk = bearer(world.clerk)
    assert is_error(clerk.get(BASE), 403, "separate_hall.forbidden")
    hall.refresh_from_db()
    assert hall.closed_on is None
