"""R-CASE-8: an online question still open after the center's working-day limit is
flagged by the sweep once (an event, an audit row), and the center's administrator sees
it in the consultation list and on the workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from onewindow.complaints import inquiry_sweep
from onewindow.complaints.models import Inquiry, InquiryEvent
from onewindow.complaints.services import inquiries, online_inquiries
from onewindow.core import sweeps
from onewindow.core.models import AuditEvent
from onewindow.portal.citizens import services as citizen_services
from tests.portal.conftest import ALICE, register


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def ask(desk, account, question: str, now) -> Inquiry:
    return citizen_services.citizen_ask(
        account=account, matter=desk.matter, center=desk.linxia_center, question=question, now=now
    )


def test_r_case_8_overdue_online_questions_flagged_once_with_event_and_audit(desk):
    alice = register(ALICE)
    late = ask(desk, alice, "个体户变更经营场所需要重新办照吗？", at("2026-02-12"))
    answered = ask(desk, alice, "营业执照遗失怎么补办？", at("2026-02-12"))
    fresh = ask(desk, alice, "可以网上办理吗？", at("2026-02-25"))
    assert late.due == dt.date(2026, 2, 26)
    online_inquiries.inquiry_take(actor=desk.approver, inquiry=answered)
    inquiries.inquiry_answer(actor=desk.approver, inquiry=answered, answer="到窗口申请补领。")
    assert "inquiries" in sweeps.registered()

    # On the due day itself nothing is late yet.
    assert inquiry_sweep.sweep(now=at("2026-02-26", 17)).overdue == 0
    result = inquiry_sweep.sweep(now=at("2026-02-27", 9))
    assert (result.overdue, result.ids) == (1, [late.pk])
    assert "逾期未答复 1 件" in result.summary()
    late.refresh_from_db(), answered.refresh_from_db(), fresh.refresh_from_db()
    assert late.overdue and not answered.overdue and not fresh.overdue
    event = InquiryEvent.objects.get(inquiry=late)
    assert (event.action, event.actor_label, event.data) == (
        "overdue",
        "系统",
        {"due": "2026-02-26"},
    )
    audit = AuditEvent.objects.get(action="inquiry.overdue")
    assert audit.target_id == str(late.pk) or int(audit.target_id) == late.pk

    # A second pass, through the registry as `onewindow sweep` runs it, changes nothing.
    summaries = sweeps.run_all(now=at("2026-03-02", 9), only=["inquiries"])
    assert summaries == ["网上咨询：没有新逾期未答复的咨询。"]
    assert InquiryEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action="inquiry.overdue").count() == 1


def test_r_case_8_the_center_admin_sees_the_overdue_questions(desk, client):
    alice = register(ALICE)
    late = ask(desk, alice, "个体户变更经营场所需要重新办照吗？", at("2026-02-12"))
    ask(desk, alice, "可以网上办理吗？", timezone.now())
    inquiry_sweep.sweep(now=at("2026-02-27", 9))
    client.force_login(desk.county_admin)
    listing = client.get("/complaints/inquiries/?overdue=1").content.decode()
    assert "个体户变更经营场所" in listing and "可以网上办理吗" not in listing
    assert "逾期" in listing
    workspace = client.get("/workspace/").content.decode()
    assert "逾期未答复 1 件" in workspace
    # Answered late, it leaves the overdue list but keeps its flag in the history.
    online_inquiries.inquiry_take(actor=desk.approver, inquiry=late)
    inquiries.inquiry_answer(actor=desk.approver, inquiry=late, answer="需要办理变更登记。")
    assert (
        "个体户变更经营场所" not in client.get("/complaints/inquiries/?overdue=1").content.decode()
    )
    assert "overdue-inquiries" not in client.get("/workspace/").content.decode()
