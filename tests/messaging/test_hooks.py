"""What is sent (R-MSG-1): the steps of the hall, cases and complaints write their
messages in their own transaction through the hooks those apps own; a step rolled back
leaves none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import services
from onewindow.complaints.services import complaint_file
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.hall import services as hall_services
from onewindow.messaging import worker
from onewindow.messaging.models import Message
from onewindow.messaging.outbox import quiet_end
from tests.cases.conftest import all_required, desk  # noqa: F401  (the case desk fixture)
from tests.catalog.conftest import cat  # noqa: F401
from tests.hall.conftest import _hall_open_all_day, hall  # noqa: F401

pytestmark = pytest.mark.django_db


def keys() -> list[str]:
    return list(
        Message.objects.exclude(channel="province")
        .order_by("pk")
        .values_list("template", flat=True)
    )


def test_r_msg_1_a_case_tells_its_applicant_each_step_and_staff_of_an_urging(desk, client):  # noqa: F811
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    received = Message.objects.get(key=f"case:{case.pk}:received")
    assert (received.phone, received.channel, received.center) == (
        "13909301234",
        "sms",
        desk.linxia_center,
    )
    assert (
        received.body
        == f"您的个体工商户登记申请已收件，办件编号{case.number}，可凭编号查询进度。".replace(
            "个体工商户登记", desk.matter.name
        )
    )
    services.case_accept(actor=desk.clerk, case=case)
    case.refresh_from_db()
    accepted = Message.objects.get(key=f"case:{case.pk}:accepted")
    assert f"承诺{case.due:%Y年%m月%d日}前办结" in accepted.body
    services.case_start_review(actor=desk.approver, case=case)
    services.case_urge(
        actor=desk.county_admin,
        case=case,
        message="申请人急需营业执照",
        reply_by=timezone.localdate() + dt.timedelta(days=2),
    )
    urging = Message.objects.get(template="staff_urging")
    assert (urging.channel, urging.user, urging.phone) == ("inapp", desk.approver, "")
    services.case_decide(actor=desk.approver, case=case, approve=True, note="符合条件")
    services.case_make_ready(actor=desk.approver, case=case)
    services.case_deliver(actor=desk.clerk, case=case, method="window")
    assert keys() == [
        "case_received",
        "case_accepted",
        "staff_urging",
        "case_ready",
        "case_review_link",
    ]
    link = Message.objects.get(template="case_review_link")
    assert f"/evaluation/t/{case.token}/" in link.body
    # the in-app message reaches the approver's inbox once delivered
    when = quiet_end(timezone.now())
    assert worker.run_once(worker="w", now=when).counts.get("sent", 0) >= 1
    client.force_login(desk.approver)
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert "申请人急需营业执照" in page and case.number in page


def test_r_msg_1_a_step_rolled_back_leaves_no_message(desk):  # noqa: F811
    m = desk.materials
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_intake(
            actor=desk.clerk,
            listing=desk.listing,
            applicant=desk.applicant,
            materials=all_required(desk),
        )
        assert (
            Message.objects.exclude(channel="province").count() == 1
        )  # written in the step's transaction …
        raise RuntimeError("the step fails after its event")
    assert Message.objects.count() == 0  # … and gone with it
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials={m["经营者居民身份证"].pk: {}},
    )
    with pytest.raises(Conflict):
        services.case_accept(actor=desk.clerk, case=case)  # materials missing: refused
    assert keys() == ["case_received"]
    due = timezone.localdate() + dt.timedelta(days=5)
    with pytest.raises(InvalidInput):  # not all at once: refused
        services.case_ask_correction(
            actor=desk.clerk,
            case=case,
            due=due,
            items=[{"material_id": m["经营场所使用证明"].pk, "note": ""}],
        )
    assert keys() == ["case_received"]
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        due=due,
        items=[
            {"material_id": m[name].pk, "note": ""}
            for name in ("个体工商户登记（备案）申请书", "经营场所使用证明")
        ],
    )
    correction = Message.objects.get(template="case_correction")
    assert "经营场所使用证明" in correction.body and "逾期视为撤回" in correction.body


def test_r_msg_1_the_hall_tells_a_ticket_three_ahead_and_called(hall):  # noqa: F811
    tickets = [
        hall_services.ticket_issue(
            center=hall.linxia_center, category=hall.cat_a, phone=f"1390930{i:04d}"
        )
        for i in range(1, 6)
    ]
    called = hall_services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert called == tickets[0]
    by_key = dict(Message.objects.values_list("key", "body"))
    assert by_key == {
        f"ticket:{tickets[0].pk}:called": f"请{tickets[0].code}号到2号窗口办理。",
        f"ticket:{tickets[4].pk}:soon": (
            f"您取的{tickets[4].code}号前面还有3位，请到临夏县政务服务中心候叫区等候。"
        ),
    }
    assert set(Message.objects.values_list("urgent", flat=True)) == {True}


def test_r_msg_1_a_complaint_is_acknowledged_to_its_complainant(net):
    complaint = complaint_file(
        center=net.linxia_center,
        source="web",
        subject="窗口人员态度差",
        content="办理营业执照时窗口人员态度生硬。",
        name="马先生",
        phone="13909305678",
    )
    message = Message.objects.get(key=f"complaint:{complaint.pk}:received")
    assert message.phone == "13909305678"
    assert message.body.startswith(f"您的投诉已登记，编号{complaint.number}，我们将在")
