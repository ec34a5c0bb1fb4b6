"""Window planning through the API (R-HALL-4, R-SEC-2) on the planning tests' small world
(three Mondays of tickets at 临夏县, ``test_planning.world``): the plan of a day gives
the figures of the page's selector, the live suggestion is applied through the window
service and the roster set through the page's service (both audited); bad input is a
4xx that changes nothing, another county's center is 404, a write without the right
403."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.hall import states
from onewindow.hall.models import ServiceCategory
from onewindow.oversight.models import RosterSlot
from onewindow.oversight.selectors import planning as sel
from onewindow.oversight.selectors import planning_panels as panels
from onewindow.planning.plan import Target
from tests.api_client import bearer, is_error
from tests.oversight import test_planning as planning_world

pytestmark = pytest.mark.django_db
API = "/api/v1/hall/planning"
NEXT_MONDAY = planning_world.NEXT_MONDAY

world = planning_world.world


def _json(client, method, path, body):
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json")


def test_r_hall_4_api_day_plan_gives_the_figures_of_the_page_selector(world):
    caches["shared"].clear()
    pk = world.linxia_center.pk
    answer = bearer(world.county_admin).get(
        API, {"center_id": pk, "day": NEXT_MONDAY, "within": 15, "share": 80}
    )
    assert answer.status_code == 200, answer.content
    got = answer.json()
    dp = sel.day_plan(
        scope=scope_for(world.county_admin), center_id=pk, day=NEXT_MONDAY, target=Target(15, 0.8)
    )
    assert (got["center"]["id"], got["day"], got["basis"]) == (pk, "2026-12-07", "星期一")
    assert [(c["letter"], c["issued"], c["no_show"]) for c in got["categories"]] == [
        ("A", 13, 1),
        ("B", 6, 0),
    ]
    assert [s["start"] for s in got["slots"]] == [s.label for s in dp.slots]
    assert [(s["clerks"], s["opened"], s["roster_source"]) for s in got["slots"]] == [
        (s.clerks, s.opened, s.roster_source) for s in dp.slots
    ]
    nine = next(s for s in got["slots"] if s["start"] == "09:00")
    # 26/3 A in the hour less the one no-show in 13: 8 an hour; 4 B.
    assert [c["arrivals_per_hour"] for c in nine["cells"]] == pytest.approx([8, 4])
    heat = panels.heat_rows(dp)
    index = [s.label for s in dp.slots].index("09:00")
    assert [c["text"] for c in nine["cells"]] == [r.recommended[index].text for r in heat]
    assert [(w["label"], w["today"], w["slots"]) for w in got["windows"]] == [
        (r.label, r.today, r.slots) for r in panels.window_rows(dp)
    ]
    assert [(w["label"], w["worst_within"], w["meets"]) for w in got["what_ifs"]] == [
        (w.label, w.worst_within, w.meets) for w in panels.what_if_rows(dp)
    ]
    assert got["what_ifs"][0]["key"] == "recommended"
    assert got["changes"] == dp.changes and got["peak"] == dp.peak.label
    assert len(got["forecast"]) == 2 and got["forecast"][0]["days"][-1]["actual"] == 4


def test_r_hall_4_api_live_suggestion_is_applied_through_the_window_service(world):
    today = timezone.localdate()
    for k in range(12):  # a crowd waiting for A, which one window serves
        planning_world.ticket(
            world.w2, world.cat_a, today, 100 + k, timezone.now(), state=states.WAITING
        )
    pk = world.linxia_center.pk
    supervisor = bearer(world.county_supervisor)
    live = supervisor.get(f"{API}/live", {"center_id": pk}).json()
    rows, s, over = sel.live_suggestion(
        scope=scope_for(world.county_supervisor), center_id=pk, target=Target()
    )
    assert live["over"] is over is True and live["may_apply"] is False
    assert {r["label"]: r["waiting"] for r in live["rows"]}["A 企业开办"] == 12
    assert live["suggestion"]["window_id"] == s.window.pk
    chosen = [c["id"] for c in live["suggestion"]["categories"]]
    assert chosen == [c.pk for c in s.categories]
    before = set(s.window.categories.all())
    events = AuditEvent.objects.filter(action="window.set_categories", target_id=str(s.window.pk))
    audited = events.count()
    body = {"window_id": s.window.pk, "category_ids": chosen}
    # A supervisor reads but does not apply; another county's administrator finds nothing.
    assert is_error(_json(supervisor, "post", "/apply", body), 403, "planning.forbidden")
    assert is_error(_json(bearer(world.kangle_admin), "post", "/apply", body), 404)
    foreign = ServiceCategory.objects.create(center=world.kangle_center, letter="K", name="外")
    bad = {"window_id": s.window.pk, "category_ids": [*chosen, foreign.pk]}
    admin = bearer(world.county_admin)
    assert is_error(_json(admin, "post", "/apply", bad), 422, "planning.bad_category")
    assert is_error(_json(admin, "post", "/apply", {**body, "category_ids": []}), 422)
    assert set(s.window.categories.all()) == before
    assert events.count() == audited
    applied = _json(admin, "post", "/apply", body)
    assert applied.status_code == 200, applied.content
    assert [c["id"] for c in applied.json()["categories"]] == sorted(
        chosen, key=lambda i: ServiceCategory.objects.get(pk=i).letter
    )
    assert set(s.window.categories.all()) == set(s.categories)
    assert events.count() == audited + 1 and events.latest("pk").actor == world.county_admin


def test_r_hall_4_api_roster_is_read_and_set_as_the_page_sets_it(world):
    pk = world.linxia_center.pk
    admin = bearer(world.county_admin)
    read = admin.get(f"{API}/roster", {"center_id": pk}).json()
    starts = [
        s.strftime("%H:%M")
        for s in sel.roster_starts(scope=scope_for(world.county_admin), center_id=pk)
    ]
    assert [s["start"] for s in read["slots"]] == starts and read["may_set"]
    assert all(s["clerks"] is None for s in read["slots"])
    body = {"center_id": pk, "slots": [{"start": "09:00", "clerks": 1}]}
    # Refused, nothing changed: a half hour the hall is closed, a negative figure, a
    # reader without the right, another county's administrator.
    closed = {"center_id": pk, "slots": [{"start": "03:00", "clerks": 1}]}
    assert is_error(_json(admin, "put", "/roster", closed), 422, "planning.bad_roster")
    negative = {"center_id": pk, "slots": [{"start": "09:00", "clerks": -1}]}
    assert is_error(_json(admin, "put", "/roster", negative), 422, "invalid_input")
    assert is_error(_json(bearer(world.county_supervisor), "put", "/roster", body), 403)
    assert is_error(_json(bearer(world.kangle_admin), "put", "/roster", body), 404)
    assert not RosterSlot.objects.filter(center_id=pk).exists()
    assert not AuditEvent.objects.filter(action="planning_roster.set")
    answer = _json(admin, "put", "/roster", body)
    assert answer.status_code == 200, answer.content
    assert dict(RosterSlot.objects.filter(center_id=pk).values_list("start", "clerks")) == {
        time(9, 0): 1
    }
    event = AuditEvent.objects.get(action="planning_roster.set")
    assert event.actor == world.county_admin and event.after == {"roster": {"09:00": 1}}
    assert {s["start"]: s["clerks"] for s in answer.json()["slots"]}["09:00"] == 1
    plan = admin.get(API, {"center_id": pk, "day": NEXT_MONDAY}).json()
    nine = next(s for s in plan["slots"] if s["start"] == "09:00")
    assert (nine["clerks"], nine["roster_source"], nine["opened"]) == (1, "set", 1)
    # The whole roster is what is sent: an empty body clears it, as the page's empty form.
    assert _json(admin, "put", "/roster", {"center_id": pk, "slots": []}).status_code == 200
    assert not RosterSlot.objects.filter(center_id=pk).exists()


def test_r_sec_2_api_planning_bad_input_scope_and_rights(world):
    pk = world.linxia_center.pk
    admin = bearer(world.county_admin)
    for query in (
        {"within": "abc"},
        {"share": 150},
        {"churn": 50},
        {"day": "2026-13-01"},
        {"center_id": 0},
    ):
        assert is_error(admin.get(API, {"center_id": pk, **query}), 422, "invalid_input"), query
    assert is_error(
        admin.get(API, {"center_id": pk, "day": "1900-01-01"}), 422, "planning.bad_date"
    )
    # The page answers the same day with the same message (it was a server error).
    page = Client()
    page.force_login(world.county_admin)
    answer = page.get(reverse("oversight:planning") + "?day=0001-01-01")
    assert answer.status_code == 422 and "日期应在2000年至2100年之间" in answer.content.decode()
    kangle = bearer(world.kangle_admin)
    for path in ("", "/live", "/roster"):
        assert is_error(kangle.get(f"{API}{path}", {"center_id": pk}), 404), path
        # a clerk has no planning page: not found
        assert is_error(bearer(world.clerk).get(f"{API}{path}"), 404), path
