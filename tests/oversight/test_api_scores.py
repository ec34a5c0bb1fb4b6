"""The staff scores through the API (R-STAFF-3, R-SEC-2) on the staff-score tests' small
world (临夏县's center in November 2026, ``test_staff_scores.world``): the scores of a
month and a quarter give the figures of the page's selector, the month's 服务之星 and
红旗窗口 are published and the year's grades decided by the pages' services (audited),
优秀 over the quota is refused with the same code and changes nothing; another
county's center is 404, a write without the right 403."""

from __future__ import annotations

import pytest

from onewindow.core.audit import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.oversight.models import MonthHonours, StaffScoreSettings, YearGrades
from onewindow.oversight.selectors import staff_scores as sel
from onewindow.planning import staff_scores as rule
from tests.api_client import bearer, is_error
from tests.oversight import test_staff_scores as scores_world

pytestmark = pytest.mark.django_db
API = "/api/v1/staff/scores"

world = scores_world.world


def _json(client, method, path, body):
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json")


def _by_name(rows):
    return {r["person"]["name"]: r for r in rows}


def test_r_staff_3_api_scores_give_the_figures_of_the_page_selector(world):
    center = world.linxia_center
    admin = bearer(world.county_admin)
    for period in ("2026-11", "2026-Q4"):
        answer = admin.get(API, {"center_id": center.pk, "period": period})
        assert answer.status_code == 200, answer.content
        got = answer.json()
        found = sel.center_scores(center=center, period=sel.parse_period(period))
        assert got["period"]["code"] == period and got["formula"] == found.formula
        assert [(r["person"]["id"], r["rank"], r["total"]) for r in got["rows"]] == [
            (r.profile.pk, r.rank, r.score.total) for r in found.rows
        ]
        assert [r["person"]["id"] for r in got["rows"] if r["star"]] == [
            r.profile.pk for r in found.star_rows
        ]
        assert [(w["window_id"], w["score"], w["red_flag"]) for w in got["windows"]] == [
            (w.window.pk, w.score, w in found.flag_rows) for w in found.windows
        ]
    month = _by_name(admin.get(API, {"center_id": center.pk, "period": "2026-11"}).json()["rows"])
    clerk = month[str(world.clerk)]
    # the hand count of the page's tests: evaluation 75 − 5, efficiency 100
    assert (clerk["evaluation"]["score"], clerk["efficiency"]["score"]) == (70.0, 100.0)
    assert clerk["evaluation"]["words"].startswith("满意率 3/4=75.0%")
    assert clerk["inputs"]["tickets"] == 4 and clerk["active"]
    # a department head reads their department's people only; the ranking is the center's
    head = bearer(world.market_head).get(API, {"center_id": center.pk, "period": "2026-11"})
    assert set(_by_name(head.json()["rows"])) == {str(world.approver), str(world.chief_rep)}
    # one's own score
    mine = bearer(world.clerk).get(f"{API}/mine", {"period": "2026-11"}).json()
    assert mine["row"]["total"] == clerk["total"] and mine["center"]["id"] == center.pk


def test_r_staff_3_api_publishes_the_month_as_the_page_does(world):
    center = world.linxia_center
    body = {"center_id": center.pk, "month": "2026-11"}
    assert is_error(_json(bearer(world.county_supervisor), "post", "/honours", body), 403)
    assert is_error(_json(bearer(world.kangle_admin), "post", "/honours", body), 404)
    admin = bearer(world.county_admin)
    unfinished = {"center_id": center.pk, "month": "2099-01"}
    assert is_error(
        _json(admin, "post", "/honours", unfinished), 409, "staff_scores.month_unfinished"
    )
    assert is_error(_json(admin, "post", "/honours", {**body, "month": "2026-13"}), 422)
    assert not MonthHonours.objects.exists()
    found = sel.center_scores(center=center, period=sel.parse_period("2026-11"))
    answer = _json(admin, "post", "/honours", body)
    assert answer.status_code == 200, answer.content
    got = answer.json()
    assert [s["profile_id"] for s in got["stars"]] == [r.profile.pk for r in found.star_rows]
    assert [f["window_id"] for f in got["flags"]] == [w.window.pk for w in found.flag_rows]
    assert got["month"] == "2026-11" and MonthHonours.objects.get().pk == got["id"]
    assert AuditEvent.objects.filter(action="staff_scores.publish_month").count() == 1
    again = _json(admin, "post", "/honours", body).json()
    assert again == got and MonthHonours.objects.count() == 1
    listed = bearer(world.county_supervisor).get(f"{API}/honours", {"center_id": center.pk})
    assert [h["id"] for h in listed.json()["items"]] == [got["id"]]
    # Without a center: every center the caller sees, and nothing of another county.
    every = bearer(world.county_supervisor).get(f"{API}/honours").json()
    assert [h["id"] for h in every["items"]] == [got["id"]]
    assert bearer(world.kangle_admin).get(f"{API}/honours").json()["count"] == 0
    month = admin.get(API, {"center_id": center.pk, "period": "2026-11"}).json()
    assert month["published"]["id"] == got["id"] and not month["may_publish"]


def test_r_staff_3_api_year_grades_within_the_quota_and_over_it_refused(world):
    center = world.linxia_center
    admin = bearer(world.county_admin)
    got = admin.get(f"{API}/grades", {"center_id": center.pk, "year": 2026}).json()
    page = sel.grades_page(
        center=center, year=sel.parse_period("2026"), scope=scope_for(world.county_admin)
    )
    assert got["quota"] == page.proposal.quota and got["people"] == len(page.people)
    proposed = {r["person"]["id"]: r["proposed"] for r in got["rows"]}
    assert proposed == page.proposal.grades
    assert sum(g == rule.EXCELLENT for g in proposed.values()) <= got["quota"]
    best = [r["person"]["id"] for r in got["rows"]][: got["quota"] + 1]
    over = {**proposed, **dict.fromkeys(best, rule.EXCELLENT)}
    body = {
        "center_id": center.pk,
        "year": 2026,
        "grades": [{"profile_id": pk, "grade": g} for pk, g in over.items()],
    }
    assert is_error(_json(admin, "post", "/grades", body), 422, "staff_scores.over_quota")
    missing = {**body, "grades": body["grades"][1:]}
    assert is_error(_json(admin, "post", "/grades", missing), 422, "staff_scores.grades_missing")
    assert is_error(_json(bearer(world.county_supervisor), "post", "/grades", body), 403)
    assert is_error(_json(bearer(world.kangle_admin), "post", "/grades", body), 404)
    assert not YearGrades.objects.exists()
    assert not AuditEvent.objects.filter(action="staff_scores.grades_decide").exists()
    within = {**body, "grades": [{"profile_id": pk, "grade": g} for pk, g in proposed.items()]}
    answer = _json(admin, "post", "/grades", within)
    assert answer.status_code == 200, answer.content
    decided = YearGrades.objects.get(center=center, year=2026)
    assert {int(k): v["grade"] for k, v in decided.grades.items()} == proposed
    assert answer.json()["decided"] and answer.json()["decided_quota"] == decided.quota
    assert {r["profile_id"]: r["grade"] for r in answer.json()["decided_rows"]} == proposed
    assert AuditEvent.objects.filter(action="staff_scores.grades_decide").count() == 1


def test_r_staff_3_api_weights_set_through_the_settings_service(world):
    center = world.linxia_center
    admin = bearer(world.county_admin)
    bad = {"center_id": center.pk, "conduct": 30}  # 40 + 40 + 30 ≠ 100
    assert is_error(_json(admin, "put", "/settings", bad), 422, "staff_scores.bad_settings")
    assert is_error(_json(admin, "put", "/settings", {**bad, "star_count": 0}), 422)
    body = {"center_id": center.pk, "star_count": 1}
    assert is_error(_json(bearer(world.county_supervisor), "put", "/settings", body), 403)
    assert is_error(_json(bearer(world.kangle_admin), "put", "/settings", body), 404)
    assert not StaffScoreSettings.objects.filter(center=center).exists()
    answer = _json(admin, "put", "/settings", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["weights"]["star_count"] == 1
    assert sel.weights_for(center).star_count == 1
    assert AuditEvent.objects.filter(action="staff_scores.settings_set").count() == 1
    read = admin.get(f"{API}/settings", {"center_id": center.pk}).json()
    assert read == answer.json()


def test_r_sec_2_api_scores_bad_input_scope_and_rights(world):
    pk = world.linxia_center.pk
    admin = bearer(world.county_admin)
    for period in ("2026-13", "2026-Q5", "abc"):
        assert is_error(admin.get(API, {"center_id": pk, "period": period}), 422), period
    assert is_error(admin.get(API, {"center_id": pk, "period": "1999"}), 422, "period.invalid")
    assert is_error(admin.get(f"{API}/grades", {"center_id": pk, "year": 1999}), 422)
    kangle = bearer(world.kangle_admin)
    for path in ("", "/grades", "/honours", "/settings"):
        assert is_error(kangle.get(f"{API}{path}", {"center_id": pk}), 404), path
        # a clerk reads no center's scores (only their own)
        assert is_error(bearer(world.clerk).get(f"{API}{path}", {"center_id": pk}), 404), path
    # the supervisor reads the scores but not the weights
    assert bearer(world.county_supervisor).get(API, {"center_id": pk}).status_code == 200
    assert is_error(bearer(world.county_supervisor).get(f"{API}/settings", {"center_id": pk}), 404)
    assert is_error(bearer(world.kangle_admin).get(f"{API}/mine"), 404)
