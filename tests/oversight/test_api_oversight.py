"""R-SUP-1..4, R-HALL-8, R-HALL-9 through the API: duty items recorded and closed, the
quarter's compliance, facility faults reported and fixed, a guidance recorded and the
month's share, the dashboard, the monthly report (figures and files), case statistics
and the departments' indicators with their Excel, the assessment of lower levels and
the accountability list (supervisors only) — each by the same selector or service as
its page; outside the caller's scope, or without the right, 404; bad input a 4xx that
changes nothing (R-SEC-2)."""

from __future__ import annotations

import pytest

from onewindow.oversight import services
from onewindow.oversight.models import DutyKind, DutyProblem, FacilityFault, Guidance
from tests.api_client import bearer

pytestmark = pytest.mark.django_db
API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def test_r_sup_1_api_duty_item_recorded_closed_and_compliance_read(world):
    n = world
    services.duty_post_add(
        actor=n.county_admin,
        center_id=n.linxia_center.pk,
        leader_id=n.market_head.staff_profile.pk,
        kind=DutyKind.HEAD,
    )
    head = bearer(n.market_head)
    body = {
        "center_id": n.linxia_center.pk,
        "description": "窗口材料清单与指南不一致",
        "fix_planned": "核对并更新窗口清单",
        "owner_id": n.chief_rep.staff_profile.pk,
        "working_days": 3,
    }
    made = post(head, "/duty/items", body)
    assert made.status_code == 201, made.content
    item = DutyProblem.objects.get()
    assert (
        made.json()["deadline"] == item.deadline.isoformat()
        and item.post.leader.user == n.market_head
    )
    owner = bearer(n.chief_rep)
    assert [r["id"] for r in owner.get(f"{API}/duty/items").json()["items"]] == [item.pk]
    closed = post(owner, f"/duty/items/{item.pk}/close", {"result": "已更新窗口清单"})
    assert closed.status_code == 200 and closed.json()["state_label"] in ("已办结", "逾期办结")
    admin = bearer(n.county_admin)
    roster = admin.get(f"{API}/duty/roster?center_id={n.linxia_center.pk}").json()["items"]
    assert [r["leader_id"] for r in roster] == [n.market_head.staff_profile.pk]
    report = bearer(n.county_supervisor).get(f"{API}/duty/compliance").json()
    assert n.market_head.full_name in [r["leader"] for r in report["leaders"]]
    assert (
        bearer(n.kangle_admin).get(f"{API}/duty/roster?center_id={n.linxia_center.pk}").status_code
        == 404
    )
    assert bearer(n.clerk).get(f"{API}/duty/roster").status_code == 404


def test_r_hall_8_api_fault_reported_and_fixed_in_scope(world):
    n = world
    zone = services.hall_zone_add(actor=n.county_admin, center_id=n.linxia_center.pk, name="等候区")
    water = services.facility_add(actor=n.county_admin, zone_id=zone.pk, kind="water")
    clerk = bearer(n.clerk)
    answer = post(
        clerk, "/hall/facilities/faults", {"facility_id": water.pk, "description": "饮水机不出热水"}
    )
    assert answer.status_code == 201, answer.content
    fault = FacilityFault.objects.get()
    home = clerk.get(f"{API}/hall/facilities").json()
    assert [f["id"] for f in home["open_faults"]] == [fault.pk] and home["faults_open"] == 1
    kangle = bearer(n.kangle_admin)
    assert (
        post(kangle, f"/hall/facilities/faults/{fault.pk}/fix", {"fix_note": "x"}).status_code
        == 404
    )
    assert kangle.get(f"{API}/hall/facilities?center_id={n.linxia_center.pk}").status_code == 404
    fixed = post(clerk, f"/hall/facilities/faults/{fault.pk}/fix", {"fix_note": "更换加热管"})
    assert fixed.status_code == 200 and fixed.json()["fixed_at"]
    again = post(clerk, f"/hall/facilities/faults/{fault.pk}/fix", {"fix_note": "再修"})
    assert again.status_code == 409
    fault.refresh_from_db()
    assert fault.fix_note == "更换加热管"


def test_r_hall_9_api_guidance_recorded_and_counted_in_the_month(world):
    n = world
    clerk = bearer(n.clerk)
    answer = post(
        clerk,
        "/hall/guidance",
        {"center_id": n.linxia_center.pk, "channel": "online", "topic": "progress"},
    )
    assert answer.status_code == 201, answer.content
    assert Guidance.objects.get().by == n.clerk
    month = bearer(n.county_supervisor).get(
        f"{API}/hall/guidance/month?center_id={n.linxia_center.pk}"
    )
    assert month.status_code == 200 and month.json()["month_row"]["total"] == 1
    assert bearer(n.approver).get(f"{API}/hall/guidance/month").status_code == 404


def test_r_sup_4_api_dashboard_and_monthly_report_in_scope(world):
    n = world
    supervisor = bearer(n.county_supervisor)
    board = supervisor.get(f"{API}/oversight/dashboard")
    assert board.status_code == 200, board.content
    node = board.json()["node"]["node"]
    assert board.json()["node"]["label"] == n.linxia.name
    child = supervisor.get(f"{API}/oversight/dashboard?node=c{n.linxia_center.pk}")
    assert child.json()["trail"][0]["node"] == node
    assert (
        supervisor.get(f"{API}/oversight/dashboard?node=c{n.kangle_center.pk}").status_code == 404
    )
    assert bearer(n.clerk).get(f"{API}/oversight/dashboard").status_code == 404
    reports = supervisor.get(f"{API}/oversight/monthly-reports").json()
    assert len(reports) == 12
    month = reports[0]["month"]
    figures = supervisor.get(f"{API}/oversight/monthly-reports/{month}")
    assert figures.status_code == 200 and figures.json()["month"] == month
    book = supervisor.get(reports[0]["xlsx_url"])
    assert book.status_code == 200 and book["Content-Type"] == XLSX


def test_r_sup_2_api_case_statistics_and_indicators_with_their_excel(world):
    n = world
    supervisor = bearer(n.county_supervisor)
    stats = supervisor.get(f"{API}/statistics/cases")
    assert stats.status_code == 200, stats.content
    assert {g["group"] for g in stats.json()["groups"]} and stats.json()["total"]["received"] == 0
    assert supervisor.get(stats.json()["export_url"])["Content-Type"] == XLSX
    report = supervisor.get(f"{API}/statistics/indicators").json()
    assert n.linxia_market.name in [r["label"] for r in report["departments"]]
    assert supervisor.get(report["export_url"])["Content-Type"] == XLSX
    hall = supervisor.get(f"{API}/statistics/hall?center_id={n.linxia_center.pk}")
    assert hall.status_code == 200 and hall.json()["center_id"] == n.linxia_center.pk
    assert (
        supervisor.get(f"{API}/statistics/hall?center_id={n.kangle_center.pk}").status_code == 404
    )
    assert (
        supervisor.get(f"{API}/statistics/cases?center_id={n.kangle_center.pk}").status_code == 404
    )
    assert bearer(n.clerk).get(f"{API}/statistics/cases").status_code == 404


def test_r_sup_3_api_levels_and_the_accountability_list_only_for_supervisors(world):
    n = world
    supervisor = bearer(n.county_supervisor)
    levels = supervisor.get(f"{API}/oversight/levels")
    assert levels.status_code == 200, levels.content
    assert levels.json()["assessor_id"] == n.linxia.pk
    found = supervisor.get(f"{API}/oversight/accountability")
    assert found.status_code == 200 and "entries" in found.json()
    for other in (n.county_admin, n.county_leader, n.approver):
        assert bearer(other).get(f"{API}/oversight/accountability").status_code == 404


def test_r_sec_2_api_oversight_bad_input_is_a_4xx_and_changes_nothing(world):
    n = world
    supervisor = bearer(n.county_supervisor)
    for path in (
        "/statistics/cases?start=2026-13-01",
        "/statistics/cases?start=2026-03-01&end=2026-01-01",
        "/statistics/cases?start=2020-01-01&end=2026-01-01",
        "/statistics/hall?center_id=0",
        "/statistics/indicators?month=2026-1",
        "/oversight/dashboard?node=x1",
        "/oversight/monthly-reports/2026-03?format=doc",
        "/duty/items?state=nonsense",
        "/duty/compliance?quarter=2026Q5",
        "/hall/facilities/faults?limit=100000",
    ):
        answer = supervisor.get(f"{API}{path}")
        assert 400 <= answer.status_code < 500, (path, answer.content)
        assert set(answer.json()) == {"code", "message", "fields"}, path
    clerk = bearer(n.clerk)
    for body in ({"facility_id": 2**64, "description": "x"}, {"facility_id": 1, "description": ""}):
        assert 400 <= post(clerk, "/hall/facilities/faults", body).status_code < 500
    assert (
        post(
            clerk, "/hall/guidance", {"center_id": n.linxia_center.pk, "channel": "sky"}
        ).status_code
        == 422
    )
    head = bearer(n.market_head)
    body = {
        "center_id": n.linxia_center.pk,
        "description": "",
        "fix_planned": "y",
        "owner_id": 1,
        "working_days": 3,
    }
    assert 400 <= post(head, "/duty/items", body).status_code < 500
    assert not FacilityFault.objects.exists() and not Guidance.objects.exists()
    assert not DutyProblem.objects.exists()
