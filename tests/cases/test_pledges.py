"""R-CASE-5: a pledge in place of a certificate where the pinned guide allows it,
verified by the department after the approval; a false one is recorded against the
applicant, who may not pledge again."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import Case, CaseEvent, FalsePledge, PledgeCheck
from onewindow.cases.selectors.pledges import (
    false_pledge_count,
    pledge_allowed_for,
    pledge_check_get_for,
    pledge_checks_for,
)
from onewindow.cases.services import pledges
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.org import services as org_services
from tests.cases.conftest import all_required

PLEDGED = "经营场所使用证明"


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def with_pledge(desk) -> dict[int, dict]:
    materials = all_required(desk)
    materials[desk.materials[PLEDGED].pk] = {"by_pledge": True}
    return materials


def approved(desk, *, applicant=None, day: str = "2026-09-29") -> Case:
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=applicant or desk.applicant,
        materials=with_pledge(desk),
        now=at(day, 9),
    )
    services.case_accept(actor=desk.clerk, case=case, now=at(day, 10))
    services.case_start_review(actor=desk.approver, case=case, now=at(day, 11))
    return services.case_decide(
        actor=desk.approver, case=case, approve=True, note="符合条件", now=at(day, 15)
    )


@pytest.fixture
def check(desk) -> PledgeCheck:
    return PledgeCheck.objects.get(case=approved(desk))


def test_r_case_5_the_check_is_created_once_after_approval_due_in_working_days(desk):
    """Approved Tue 2026-09-29 (day 0); 20 working days: 09-30, the National Day holiday
    10-01..10-07 skipped, 10-08, 10-09, Sat 10-10 (an adjusted working day), then four
    full weeks to Mon 2026-11-02."""
    case = approved(desk)
    check = PledgeCheck.objects.get(case=case)
    assert check.document.by_pledge and check.material.name == PLEDGED
    assert check.state == PledgeCheck.State.PENDING
    assert check.due == dt.date(2026, 11, 2)
    event = CaseEvent.objects.get(case=case, action="pledge_checks")
    assert event.data["due"] == "2026-11-02" and event.data["materials"] == [PLEDGED]
    # Running the creation again (as a later hook might) creates nothing more.
    assert pledges.pledge_checks_create(actor=desk.approver, case=case) == []
    assert PledgeCheck.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, action="pledge_checks").count() == 1


def test_r_case_5_the_number_of_days_is_a_setting_and_counts_the_adjusted_saturday(desk, settings):
    """5 working days from Tue 2026-09-29: 09-30, 10-08, 10-09, Sat 10-10, Mon 10-12."""
    settings.ONEWINDOW_PLEDGE_CHECK_DAYS = 5
    check = PledgeCheck.objects.get(case=approved(desk))
    assert check.due == dt.date(2026, 10, 12)


def test_r_case_5_no_check_for_a_denial_nor_without_a_pledge(desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=with_pledge(desk),
    )
    services.case_accept(actor=desk.clerk, case=case)
    services.case_start_review(actor=desk.approver, case=case)
    services.case_decide(actor=desk.approver, case=case, approve=False, note="经营场所不符合要求")
    plain = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_accept(actor=desk.clerk, case=plain)
    services.case_start_review(actor=desk.approver, case=plain)
    services.case_decide(actor=desk.approver, case=plain, approve=True)
    assert not PledgeCheck.objects.exists()
    assert not CaseEvent.objects.filter(action="pledge_checks").exists()


def test_r_case_5_a_pledge_for_a_material_that_does_not_allow_it_is_refused(desk):
    materials = all_required(desk)
    materials[desk.materials["经营者居民身份证"].pk] = {"by_pledge": True}
    with pytest.raises(InvalidInput) as err:
        services.case_intake(
            actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials=materials
        )
    assert err.value.code == "case.pledge_not_allowed"
    assert "经营者居民身份证" in err.value.message
    assert not Case.objects.exists()


def test_r_case_5_a_false_pledge_is_recorded_against_the_applicant(desk, check):
    with pytest.raises(InvalidInput) as err:
        pledges.pledge_check_record(actor=desk.approver, check=check, truthful=False, note="  ")
    assert err.value.code == "pledge_check.note_required"
    check.refresh_from_db()
    assert check.state == PledgeCheck.State.PENDING and not FalsePledge.objects.exists()

    pledges.pledge_check_record(
        actor=desk.approver,
        check=check,
        truthful=False,
        note="经向不动产登记机构核实，该经营场所无产权登记，租赁合同系伪造",
    )
    check.refresh_from_db()
    assert check.state == PledgeCheck.State.FALSE and check.checked_by == desk.approver
    record = FalsePledge.objects.get()
    assert record.applicant == desk.applicant and record.case == check.case
    assert record.material_name == PLEDGED and record.pledge_check == check
    event = CaseEvent.objects.get(case=check.case, action="pledge_false")
    assert event.data["review_decision"] is True and "复核" in event.note
    case = Case.objects.get(pk=check.case_id)
    assert case.state == states.APPROVED  # revocation is the department's, not automatic
    assert AuditEvent.objects.filter(action="pledge_check.record").count() == 1
    assert AuditEvent.objects.filter(action="false_pledge.record").count() == 1
    assert AuditEvent.objects.filter(action="case.pledge_false").count() == 1
    assert false_pledge_count(desk.applicant) == 1
    with pytest.raises(PermissionError):
        record.delete()


def test_r_case_5_a_second_verification_of_the_same_task_is_refused(desk, check):
    pledges.pledge_check_record(actor=desk.approver, check=check, truthful=True)
    with pytest.raises(Conflict) as err:
        pledges.pledge_check_record(
            actor=desk.chief_rep, check=check, truthful=False, note="复查发现不实"
        )
    assert err.value.code == "pledge_check.already_recorded"
    check.refresh_from_db()
    assert check.state == PledgeCheck.State.TRUE and check.checked_by == desk.approver
    assert not FalsePledge.objects.exists()
    assert CaseEvent.objects.filter(case=check.case, action="pledge_true").count() == 1


@pytest.mark.django_db(transaction=True)
def test_r_case_5_two_verifications_of_the_same_task_at_once_leave_exactly_one(desk):
    check = PledgeCheck.objects.get(case=approved(desk))
    barrier = threading.Barrier(2)
    outcomes = []

    def record(actor, truthful):
        barrier.wait()
        try:
            pledges.pledge_check_record(actor=actor, check=check, truthful=truthful, note="核查")
            outcomes.append("recorded")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=record, args=(desk.approver, True)),
        threading.Thread(target=record, args=(desk.chief_rep, False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["pledge_check.already_recorded", "recorded"]
    check.refresh_from_db()
    events = CaseEvent.objects.filter(case=check.case, action__in=["pledge_true", "pledge_false"])
    assert events.count() == 1
    assert FalsePledge.objects.count() == (1 if check.state == PledgeCheck.State.FALSE else 0)


def test_r_case_5_an_applicant_with_a_false_pledge_cannot_pledge_again(desk, check):
    assert pledge_allowed_for(desk.applicant)
    pledges.pledge_check_record(actor=desk.approver, check=check, truthful=False, note="不实")
    assert not pledge_allowed_for(desk.applicant)
    with pytest.raises(InvalidInput) as err:
        services.case_intake(
            actor=desk.clerk,
            listing=desk.listing,
            applicant=desk.applicant,
            materials=with_pledge(desk),
        )
    assert err.value.code == "case.pledge_barred" and "虚假承诺记录" in err.value.message
    assert Case.objects.count() == 1
    # The certificate itself is still taken; another applicant still pledges.
    services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    other = services.applicant_record(
        name="马小红", phone="13909305678", id_number="622921199202020026"
    )
    services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=other, materials=with_pledge(desk)
    )


def test_r_case_5_a_barred_applicant_cannot_pledge_in_a_correction_either(desk, check):
    pledges.pledge_check_record(actor=desk.approver, check=check, truthful=False, note="不实")
    materials = all_required(desk)
    del materials[desk.materials[PLEDGED].pk]
    case = services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials=materials
    )
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        items=[{"material_id": desk.materials[PLEDGED].pk}],
        due=timezone.localdate() + dt.timedelta(days=5),
    )
    with pytest.raises(InvalidInput) as err:
        services.case_correction_reply(
            case=case, materials={desk.materials[PLEDGED].pk: {"by_pledge": True}}
        )
    assert err.value.code == "case.pledge_barred"
    case.refresh_from_db()
    assert case.state == states.CORRECTING_INTAKE
    assert not case.documents.filter(material=desk.materials[PLEDGED]).exists()


def test_r_case_5_only_the_department_records_and_another_county_sees_nothing(desk, check):
    kangle_approver = org_services.staff_create(
        actor=desk.root,
        username="kangle_approver",
        full_name="康乐审批",
        password=None,
        roles={"approver"},
        staff_no="T0950",
        department=desk.kangle_market,
    ).user
    with pytest.raises(NotFound):
        pledges.pledge_check_record(actor=kangle_approver, check=check, truthful=True)
    with pytest.raises(NotFound):
        pledge_check_get_for(scope=scope_for(kangle_approver), check_id=check.pk)
    assert not pledge_checks_for(scope=scope_for(kangle_approver)).exists()
    # In scope but not the department's back office: the window clerk, the county admin.
    for actor in (desk.clerk, desk.county_admin, desk.police_approver):
        with pytest.raises((Forbidden, NotFound)):
            pledges.pledge_check_record(actor=actor, check=check, truthful=True)
    check.refresh_from_db()
    assert check.state == PledgeCheck.State.PENDING
    assert pledge_checks_for(scope=scope_for(desk.county_admin)).count() == 1
    assert pledge_checks_for(scope=scope_for(desk.chief_rep)).count() == 1
    assert not pledge_checks_for(scope=scope_for(desk.police_approver)).exists()


# --- pages --------------------------------------------------------------------------------------


def test_r_case_5_the_queue_is_sorted_by_due_date_and_flags_the_overdue(client, desk, settings):
    recent = approved(desk, day=timezone.localdate().isoformat())  # due in 20 working days
    settings.ONEWINDOW_PLEDGE_CHECK_DAYS = 1
    early = approved(desk, day="2026-09-30")  # due Thu 2026-10-08, long past
    client.force_login(desk.approver)
    page = client.get("/workspace/pledge-checks/").content.decode()
    assert page.index(early.number) < page.index(recent.number)
    assert page.count("已超期</span>") == 1
    assert "有 1 项核查已超过期限" in page


def test_r_case_5_queue_and_records_answer_404_outside_scope_and_role(client, desk, check):
    client.force_login(desk.kangle_admin)
    assert check.case.number not in client.get("/workspace/pledge-checks/").content.decode()
    assert client.get(f"/workspace/pledge-checks/{check.pk}/").status_code == 404
    response = client.post(
        f"/workspace/pledge-checks/{check.pk}/record/", {"result": "true", "back": "case"}
    )
    assert response.status_code == 404
    client.force_login(desk.clerk)
    assert client.get("/workspace/pledge-checks/").status_code == 404
    assert client.get("/workspace/false-pledges/").status_code == 404
    check.refresh_from_db()
    assert check.state == PledgeCheck.State.PENDING


def test_r_case_5_recording_from_the_case_page_and_the_panel_warns(client, desk, check):
    client.force_login(desk.approver)
    page = client.get(f"/workspace/cases/{check.case_id}/").content.decode()
    assert "告知承诺" in page and "待核查" in page and "记录" in page
    response = client.post(
        f"/workspace/pledge-checks/{check.pk}/record/",
        {"result": "false", "note": "", "back": "case"},
        follow=True,
    )
    assert "须写明核查情况" in response.content.decode()
    check.refresh_from_db()
    assert check.state == PledgeCheck.State.PENDING
    response = client.post(
        f"/workspace/pledge-checks/{check.pk}/record/",
        {"result": "", "back": "case"},
        follow=True,
    )
    assert "请选择核查结论" in response.content.decode()
    response = client.post(
        f"/workspace/pledge-checks/{check.pk}/record/",
        {"result": "false", "note": "场所证明系伪造", "back": "case"},
    )
    assert response["Location"] == f"/workspace/cases/{check.case_id}/"
    page = client.get(f"/workspace/cases/{check.case_id}/").content.decode()
    assert "该申请人有 1 条虚假承诺记录" in page and "须依法复核" in page
    assert "虚假承诺（决定待复核）" in page  # the history names the step
    client.force_login(desk.county_supervisor)
    records = client.get("/workspace/false-pledges/").content.decode()
    assert "场所证明系伪造" in records and desk.applicant.name in records
    client.force_login(desk.kangle_admin)
    assert "场所证明系伪造" not in client.get("/workspace/false-pledges/").content.decode()


def test_r_case_5_the_intake_page_refuses_a_pledge_of_a_barred_applicant(client, desk, check):
    pledges.pledge_check_record(actor=desk.approver, check=check, truthful=False, note="不实")
    client.force_login(desk.clerk)
    m = desk.materials
    response = client.post(
        "/workspace/cases/new/",
        {
            "listing": desk.listing.pk,
            "kind": "person",
            "name": desk.applicant.name,
            "phone": desk.applicant.phone,
            "id_number": "622921199001010016",
            f"doc_{m['个体工商户登记（备案）申请书'].pk}": "paper",
            f"doc_{m['经营者居民身份证'].pk}": "paper",
            f"doc_{m[PLEDGED].pk}": "pledge",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "不再适用告知承诺" in page
    assert Case.objects.count() == 1
