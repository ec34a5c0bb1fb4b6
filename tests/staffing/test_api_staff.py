"""R-STAFF-1, R-STAFF-2, R-STAFF-4 through the API: the center keeps a stationed
person's record, training, a change filed and decided, a secondment, a spot check of
conduct (its photo uploaded and read back) and its recruitment by the staff pages'
forms and services; the roster and the month's conduct read the same selectors; who
may not read staff records, or a person outside the caller's scope, is 404; bad input
is a 422 that changes nothing (R-SEC-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from onewindow.staffing.models import (
    Decision,
    PostingChange,
    Recruitment,
    SpotCheck,
    StaffRecord,
    TrainingRecord,
)
from tests.api_client import bearer
from tests.staffing.test_r_staff_4_conduct import PNG

pytestmark = pytest.mark.django_db
BASE = "/api/v1/staff"


def post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def day(delta: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=delta)).isoformat()


def record(admin, profile, started: str):
    body = {
        "team": "stationed",
        "establishment": "administrative",
        "rank": "四级主任科员",
        "paid_by": "临夏县市场监督管理局",
        "posting_started": started,
    }
    return post(admin, f"/people/{profile.pk}/record", body)


def test_r_staff_1_api_record_change_filed_and_decided_as_on_the_page(world, db):
    admin = bearer(world.county_admin)
    chief = world.chief_rep.staff_profile
    answer = record(admin, chief, day(-400))
    assert answer.status_code == 200, answer.content
    assert answer.json()["record"]["rank"] == "四级主任科员" and answer.json()["short_posting"]
    assert StaffRecord.objects.get(profile=chief).paid_by == "临夏县市场监督管理局"
    roster = {r["person"]["id"]: r for r in admin.get(f"{BASE}/people?limit=500").json()["items"]}
    assert "进驻未满两年" in roster[chief.pk]["flags"]

    head = bearer(world.chief_rep)
    filed = post(
        head,
        f"/people/{chief.pk}/changes",
        {"kind": "change", "effective_on": day(30), "reason": "轮岗交流"},
    )
    assert filed.status_code == 201, filed.content
    change = PostingChange.objects.get(profile=chief)
    assert change.early and change.state == Decision.FILED
    assert [c["id"] for c in admin.get(f"{BASE}/changes").json()["items"]] == [change.pk]
    refused = post(head, f"/changes/{change.pk}/decide", {"approve": True})
    assert refused.status_code == 403  # the center decides, not the department
    decided = post(admin, f"/changes/{change.pk}/decide", {"approve": True, "note": "同意"})
    assert decided.status_code == 200, decided.content
    change.refresh_from_db()
    assert change.state == Decision.APPROVED


def test_r_staff_2_api_training_recorded_and_clears_a_new_clerk(world, db):
    admin = bearer(world.county_admin)
    clerk = world.agent.staff_profile
    body = {
        "kind": "routine",
        "title": "政务服务礼仪",
        "trainer": "中心培训组",
        "started_on": day(-3),
        "ended_on": day(-2),
        "hours": "8.0",
        "passed": True,
    }
    answer = post(admin, f"/people/{clerk.pk}/trainings", body)
    assert answer.status_code == 201, answer.content
    assert "政务服务礼仪" in [t["title"] for t in answer.json()["trainings"]]
    assert TrainingRecord.objects.filter(profile=clerk, title="政务服务礼仪").count() == 1


def test_r_staff_4_api_spot_check_and_recruitment_recorded_and_read(world, db):
    supervisor = bearer(world.county_supervisor)
    clerk = world.clerk.staff_profile
    answer = post(
        supervisor,
        f"/people/{clerk.pk}/spot-checks",
        {"badge_ok": False, "note": "未佩戴工作牌"},
    )
    assert answer.status_code == 201, answer.content
    check = SpotCheck.objects.get(profile=clerk)
    assert not check.badge_ok and check.checked_by == world.county_supervisor
    month = timezone.localdate().strftime("%Y-%m")
    rows = supervisor.get(f"{BASE}/conduct?month={month}&limit=500").json()["items"]
    mine = next(r for r in rows if r["person"]["id"] == clerk.pk)
    assert mine["checks"] == 1 and mine["failures"] == 1

    admin = bearer(world.county_admin)
    body = {
        "center": world.linxia_center.pk,
        "team": "comprehensive",
        "held_on": day(-10),
        "way": "exam",
        "announcement": "临夏县人社局公告2026第3号",
        "positions": 5,
        "hired": 4,
    }
    made = post(admin, "/recruitments", body)
    assert made.status_code == 201, made.content
    assert made.json()["hired"] == 4
    listed = admin.get(f"{BASE}/recruitments").json()["items"]
    assert [r["id"] for r in listed] == [Recruitment.objects.get().pk]


def test_r_staff_1_api_outside_the_scope_or_without_the_right_is_404(world, db):
    chief = world.chief_rep.staff_profile
    kangle = bearer(world.kangle_admin)
    assert kangle.get(f"{BASE}/people/{chief.pk}").status_code == 404
    assert record(kangle, chief, day(-800)).status_code == 404
    assert kangle.get(f"{BASE}/people?center_id={world.linxia_center.pk}").status_code == 404
    clerk = bearer(world.clerk)  # a window clerk reads no staff records
    assert clerk.get(f"{BASE}/people").status_code == 404
    assert clerk.get(f"{BASE}/people/{chief.pk}").status_code == 404
    assert bearer(world.county_supervisor).get(f"{BASE}/people/{chief.pk}").status_code == 200
    assert not StaffRecord.objects.filter(profile=chief, rank__gt="").exists()


def test_r_sec_2_api_staff_bad_input_is_a_422_and_changes_nothing(world, db):
    admin = bearer(world.county_admin)
    chief = world.chief_rep.staff_profile
    before = StaffRecord.objects.filter(profile=chief).values().first()
    bad_records = (
        {"team": "pirates", "posting_started": day()},
        {"team": "stationed", "posting_started": "2026-13-45"},
        {"team": "stationed", "posting_started": day(), "recruitment": 2**64},
        {"team": "stationed", "posting_started": day(), "recruitment": 999999},
    )
    for body in bad_records:
        answer = post(admin, f"/people/{chief.pk}/record", body)
        assert answer.status_code == 422, (body, answer.content)
        assert set(answer.json()) == {"code", "message", "fields"}
    spot = post(
        bearer(world.county_supervisor), f"/people/{chief.pk}/spot-checks", {"dress_ok": False}
    )
    assert spot.status_code == 422  # a failed item needs its note
    hours = {
        "kind": "routine",
        "title": "x",
        "trainer": "y",
        "started_on": day(),
        "ended_on": day(),
    }
    assert (
        post(
            admin, f"/people/{chief.pk}/trainings", {**hours, "hours": "0", "passed": True}
        ).status_code
        == 422
    )
    assert admin.get(f"{BASE}/conduct?month=2026-99").status_code == 422
    assert admin.get(f"{BASE}/attendance?month=abc").status_code == 422
    assert admin.get(f"{BASE}/people?offset=-1").status_code == 422
    assert admin.get(f"{BASE}/people/{2**64}").status_code == 422
    assert post(admin, "/changes/99999/decide", {"approve": True}).status_code == 404
    assert StaffRecord.objects.filter(profile=chief).values().first() == before
    assert not SpotCheck.objects.exists() and not TrainingRecord.objects.filter(title="x").exists()


def test_r_staff_4_api_spot_check_with_its_photo_uploaded_and_read_back(world, db):
    supervisor = bearer(world.county_supervisor)
    clerk = world.clerk.staff_profile
    path = f"{BASE}/people/{clerk.pk}/spot-checks/photo"

    def upload(client, name, content, **fields):
        photo = SimpleUploadedFile(name, content, content_type="image/png")
        return client.post(
            path, {"dress_ok": "false", "note": "未着工装", **fields, "photo": photo}
        )

    assert upload(bearer(world.kangle_admin), "现场.png", PNG).status_code == 404
    refused = upload(supervisor, "x.png", b"<svg></svg>")  # checked by content
    assert refused.status_code == 422 and set(refused.json()) == {"code", "message", "fields"}
    no_note = upload(supervisor, "现场.png", PNG, note="")
    assert no_note.status_code == 422 and no_note.json()["code"] == "note_required"
    assert supervisor.post(path, {"dress_ok": "false", "note": "x"}).json()["code"] == "file.empty"
    assert not SpotCheck.objects.filter(profile=clerk).exists()
    made = upload(supervisor, "现场.png", PNG)
    assert made.status_code == 201, made.content
    check = SpotCheck.objects.get(profile=clerk)
    assert not check.dress_ok and check.photo.size == len(PNG)
    shown = supervisor.get(f"{BASE}/people/{clerk.pk}").json()["spot_checks"]
    assert [c["has_photo"] for c in shown] == [True]
    read = supervisor.get(f"{BASE}/spot-checks/{check.pk}/photo")
    assert read.status_code == 200 and b"".join(read.streaming_content) == PNG
    assert bearer(world.kangle_admin).get(f"{BASE}/spot-checks/{check.pk}/photo").status_code == 404
