"""Entrusted matters (委托事项) through the API (R-CAT-4, R-NET-3): the same rows as the
matter's staff page, recorded and revoked through the same services (audited), bad input
a 4xx in the error shape with nothing changed, another county's records 404, a clerk 403."""

from __future__ import annotations

import datetime as dt

from onewindow.catalog.models import Entrustment
from onewindow.core.models import AuditEvent
from tests.api_client import bearer, is_error
from tests.cases.conftest import desk  # noqa: F401
from tests.catalog.test_entrustments import DOC, TODAY, entrust, point  # noqa: F401

BASE = "/api/v1/catalog"


def body(n, **changes):
    data = {
        "department_id": n.linxia_market.pk,
        "center_id": n.hanji_center.pk,
        "start": (TODAY - dt.timedelta(days=1)).isoformat(),
        **DOC,
    }
    data.update(changes)
    return data


def test_r_cat_4_api_records_lists_and_revokes_an_entrustment_as_the_page(point):  # noqa: F811
    admin = bearer(point.county_admin)
    url = f"{BASE}/matters/{point.matter.pk}/entrustments"
    answer = admin.post(url, body(point), content_type="application/json")
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert made["status"] == "有效" and made["center"] == "韩集镇便民服务中心"
    e = Entrustment.objects.get()
    assert made["id"] == e.pk and made["sentence"] == e.sentence
    assert AuditEvent.objects.filter(action="entrustment.create", target_id=str(e.pk)).exists()

    rows = admin.get(url).json()
    assert rows["count"] == 1 and [r["id"] for r in rows["items"]] == [e.pk]
    assert admin.get(f"{url}?status=已撤销").json()["count"] == 0

    # overlapping: 409, nothing made
    again = admin.post(url, body(point, start=TODAY.isoformat()), content_type="application/json")
    assert is_error(again, 409, "entrustment.overlap")
    assert Entrustment.objects.count() == 1

    revoke = f"{BASE}/entrustments/{e.pk}/revoke"
    answer = admin.post(revoke, {"reason": "  "}, content_type="application/json")
    assert is_error(answer, 422) and "reason" in answer.json()["fields"]
    e.refresh_from_db()
    assert e.revoked_on is None
    answer = admin.post(
        revoke,
        {"revoked_on": TODAY.isoformat(), "reason": "收回委托"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "已撤销" and answer.json()["revoked_on"] == TODAY.isoformat()
    e.refresh_from_db()
    assert (e.revoked_on, e.revoke_reason) == (TODAY, "收回委托")
    assert AuditEvent.objects.filter(action="entrustment.revoke", target_id=str(e.pk)).exists()
    assert admin.get(f"{url}?status=已撤销").json()["count"] == 1


def test_r_cat_4_api_bad_input_is_a_4xx_and_changes_nothing(point):  # noqa: F811
    admin = bearer(point.county_admin)
    url = f"{BASE}/matters/{point.matter.pk}/entrustments"
    bad = [
        (body(point, end=(TODAY - dt.timedelta(days=5)).isoformat()), 422, "entrustment.invalid"),
        (body(point, document_number=""), 422, "document_number_required"),
        (body(point, start="2026-13-40"), 422, "invalid_input"),
        (body(point, start="0001-01-01"), 422, "entrustment.invalid"),
        (body(point, end="9999-12-31"), 422, "entrustment.invalid"),
        (body(point, department_id=2**63), 422, "invalid_input"),
        (body(point, department_id=point.kangle_market.pk), 404, "department.not_found"),
    ]
    for data, status, code in bad:
        answer = admin.post(url, data, content_type="application/json")
        assert is_error(answer, status, code), (data, answer.content)
    assert is_error(admin.get(f"{url}?status=whatever"), 422, "entrustment.bad_status")
    assert not Entrustment.objects.exists()


def test_r_net_3_api_another_county_gets_404_and_a_clerk_403(point):  # noqa: F811
    e = entrust(point)
    other = bearer(point.kangle_admin)
    assert is_error(other.get(f"{BASE}/entrustments/{e.pk}"), 404, "entrustment.not_found")
    answer = other.post(
        f"{BASE}/entrustments/{e.pk}/revoke", {"reason": "越权"}, content_type="application/json"
    )
    assert is_error(answer, 404, "entrustment.not_found")
    answer = other.post(
        f"{BASE}/matters/{point.matter.pk}/entrustments",
        body(point, start=(TODAY + dt.timedelta(days=400)).isoformat()),
        content_type="application/json",
    )
    assert is_error(answer, 404)

    clerk = bearer(point.township_clerk)
    assert clerk.get(f"{BASE}/entrustments/{e.pk}").status_code == 200  # the point sees it
    answer = clerk.post(
        f"{BASE}/entrustments/{e.pk}/revoke", {"reason": "无权"}, content_type="application/json"
    )
    assert is_error(answer, 403, "entrustment.forbidden")
    answer = clerk.post(
        f"{BASE}/matters/{point.matter.pk}/entrustments",
        body(point, start=(TODAY + dt.timedelta(days=400)).isoformat()),
        content_type="application/json",
    )
    assert is_error(answer, 403, "entrustment.forbidden")
    e.refresh_from_db()
    assert e.revoked_on is None and Entrustment.objects.count() == 1
