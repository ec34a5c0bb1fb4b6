"""归档: finished cases are filed by the center; the history stays and nothing is deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.services.archive import case_archive, cases_archive_finished
from onewindow.core.errors import Conflict, Forbidden, NotFound
from tests.cases.conftest import all_required


def _delivered(desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_accept(actor=desk.clerk, case=case)
    services.case_start_review(actor=desk.approver, case=case)
    services.case_decide(actor=desk.approver, case=case, approve=True)
    services.case_make_ready(actor=desk.approver, case=case)
    return services.case_deliver(actor=desk.clerk, case=case)


def test_r_case_1_a_delivered_case_is_archived_with_its_history_kept(desk):
    case = _delivered(desk)
    events = case.events.count()
    with pytest.raises(Forbidden):
        case_archive(actor=desk.approver, case=case)
    with pytest.raises(NotFound):
        case_archive(actor=desk.kangle_admin, case=case)
    case = case_archive(actor=desk.clerk, case=case)
    assert case.state == states.ARCHIVED and case.public_status == "已送达"
    assert case.events.count() == events + 1
    with pytest.raises(Conflict):
        case_archive(actor=desk.clerk, case=case)


def test_r_case_1_an_open_case_cannot_be_archived(desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    with pytest.raises(Conflict):
        case_archive(actor=desk.clerk, case=case)


def test_r_case_1_the_center_files_finished_cases_in_one_action(desk):
    done = _delivered(desk)
    refused = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_refuse(actor=desk.clerk, case=refused, reason="不属于本机关职权范围")
    still_open = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert (
        cases_archive_finished(actor=desk.county_admin, center=desk.linxia_center, before=tomorrow)
        == 2
    )
    for case in (done, refused, still_open):
        case.refresh_from_db()
    assert done.state == refused.state == states.ARCHIVED
    assert still_open.state == states.INTAKE
    assert (
        cases_archive_finished(actor=desk.county_admin, center=desk.linxia_center, before=tomorrow)
        == 0
    )


def test_archive_from_the_case_page_and_the_api(desk):
    case = _delivered(desk)
    client = Client()
    client.force_login(desk.clerk)
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert 'value="archive"' in page
    response = client.post(f"/workspace/cases/{case.pk}/", {"action": "archive"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == states.ARCHIVED
    response = client.post(f"/api/v1/cases/{case.pk}/archive", content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "case.wrong_state"
