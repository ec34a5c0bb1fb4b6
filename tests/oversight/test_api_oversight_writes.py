"""R-SUP-1..3, R-HALL-8, R-EVAL-3 through the API, what the pages do: the duty roster
(add, remove, the admin desk's sign-in and sign-out, a forgotten sign-out), the desk's
QR code and the sign-in with it, the county's duty setting, a walk through a process;
hall zones, facilities and free services counted; an indicator's threshold; the
levels' weights, the red and black list's publication and an abuse finding; the
reviews' statistics; a machine client reading statistics and consultations of its
region. Each by the page's service or selector; outside the caller's scope 404; bad
input a 4xx with its code that changes nothing (R-SEC-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from onewindow.complaints.services import inquiries
from onewindow.core.tokens import api_client_create
from onewindow.evaluation.models import Review
from onewindow.oversight.models import (
    AbuseFinding,
    CountyDutySetting,
    DutyPost,
    DutySitting,
    Facility,
    FreeServiceCount,
    HallZone,
    IndicatorThreshold,
    ProcessWalk,
    RedBlackList,
)
from onewindow.oversight.models.levels import LevelWeights
from onewindow.oversight.selectors.levels import MEASURES
from tests.api_client import bearer, is_error

pytestmark = pytest.mark.django_db
API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def _head_on_roster(n, admin):
    body = {
        "center_id": n.linxia_center.pk,
        "leader_id": n.market_head.staff_profile.pk,
        "kind": "head",
    }
    return post(admin, "/duty/roster", body)


def test_r_sup_1_api_roster_and_the_admin_desk_in_scope(world):
    n = world
    admin, kangle = bearer(n.county_admin), bearer(n.kangle_admin)
    body = {"center_id": n.linxia_center.pk, "leader_id": n.market_head.staff_profile.pk}
    assert is_error(post(kangle, "/duty/roster", {**body, "kind": "head"}), 404)
    assert is_error(post(admin, "/duty/roster", {**body, "kind": "boss"}), 422, "invalid_input")
    assert not DutyPost.objects.exists()
    added = _head_on_roster(n, admin)
    assert added.status_code == 201, added.content
    post_id = added.json()["id"]
    assert is_error(_head_on_roster(n, admin), 409, "duty.on_roster")
    assert is_error(post(kangle, f"/duty/roster/{post_id}/sign"), 404)
    signed = post(admin, f"/duty/roster/{post_id}/sign")
    assert signed.status_code == 200 and signed.json()["signed_in"] is True
    sitting_id = signed.json()["sitting"]["id"]
    roster = admin.get(f"{API}/duty/roster?center_id={n.linxia_center.pk}").json()["items"]
    assert roster[0]["sitting_since"] is not None
    # a forgotten sign-out: before the sign-in is refused, a later time the same day kept
    started = DutySitting.objects.get(pk=sitting_id).started_at
    early = {"ended_at": (started - timedelta(minutes=5)).isoformat()}
    assert is_error(post(admin, f"/duty/sittings/{sitting_id}/close", early), 422)
    assert DutySitting.objects.get(pk=sitting_id).ended_at is None
    late = {"ended_at": (started + timedelta(seconds=1)).isoformat()}
    assert is_error(post(kangle, f"/duty/sittings/{sitting_id}/close", late), 404)
    closed = post(admin, f"/duty/sittings/{sitting_id}/close", late)
    assert closed.status_code == 200 and closed.json()["out_via"] == "desk"
    assert is_error(post(kangle, f"/duty/roster/{post_id}/remove"), 404)
    removed = post(admin, f"/duty/roster/{post_id}/remove")
    assert removed.status_code == 200 and not DutyPost.objects.get(pk=post_id).active
    assert is_error(post(bearer(n.clerk), "/duty/roster", {**body, "kind": "head"}), 403)


def test_r_sup_1_api_desk_qr_code_signs_the_leader_in_and_out(world):
    n = world
    admin = bearer(n.county_admin)
    _head_on_roster(n, admin)
    desk = admin.get(f"{API}/duty/desk?center_id={n.linxia_center.pk}")
    assert desk.status_code == 200 and desk.json()["token"] in desk.json()["url"]
    assert (
        bearer(n.kangle_admin).get(f"{API}/duty/desk?center_id={n.linxia_center.pk}").status_code
        == 404
    )
    assert bearer(n.clerk).get(f"{API}/duty/desk").status_code == 404
    token = desk.json()["token"]
    head = bearer(n.market_head)
    assert is_error(post(head, "/duty/sign", {"token": token + "x"}), 404)
    assert is_error(post(bearer(n.police_head), "/duty/sign", {"token": token}), 403)
    assert not DutySitting.objects.exists()
    first = post(head, "/duty/sign", {"token": token})
    assert first.status_code == 200 and first.json()["signed_in"] is True
    second = post(head, "/duty/sign", {"token": token})
    assert second.json()["signed_in"] is False and second.json()["sitting"]["out_via"] == "qr"


def test_r_sup_3_api_county_setting_and_a_walk_recorded(world):
    n = world
    admin = bearer(n.county_admin)
    body = {"region_id": n.linxia.pk, "adopted": True, "half_days_per_quarter": 4}
    assert is_error(post(bearer(n.kangle_admin), "/duty/county", body), 404)
    assert is_error(post(admin, "/duty/county", {**body, "half_days_per_quarter": 0}), 422)
    assert is_error(post(admin, "/duty/county", {**body, "region_id": n.pref.pk}), 404)
    assert not CountyDutySetting.objects.exists()
    answer = post(admin, "/duty/county", body)
    assert answer.status_code == 200 and answer.json()["adopted"] is True
    assert CountyDutySetting.objects.get(region=n.linxia).half_days_per_quarter == 4
    _head_on_roster(n, admin)
    walk = {
        "center_id": n.linxia_center.pk,
        "subject": "个体工商户设立登记",
        "findings": "一次办结",
    }
    assert is_error(post(bearer(n.police_head), "/duty/walks", walk), 403)
    assert is_error(post(bearer(n.market_head), "/duty/walks", {**walk, "minutes": 0}), 422)
    made = post(bearer(n.market_head), "/duty/walks", {**walk, "minutes": 30})
    assert made.status_code == 201 and made.json()["role_played"] == "以办事人身份"
    assert ProcessWalk.objects.count() == 1


def test_r_hall_8_api_zones_facilities_and_free_services_in_scope(world):
    n = world
    admin, kangle, clerk = bearer(n.county_admin), bearer(n.kangle_admin), bearer(n.clerk)
    zone_body = {"center_id": n.linxia_center.pk, "name": "等候区"}
    assert is_error(post(kangle, "/hall/facilities/zones", zone_body), 404)
    assert is_error(post(clerk, "/hall/facilities/zones", zone_body), 403)
    zone = post(admin, "/hall/facilities/zones", zone_body)
    assert zone.status_code == 201, zone.content
    assert is_error(post(admin, "/hall/facilities/zones", zone_body), 409, "facility.zone_exists")
    facility = {"zone_id": zone.json()["id"], "kind": "water", "quantity": 2}
    assert is_error(post(kangle, "/hall/facilities", facility), 404)
    assert is_error(post(admin, "/hall/facilities", {**facility, "quantity": 1000}), 422)
    made = post(admin, "/hall/facilities", facility)
    assert made.status_code == 201 and made.json()["name"] == "饮水机"
    assert HallZone.objects.count() == 1 and Facility.objects.count() == 1
    listed = clerk.get(f"{API}/hall/facilities").json()["facilities"]
    assert [f["id"] for f in listed] == [made.json()["id"]]
    free = {"center_id": n.linxia_center.pk, "service": "printing", "count": 3}
    assert is_error(post(clerk, "/hall/facilities/free-services", {**free, "service": "x"}), 422)
    assert is_error(post(kangle, "/hall/facilities/free-services", free), 404)
    assert post(clerk, "/hall/facilities/free-services", free).json()["count"] == 3
    again = post(clerk, "/hall/facilities/free-services", {**free, "count": 1})
    assert again.status_code == 201 and again.json()["count"] == 4
    assert FreeServiceCount.objects.get().count == 4


def test_r_sup_2_api_threshold_set_by_the_center_admin(world):
    n = world
    body = {"center_id": n.linxia_center.pk, "indicator": "on_time_rate", "value": 95}
    admin = bearer(n.county_admin)
    assert is_error(post(bearer(n.kangle_admin), "/statistics/indicators/thresholds", body), 404)
    assert is_error(post(admin, "/statistics/indicators/thresholds", {**body, "value": 101}), 422)
    assert is_error(post(admin, "/statistics/indicators/thresholds", {**body, "value": -1}), 422)
    bogus = {**body, "indicator": "bogus"}
    assert is_error(post(admin, "/statistics/indicators/thresholds", bogus), 422)
    assert not IndicatorThreshold.objects.exists()
    answer = post(admin, "/statistics/indicators/thresholds", body)
    assert answer.status_code == 200, answer.content
    assert float(IndicatorThreshold.objects.get().value) == 95.0


def test_r_sup_3_api_weights_and_the_red_black_list(world):
    n = world
    admin = bearer(n.pref_admin)
    read = admin.get(f"{API}/oversight/levels/weights?region_id={n.pref.pk}&year=2026")
    assert read.status_code == 200 and read.json()["custom"] is False
    assert (
        bearer(n.kangle_admin)
        .get(f"{API}/oversight/levels/weights?region_id={n.pref.pk}")
        .status_code
        == 404
    )
    codes = [m.code for m in MEASURES]
    even = {w["code"]: w["weight"] for w in read.json()["weights"]}
    body = {"region_id": n.pref.pk, "year": 2026, "weights": even, "annual_points": 5}
    short = {**body, "weights": {c: 1 for c in codes}}
    assert is_error(post(admin, "/oversight/levels/weights", short), 422, "levels.weights_sum")
    assert is_error(post(bearer(n.kangle_admin), "/oversight/levels/weights", body), 404)
    assert not LevelWeights.objects.exists()
    saved = post(admin, "/oversight/levels/weights", body)
    assert saved.status_code == 200 and saved.json()["custom"] is True, saved.content
    publish = {"region_id": n.pref.pk, "month": "2026-10"}
    for month in ("1999-10", "2026-13", "26-10"):
        assert is_error(
            post(admin, "/oversight/levels/red-black", {**publish, "month": month}), 422
        )
    assert is_error(post(bearer(n.kangle_admin), "/oversight/levels/red-black", publish), 404)
    assert is_error(post(bearer(n.clerk), "/oversight/levels/red-black", publish), 403)
    assert not RedBlackList.objects.exists()
    made = post(admin, "/oversight/levels/red-black", publish)
    assert made.status_code == 201, made.content
    units = {e["unit"] for e in made.json()["entries"]}
    assert units == {"临夏县", "康乐县"} and made.json()["month"] == "2026-10"
    again = post(admin, "/oversight/levels/red-black", publish)
    assert again.json()["id"] == made.json()["id"] and RedBlackList.objects.count() == 1


def test_r_sup_3_api_abuse_finding_rests_on_records_in_scope(world):
    n = world
    mine = Review.objects.create(
        kind="unsolicited", channel="web", level=1, center=n.linxia_center, staff=n.clerk
    )
    theirs = Review.objects.create(
        kind="unsolicited", channel="web", level=1, center=n.kangle_center, staff=n.kangle_admin
    )
    sup = bearer(n.county_supervisor)
    body = {"center_id": n.linxia_center.pk, "finding": "推诿群众", "person_id": n.clerk.pk}
    assert is_error(
        post(sup, "/oversight/accountability/abuse", body), 422, "abuse.records_required"
    )
    outside = {**body, "review_ids": [theirs.pk]}
    assert is_error(
        post(sup, "/oversight/accountability/abuse", outside), 422, "abuse.record_not_found"
    )
    kangle = {**body, "center_id": n.kangle_center.pk, "review_ids": [mine.pk]}
    assert is_error(post(sup, "/oversight/accountability/abuse", kangle), 404)
    good = {**body, "review_ids": [mine.pk]}
    assert is_error(post(bearer(n.county_admin), "/oversight/accountability/abuse", good), 403)
    assert not AbuseFinding.objects.exists()
    made = post(sup, "/oversight/accountability/abuse", good)
    assert made.status_code == 201, made.content
    assert made.json()["review_ids"] == [mine.pk] and made.json()["person_id"] == n.clerk.pk
    assert AbuseFinding.objects.get().recorded_by == n.county_supervisor
    assert timezone.now() >= AbuseFinding.objects.get().recorded_at


def test_r_sup_2_api_machine_client_reads_statistics_and_consultations_of_its_region(world):
    n = world
    _, key = api_client_create(actor=n.root, name="省平台", region=n.linxia)
    _, other = api_client_create(actor=n.root, name="康乐县", region=n.kangle)
    machine, kangle = Client(HTTP_X_API_KEY=key), Client(HTTP_X_API_KEY=other)
    asked = inquiries.inquiry_log(
        actor=n.clerk, question="营业执照怎么办？", center=n.linxia_center
    )
    for path in ("/statistics/cases", "/statistics/indicators", "/statistics/cases/export"):
        assert machine.get(f"{API}{path}").status_code == 200, path
    hall = machine.get(f"{API}/statistics/hall?center_id={n.linxia_center.pk}")
    assert hall.status_code == 200, hall.content
    assert kangle.get(f"{API}/statistics/hall?center_id={n.linxia_center.pk}").status_code == 404
    assert kangle.get(f"{API}/statistics/cases?center_id={n.linxia_center.pk}").status_code == 404
    listed = machine.get(f"{API}/consultations/?mine=true").json()["items"]
    assert [i["id"] for i in listed] == [asked.pk]
    assert machine.get(f"{API}/consultations/{asked.pk}").status_code == 200
    assert kangle.get(f"{API}/consultations/").json()["count"] == 0
    assert kangle.get(f"{API}/consultations/{asked.pk}").status_code == 404
    # the writes are a person's: a machine is not signed in for them
    write = machine.post(
        f"{API}/consultations/{asked.pk}/answer", {"answer": "x"}, content_type="application/json"
    )
    assert is_error(write, 401, "auth.required")
    assert is_error(post(machine, "/statistics/indicators/thresholds", {}), 401)


def test_r_eval_3_api_review_statistics_in_scope_with_their_excel(world):
    n = world
    for level, center in ((1, n.linxia_center), (5, n.linxia_center), (5, n.kangle_center)):
        Review.objects.create(
            kind="unsolicited", channel="web", level=level, center=center, staff=n.clerk
        )
    admin = bearer(n.county_admin)
    body = admin.get(f"{API}/statistics/reviews").json()
    assert body["total"]["total"] == 2 and body["total"]["bad"] == 1, body["total"]
    assert [r["label"] for r in body["by_center"]] == [n.linxia_center.name]
    sheet = admin.get(f"{API}/statistics/reviews/export")
    assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX
    bad = admin.get(f"{API}/statistics/reviews?start=2026-13-01")
    assert is_error(bad, 422, "stats.bad_date")
    early = admin.get(f"{API}/statistics/reviews?end=0001-01-01")
    assert is_error(early, 422, "stats.bad_date")
    assert admin.get(f"{API}/statistics/reviews?center_id={n.kangle_center.pk}").status_code == 404
    _, key = api_client_create(actor=n.root, name="省好差评系统", region=n.kangle)
    machine = Client(HTTP_X_API_KEY=key)
    assert machine.get(f"{API}/statistics/reviews").json()["total"]["total"] == 1
    assert is_error(Client().get(f"{API}/statistics/reviews"), 401)
