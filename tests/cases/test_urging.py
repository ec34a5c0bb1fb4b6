"""R-CASE-4: the center urges the department on a case (督办催办); the department
answers; all of it is visible to supervisors in the case's history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.cases import services
from onewindow.cases.models import Urging
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.cases.conftest import all_required


@pytest.fixture
def accepted(desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    return services.case_accept(actor=desk.clerk, case=case)


def test_r_case_4_the_center_urges_and_the_department_answers(desk, accepted):
    reply_by = timezone.localdate() + dt.timedelta(days=2)
    urging = services.case_urge(
        actor=desk.county_admin,
        case=accepted,
        message="请加快审查，申请人急需营业执照",
        reply_by=reply_by,
    )
    assert urging.department == desk.linxia_market
    with pytest.raises(Forbidden):
        services.urging_answer(actor=desk.clerk, urging=urging, answer="收到")
    services.urging_answer(actor=desk.approver, urging=urging, answer="今日内办结")
    with pytest.raises(Conflict):
        services.urging_answer(actor=desk.approver, urging=urging, answer="再答")
    actions = list(accepted.events.values_list("action", flat=True))
    assert actions[-2:] == ["urge", "urge_answer"]


def test_r_case_4_only_center_admins_and_supervisors_in_scope_urge(desk, accepted):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Forbidden):
        services.case_urge(actor=desk.clerk, case=accepted, message="快点", reply_by=tomorrow)
    with pytest.raises(NotFound):
        services.case_urge(
            actor=desk.kangle_admin, case=accepted, message="快点", reply_by=tomorrow
        )
    with pytest.raises(InvalidInput):
        services.case_urge(
            actor=desk.county_supervisor, case=accepted, message=" ", reply_by=tomorrow
        )
    services.case_urge(
        actor=desk.county_supervisor, case=accepted, message="督查抽查", reply_by=tomorrow
    )
    assert Urging.objects.count() == 1


def test_urging_from_the_case_page(client, desk, accepted):
    client.force_login(desk.county_admin)
    client.post(
        f"/workspace/cases/{accepted.pk}/",
        {"action": "urge", "message": "请加快", "reply_by": "2099-01-01"},
    )
    urging = Urging.objects.get()
    client.force_login(desk.approver)
    response = client.get(f"/workspace/cases/{accepted.pk}/")
    page = response.content.decode()
    assert response.status_code == 200, page[:300]
    assert "请加快" in page, page[page.find("<main") : page.find("<main") + 600]
    i = page.find("督办催办</h2>")
    assert "部门答复" in page, page[i : i + 800]
    client.post(
        f"/workspace/cases/{accepted.pk}/",
        {"action": "urge_answer", "urging": urging.pk, "answer": "已安排"},
    )
    urging.refresh_from_db()
    assert urging.answer == "已安排"
    bad = client.post(
        f"/workspace/cases/{accepted.pk}/",
        {"action": "urge_answer", "urging": "x", "answer": "y"},
        follow=True,
    )
    assert bad.status_code == 200 and "未找到该督办" in bad.content.decode()
