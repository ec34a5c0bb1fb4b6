"""R-CASE-8 (with R-CASE-3, R-CIT-1): a citizen asks about a matter online; the question
goes to the matter's department at the center, due within the center's working days
on the work calendar; someone there takes it (first owner), answers or hands it over;
the answer shows on the person's page and, if they agreed, on the guide only after the
department's review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from onewindow.complaints.models import FaqState, Inquiry
from onewindow.complaints.services import inquiries, online_inquiries
from onewindow.core.errors import Conflict, Forbidden, InvalidInput
from onewindow.core.models import AuditEvent
from onewindow.portal.citizens import services as citizen_services
from tests.portal.conftest import ALICE, BOB, CITIZEN_PASSWORD, register


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def ask(desk, account, *, consent=True, now=None) -> Inquiry:
    return citizen_services.citizen_ask(
        account=account,
        matter=desk.matter,
        center=desk.linxia_center,
        question="个体户变更经营场所需要重新办照吗？",
        publish_consent=consent,
        now=now,
    )


def test_r_case_8_the_question_goes_to_the_department_due_on_the_work_calendar(desk):
    alice = register(ALICE)
    # Thursday 12 February 2026: the next five working days are 13 Feb, Saturday 14 Feb
    # (worked in exchange for the Spring Festival), then 24, 25 and 26 Feb.
    inquiry = ask(desk, alice, now=at("2026-02-12"))
    assert inquiry.department == desk.linxia_market and inquiry.center == desk.linxia_center
    assert inquiry.channel == Inquiry.Channel.WEB and inquiry.owner is None
    assert inquiry.due == dt.date(2026, 2, 26)
    assert (inquiry.asker_name, inquiry.asker_phone) == (ALICE["name"], ALICE["phone"])
    with pytest.raises(InvalidInput):  # a center that does not handle the matter
        citizen_services.citizen_ask(
            account=alice, matter=desk.matter, center=desk.kangle_center, question="问题"
        )
    assert Inquiry.objects.count() == 1


def test_r_case_8_first_contact_at_the_department_then_answer_on_the_person_s_page(desk, client):
    alice = register(ALICE)
    inquiry = ask(desk, alice)
    for outsider in (desk.police_approver, desk.kangle_admin):
        with pytest.raises(Forbidden):
            online_inquiries.inquiry_take(actor=outsider, inquiry=inquiry)
    with pytest.raises(Forbidden):  # nobody answers before taking it
        inquiries.inquiry_answer(actor=desk.approver, inquiry=inquiry, answer="不需要")
    inquiry = online_inquiries.inquiry_take(actor=desk.approver, inquiry=inquiry)
    assert inquiry.first_owner == desk.approver == inquiry.owner
    with pytest.raises(Conflict):
        online_inquiries.inquiry_take(actor=desk.chief_rep, inquiry=inquiry)
    inquiry = inquiries.inquiry_handover(
        actor=desk.approver, inquiry=inquiry, to_user=desk.chief_rep, reason="首席代表答复"
    )
    inquiries.inquiry_answer(
        actor=desk.chief_rep, inquiry=inquiry, answer="同一登记机关辖区内变更，办理变更登记即可。"
    )
    assert list(
        AuditEvent.objects.filter(target_id=str(inquiry.pk), action__startswith="inquiry.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["inquiry.ask_online", "inquiry.take", "inquiry.handover", "inquiry.answer"]
    client.post("/my/login/", {"phone": ALICE["phone"], "password": CITIZEN_PASSWORD})
    page = client.get(f"/consult/{inquiry.pk}/").content.decode()
    assert "办理变更登记即可" in page
    assert "个体工商户登记" in client.get("/my/").content.decode()
    register(BOB)
    client.post("/my/logout/")
    client.post("/my/login/", {"phone": BOB["phone"], "password": CITIZEN_PASSWORD})
    assert client.get(f"/consult/{inquiry.pk}/").status_code == 404


def test_r_case_8_the_answer_is_a_faq_of_the_guide_only_after_the_department_s_review(desk, client):
    alice = register(ALICE)
    agreed, private = ask(desk, alice), ask(desk, alice, consent=False)
    for inquiry, text in ((agreed, "可以公开的答复"), (private, "不公开的答复")):
        online_inquiries.inquiry_take(actor=desk.approver, inquiry=inquiry)
        inquiries.inquiry_answer(actor=desk.approver, inquiry=inquiry, answer=text)
    agreed.refresh_from_db()
    private.refresh_from_db()
    assert (agreed.faq_state, private.faq_state) == (FaqState.PENDING, "")
    guide = f"/matters/{desk.matter.pk}/"
    assert "可以公开的答复" not in client.get(guide).content.decode()
    with pytest.raises(Forbidden):  # an approver is not the department's head
        online_inquiries.inquiry_faq_review(actor=desk.approver, inquiry=agreed, publish=True)
    with pytest.raises(Conflict):  # the asker did not agree
        online_inquiries.inquiry_faq_review(actor=desk.chief_rep, inquiry=private, publish=True)
    client.force_login(desk.chief_rep)
    response = client.post(f"/complaints/inquiries/{agreed.pk}/", {"action": "faq_publish"})
    assert response.status_code == 302
    client.logout()
    page = client.get(guide).content.decode()
    assert "常见问题" in page and "可以公开的答复" in page and "不公开的答复" not in page
    assert ALICE["phone"] not in page


def test_r_case_8_staff_reach_the_online_questions_from_the_workspace(desk, client):
    ask(desk, register(ALICE))
    client.force_login(desk.approver)
    assert "/complaints/inquiries/?online=1" in client.get("/workspace/").content.decode()
    page = client.get("/complaints/inquiries/?online=1").content.decode()
    assert "个体户变更经营场所" in page and "待部门接收" in page
    inquiry = Inquiry.objects.get()
    response = client.post(f"/complaints/inquiries/{inquiry.pk}/", {"action": "take"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.first_owner == desk.approver
