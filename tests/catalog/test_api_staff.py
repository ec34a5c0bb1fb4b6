"""The catalog's writes through the API (R-CAT-1, R-CAT-4, R-CAT-5, R-CAT-8): the same
services as the pages, so the same rules: a process change goes through both reviews, a
wording change is published directly, a listing enters and changes by a request its
government office decides; bad input is a 4xx that changes nothing; outside the caller's
scope is 404."""

from __future__ import annotations

import copy

import pytest
from django.test import Client

from onewindow.catalog.models import ChangeRequest, GuideVersion, Listing, Matter, ProcessChange
from onewindow.core.models import AuditEvent
from onewindow.org import services as org_services
from tests.api_client import bearer
from tests.catalog.conftest import GUIDE, MATERIALS, STEPS

BASE = "/api/v1/catalog"


def send(client, method, path, body=None):
    call = getattr(client, method)
    if body is None:
        return call(f"{BASE}{path}")
    return call(f"{BASE}{path}", body, content_type="application/json")


def guide_body(**changes):
    body = copy.deepcopy(GUIDE)
    body.update(changes)
    return body


@pytest.fixture
def approver(net):
    return bearer(net.approver)


def test_r_cat_8_api_guide_from_new_matter_through_both_reviews(net, approver):
    answer = send(
        approver,
        "post",
        "/matters",
        {
            "code": "11620000MB7654321X",
            "name": "食品经营许可",
            "kind": "licensing",
            "level": "county",
            "department_id": net.linxia_market.pk,
            "keywords": "饭店 餐饮",
        },
    )
    assert answer.status_code == 201, answer.content
    matter_id = answer.json()["id"]

    answer = send(approver, "post", f"/matters/{matter_id}/drafts", guide_body())
    assert answer.status_code == 201, answer.content
    draft = answer.json()
    assert (draft["number"], draft["status"]) == (1, "draft")
    version_id = draft["id"]

    answer = send(approver, "get", f"/versions/{version_id}/lint")
    assert answer.json()["ready"] is False  # no materials nor steps yet

    assert send(approver, "put", f"/versions/{version_id}/materials", MATERIALS).status_code == 200
    answer = send(approver, "put", f"/versions/{version_id}/steps", STEPS)
    assert [s["name"] for s in answer.json()["steps"]] == ["受理", "审查", "决定"]
    assert [m["name"] for m in answer.json()["materials"]] == [m["name"] for m in MATERIALS]
    assert send(approver, "get", f"/versions/{version_id}/lint").json()["ready"] is True

    # a first guide sets the process: it cannot be published directly
    answer = send(approver, "post", f"/versions/{version_id}/publish")
    assert answer.status_code == 409
    assert answer.json()["code"] == "guide.needs_process_review"

    answer = send(
        approver, "post", f"/versions/{version_id}/process-change", {"reason": "首次编制"}
    )
    assert answer.status_code == 201, answer.content
    change = answer.json()
    assert change["state"] == "legality_review"

    # the final reviewer cannot skip the legality review
    final = bearer(net.final_reviewer)
    answer = send(final, "post", f"/process-changes/{change['id']}/final-review", {"approve": True})
    assert answer.status_code in (403, 409)
    assert ProcessChange.objects.get(pk=change["id"]).state == "legality_review"

    legality = bearer(net.legality)
    answer = send(
        legality,
        "post",
        f"/process-changes/{change['id']}/legality-review",
        {"approve": True, "opinion": "合法"},
    )
    assert answer.json()["state"] == "final_review", answer.content
    answer = send(
        final,
        "post",
        f"/process-changes/{change['id']}/final-review",
        {"approve": True, "opinion": "同意"},
    )
    assert answer.json()["state"] == "applied", answer.content

    public = Client().get(f"{BASE}/matters/{matter_id}").json()
    assert public["version"] == 1
    assert public["promised_days"] == GUIDE["promised_days"]
    actions = set(
        AuditEvent.objects.filter(target_id__in=[str(version_id), str(change["id"])]).values_list(
            "action", flat=True
        )
    )
    assert {
        "guide.draft_create",
        "guide.materials_set",
        "guide.steps_set",
        "process_change.submit",
        "process_change.legality_review",
        "process_change.final_review",
        "guide.publish",
    } <= actions


def test_r_cat_8_api_wording_change_is_published_directly(cat):
    approver = bearer(cat.approver)
    answer = send(
        approver,
        "post",
        f"/matters/{cat.matter.pk}/drafts",
        {"fees": "不收费（依据甘发改价格〔2020〕1号）", "change_note": "补充收费依据"},
    )
    assert answer.status_code == 201, answer.content
    draft = answer.json()
    assert draft["number"] == 2
    assert len(draft["materials"]) == len(MATERIALS)  # copied from the current version

    answer = send(approver, "post", f"/versions/{draft['id']}/publish")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "published"
    cat.matter.refresh_from_db()
    assert cat.matter.current_version.number == 2
    assert cat.matter.current_version.fees.startswith("不收费（依据")


def test_r_cat_5_api_bad_input_is_refused_and_changes_nothing(cat):
    approver = bearer(cat.approver)
    draft = send(approver, "post", f"/matters/{cat.matter.pk}/drafts", {}).json()
    path = f"/versions/{draft['id']}"

    answer = send(approver, "patch", path, {"promised_days": 30})
    assert answer.status_code == 422
    assert answer.json()["code"] == "guide.promised_over_statutory"
    assert "promised_days" in answer.json()["fields"], answer.json()
    assert GuideVersion.objects.get(pk=draft["id"]).promised_days == GUIDE["promised_days"]

    answer = send(approver, "patch", path, {})
    assert (answer.status_code, answer.json()["code"]) == (422, "guide.nothing_to_change")

    twice = [MATERIALS[0], MATERIALS[0]]
    answer = send(approver, "put", f"{path}/materials", twice)
    assert (answer.status_code, answer.json()["code"]) == (422, "guide.duplicate_material")
    assert GuideVersion.objects.get(pk=draft["id"]).materials.count() == len(MATERIALS)

    answer = send(approver, "put", f"{path}/steps", [{"name": "受理", "days": -1}])
    assert answer.status_code == 422
    assert GuideVersion.objects.get(pk=draft["id"]).steps.count() == len(STEPS)

    # a second draft while one is open
    answer = send(approver, "post", f"/matters/{cat.matter.pk}/drafts", {})
    assert (answer.status_code, answer.json()["code"]) == (409, "guide.draft_exists")

    for probe in (
        "/versions/36893488147419103233",
        "/process-changes?offset=36893488147419103233",
        "/change-requests?state=nonsense",
        "/process-changes?state=nonsense",
    ):
        answer = send(approver, "get", probe)
        assert 400 <= answer.status_code < 500, (probe, answer.status_code)
        assert set(answer.json()) == {"code", "message", "fields"}

    answer = send(
        approver,
        "post",
        "/matters",
        {"code": "X1", "name": "某事项", "kind": "magic", "level": "county", "department_id": 1},
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "matter.bad_kind")
    assert not Matter.objects.filter(code="X1").exists()


def test_r_cat_8_api_outside_scope_is_404_and_without_rights_403(cat):
    draft = send(bearer(cat.approver), "post", f"/matters/{cat.matter.pk}/drafts", {}).json()
    other = org_services.staff_create(
        actor=cat.root,
        username="kangle_approver",
        full_name="康乐县审批人员",
        password=None,
        roles={"approver"},
        staff_no="T0901",
        department=cat.kangle_market,
    ).user
    outsider = bearer(other)
    for method, path, body in (
        ("get", f"/versions/{draft['id']}", None),
        ("patch", f"/versions/{draft['id']}", {"fees": "收费"}),
        ("post", f"/versions/{draft['id']}/publish", None),
        ("post", f"/matters/{cat.matter.pk}/drafts", {}),
    ):
        answer = send(outsider, method, path, body)
        assert answer.status_code == 404, (method, path, answer.status_code)
    assert send(Client(), "get", f"/versions/{draft['id']}").status_code == 401

    # the clerk of the center sees the matter but may not write its guide
    answer = send(bearer(cat.clerk), "patch", f"/versions/{draft['id']}", {"fees": "收费"})
    assert answer.status_code in (403, 404)
    assert GuideVersion.objects.get(pk=draft["id"]).fees == GUIDE["fees"]
    assert send(outsider, "get", "/process-changes").json()["count"] == 0


def test_r_cat_4_api_listing_enters_and_changes_by_decided_requests(cat):
    approver = bearer(cat.approver)
    answer = send(
        approver,
        "post",
        "/listing-requests",
        {
            "matter_id": cat.matter.pk,
            "center_id": cat.linxia_center.pk,
            "department_id": cat.linxia_market.pk,
            "code": "11620000MB1234567X622921",
            "reason": "县中心开展个体工商户登记",
            "place": "县政务服务中心一楼",
        },
    )
    assert answer.status_code == 201, answer.content
    entry = answer.json()
    assert (entry["kind"], entry["state"]) == ("enter", "submitted")
    listing = Listing.objects.get(pk=entry["listing_id"])
    assert listing.status == Listing.Status.PENDING

    # the department cannot approve its own request
    answer = send(approver, "post", f"/change-requests/{entry['id']}/decide", {"approve": True})
    assert answer.status_code in (403, 404)
    office = bearer(cat.gov_office)
    answer = send(office, "post", f"/change-requests/{entry['id']}/decide", {"approve": True})
    assert answer.json()["state"] == "approved", answer.content
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE

    answer = send(
        approver,
        "post",
        f"/listings/{listing.pk}/requests",
        {"kind": "change", "reason": "窗口调整", "place": "县政务服务中心二楼"},
    )
    assert answer.status_code == 201, answer.content
    change = answer.json()
    listing.refresh_from_db()
    assert listing.place == "县政务服务中心一楼"  # not before the decision
    answer = send(
        office,
        "post",
        f"/change-requests/{change['id']}/decide",
        {"approve": False, "opinion": "请先调整窗口布局"},
    )
    assert answer.json()["state"] == "rejected"
    listing.refresh_from_db()
    assert listing.place == "县政务服务中心一楼"
    states = dict(ChangeRequest.objects.values_list("pk", "state"))
    assert states == {entry["id"]: "approved", change["id"]: "rejected"}
    listed = send(office, "get", "/change-requests?state=approved").json()
    assert [r["id"] for r in listed["items"]] == [entry["id"]]
