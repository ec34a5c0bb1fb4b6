"""补正 online and at the terminal (R-CASE-8, R-CASE-2): when the applicant's file
completes the one-time correction notice, the notice is answered through the
correction-reply service and the case goes back on its own (to intake, or to the
department's review with its clock running again); no clerk needs to close it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import Case, CaseEvent, Correction
from onewindow.cases.selectors import missing_materials
from onewindow.cases.services import files as file_services
from onewindow.core.audit import TerminalActor
from onewindow.core.errors import Forbidden
from onewindow.core.models import AuditEvent
from tests.cases.conftest import all_required
from tests.files.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db
TERMINAL = TerminalActor(center_id=None, code="LX-SIM-01")


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.ONEWINDOW_UPLOAD_ROOT = str(tmp_path / "uploads")


def _due():
    return timezone.localdate() + dt.timedelta(days=10)


def _in_review_correction(desk, names, note=None):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_accept(actor=desk.clerk, case=case)
    services.case_start_review(actor=desk.approver, case=case)
    items = [{"material_id": desk.materials[n].pk, "note": "请提供清晰件"} for n in names]
    if note:
        items.append({"material_id": None, "note": note})
    services.case_ask_correction(actor=desk.approver, case=case, items=items, due=_due())
    case.refresh_from_db()
    assert case.state == states.CORRECTING
    return case


def _give(case, desk, name, actor=None):
    return file_services.correction_document_attach(
        actor=actor,
        case=case,
        material=desk.materials[name],
        upload=upload(f"{name}.pdf", PDF_BYTES),
    )


def test_r_case_8_the_last_material_given_online_sends_the_case_back_to_review(desk):
    case = _in_review_correction(desk, ["经营者居民身份证", "经营场所使用证明"])
    first = _give(case, desk, "经营者居民身份证")
    case.refresh_from_db()
    assert not first.correction_closed and case.state == states.CORRECTING
    last = _give(case, desk, "经营场所使用证明")
    case.refresh_from_db()
    assert last.correction_closed and case.state == states.IN_REVIEW
    correction = Correction.objects.get(case=case)
    assert correction.state == Correction.State.ANSWERED and correction.answered_at is not None
    reply = CaseEvent.objects.get(case=case, action="reply")
    assert reply.actor_label == "申请人" and reply.to_state == states.IN_REVIEW
    assert set(reply.data["materials"]) == {"经营者居民身份证", "经营场所使用证明"}
    assert not case.deadline.paused and not case.statutory_deadline.paused
    # the file itself stays the one given
    assert last.document.file.original_name == "经营场所使用证明.pdf"


def test_r_case_8_at_the_terminal_the_intake_correction_closes_in_the_terminals_name(desk):
    case = services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials={}
    )
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        items=[{"material_id": m.pk} for m in missing_materials(case)],
        due=_due(),
    )
    names = [m.name for m in missing_materials(case)]
    outcomes = [_give(case, desk, name, actor=TERMINAL) for name in names]
    assert [o.correction_closed for o in outcomes] == [False] * (len(names) - 1) + [True]
    case.refresh_from_db()
    assert case.state == states.INTAKE and not missing_materials(case)
    row = AuditEvent.objects.get(action="case.reply_intake", target_id=str(case.pk))
    assert row.actor_id is None and row.actor_label == "自助终端 LX-SIM-01"
    attached = AuditEvent.objects.filter(action="case.document_attach", target_id=str(case.pk))
    assert {r.actor_label for r in attached} == {"自助终端 LX-SIM-01"}
    labels = set(
        CaseEvent.objects.filter(case=case)
        .exclude(actor__isnull=False)
        .values_list("actor_label", flat=True)
    )
    assert labels == {"申请人（自助终端 LX-SIM-01）"}


def test_r_case_8_a_written_question_in_the_notice_waits_for_a_person(desk):
    case = _in_review_correction(desk, ["经营场所使用证明"], note="经营范围表述需修改")
    outcome = _give(case, desk, "经营场所使用证明")
    case.refresh_from_db()
    assert not outcome.correction_closed and case.state == states.CORRECTING
    assert Correction.objects.get(case=case).state == Correction.State.OPEN


def test_r_case_8_a_file_given_before_the_notice_does_not_answer_it(desk):
    case = _in_review_correction(desk, ["经营者居民身份证", "经营场所使用证明"])
    correction = Correction.objects.get(case=case)
    # pretend the notice came after the identity card's file
    _give(case, desk, "经营者居民身份证")
    Correction.objects.filter(pk=correction.pk).update(
        issued_at=timezone.now() + dt.timedelta(minutes=5)
    )
    outcome = _give(case, desk, "经营场所使用证明")
    case.refresh_from_db()
    assert not outcome.correction_closed and case.state == states.CORRECTING


def test_r_case_8_staff_use_the_case_page_not_the_applicants_path(desk):
    case = _in_review_correction(desk, ["经营场所使用证明"])
    with pytest.raises(Forbidden):
        _give(case, desk, "经营场所使用证明", actor=desk.clerk)
    case.refresh_from_db()
    assert case.state == states.CORRECTING
    assert not CaseEvent.objects.filter(case=case, action="document_attach").exists()


def test_r_case_8_the_applicants_link_and_api_close_the_correction(client, desk):
    case = _in_review_correction(desk, ["经营场所使用证明"])
    Case.objects.filter(pk=case.pk).update(channel=Case.Channel.WEB)
    case.refresh_from_db()
    material = desk.materials["经营场所使用证明"]
    response = client.post(
        f"/api/v1/cases/online/applications/{case.token}/documents",
        {"material_id": material.pk, "file": upload("租赁合同.pdf", PDF_BYTES)},
    )
    assert response.status_code == 201, response.content
    case.refresh_from_db()
    assert case.state == states.IN_REVIEW
    assert response.json()["public_status"] == case.public_status
