"""R-CASE-3: first-contact responsibility (首问负责): the person first asked owns the
question until it is answered or handed over, recorded and visible to supervisors."""

from __future__ import annotations

import pytest

from onewindow.complaints import selectors
from onewindow.complaints.models import Inquiry, InquiryHandover
from onewindow.complaints.services import inquiries
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for


def test_r_case_3_the_person_first_asked_owns_the_question_until_answered(net):
    i = inquiries.inquiry_log(actor=net.clerk, question="个体户变更经营场所要带什么？")
    assert i.first_owner == net.clerk and i.owner == net.clerk
    assert i.center == net.linxia_center and i.state == Inquiry.State.OPEN
    with pytest.raises(Forbidden):  # nobody else answers it in their place
        inquiries.inquiry_answer(actor=net.agent, inquiry=i, answer="不知道")
    i = inquiries.inquiry_answer(actor=net.clerk, inquiry=i, answer="带营业执照和新场所证明。")
    assert i.state == Inquiry.State.ANSWERED and i.answered_by == net.clerk
    with pytest.raises(Conflict):
        inquiries.inquiry_answer(actor=net.clerk, inquiry=i, answer="再答一次")
    assert AuditEvent.objects.filter(action__startswith="inquiry.").count() == 2


def test_r_case_3_a_handover_is_recorded_with_the_new_owner(net):
    i = inquiries.inquiry_log(actor=net.clerk, question="食品经营许可现场核查多久？")
    with pytest.raises(InvalidInput):  # a reason is required
        inquiries.inquiry_handover(actor=net.clerk, inquiry=i, to_user=net.approver, reason="")
    with pytest.raises(InvalidInput):  # not to someone at another center
        inquiries.inquiry_handover(
            actor=net.clerk, inquiry=i, to_user=net.kangle_admin, reason="请答复"
        )
    i = inquiries.inquiry_handover(
        actor=net.clerk, inquiry=i, to_user=net.approver, reason="需审批部门答复"
    )
    assert i.owner == net.approver and i.first_owner == net.clerk
    assert i.department == net.linxia_market
    handover = InquiryHandover.objects.get(inquiry=i)
    assert (handover.from_user, handover.to_user, handover.reason) == (
        net.clerk,
        net.approver,
        "需审批部门答复",
    )
    with pytest.raises(Forbidden):  # the former owner no longer answers it
        inquiries.inquiry_answer(actor=net.clerk, inquiry=i, answer="x")
    inquiries.inquiry_answer(actor=net.approver, inquiry=i, answer="一般10个工作日。")
    with pytest.raises(PermissionError):
        handover.save()


def test_r_case_3_supervisors_see_consultations_in_scope_and_others_do_not(net):
    i = inquiries.inquiry_log(actor=net.clerk, question="问题")
    for user in (net.county_supervisor, net.pref_supervisor, net.county_admin, net.clerk):
        assert selectors.inquiry_get_for(scope=scope_for(user), inquiry_id=i.pk) == i
    for user in (net.kangle_admin, net.approver, net.township_clerk):
        with pytest.raises(NotFound):
            selectors.inquiry_get_for(scope=scope_for(user), inquiry_id=i.pk)
    inquiries.inquiry_handover(actor=net.clerk, inquiry=i, to_user=net.approver, reason="转部门")
    # handed to the department: its approver now sees it
    assert selectors.inquiry_get_for(scope=scope_for(net.approver), inquiry_id=i.pk) == i


def test_r_case_3_pages_log_hand_over_and_show_the_trail(net, client):
    client.force_login(net.clerk)
    response = client.post(
        "/complaints/inquiries/", {"question": "社保卡补办在哪里？", "channel": "window"}
    )
    i = Inquiry.objects.get()
    assert response.status_code == 302 and i.owner == net.clerk
    response = client.post(
        f"/complaints/inquiries/{i.pk}/",
        {"action": "handover", "to_user": str(net.chief_rep.pk), "reason": "首席代表答复"},
    )
    assert response.status_code == 302
    page = client.get(f"/complaints/inquiries/{i.pk}/").content.decode()
    assert "首席代表答复" in page and str(net.chief_rep) in page
    # bad input: a clear message and nothing changed
    response = client.post("/complaints/inquiries/", {"question": " "})
    assert "请填写咨询内容" in response.content.decode() and Inquiry.objects.count() == 1
    client.force_login(net.county_supervisor)
    assert "社保卡补办" in client.get("/complaints/inquiries/").content.decode()
    client.force_login(net.kangle_admin)
    assert client.get(f"/complaints/inquiries/{i.pk}/").status_code == 404
