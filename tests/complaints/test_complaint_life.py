"""R-CPL-1: a complaint from any channel is dispatched to the responsible department,
answered within its limit, judged by the complainant and revisited and closed by the
center; the department never sees who complained."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.complaints import selectors, services, states
from onewindow.complaints.models import Complaint, ComplaintRules
from onewindow.complaints.sweep import sweep
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from tests.complaints.conftest import at


def file(hall, *, now=None, **kw):
    data = dict(
        actor=hall.clerk,
        center=hall.linxia_center,
        source=Complaint.Source.DESK,
        subject="办理营业执照等了很久",
        content="个体工商户登记窗口让我来回跑了三次，营业执照还没有办下来。",
        name="马小红",
        phone="13909305678",
        now=now,
    )
    data.update(kw)
    return services.complaint_file(**data)


def test_r_cpl_1_filed_dispatched_answered_judged_revisited_closed(hall):
    c = file(hall)
    assert c.state == states.RECEIVED and c.number.startswith("T622921")
    # the words of the text point to the market regulator and its matter
    assert c.suggested_department == hall.linxia_market
    assert c.matter == hall.matter
    c = services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_market)
    assert c.state == states.DISPATCHED
    c = services.complaint_answer(
        actor=hall.approver, complaint=c, finding="upheld", answer="已当场办结并致歉。"
    )
    assert c.state == states.ANSWERED and c.status.open311 == "closed"
    c = services.complaint_feedback(token=c.token, satisfied=True, note="谢谢")
    assert c.state == states.SATISFIED
    c = services.complaint_revisit(actor=hall.clerk, complaint=c, note="电话回访，投诉人满意。")
    c = services.complaint_close(actor=hall.clerk, complaint=c)
    assert c.state == states.CLOSED and c.public_status == "已办结"
    actions = list(c.events.values_list("action", flat=True))
    assert actions == ["receive", "dispatch", "answer", "satisfied", "revisit", "close"]
    audited = AuditEvent.objects.filter(target_type="complaints.complaint", target_id=str(c.pk))
    assert audited.count() == 6


def test_r_cpl_1_answer_limit_crosses_the_2026_national_day_holiday(hall):
    """Received Tue 2026-09-29 (day 0), 5 working days: 09-30, then the holiday, then
    10-08, 10-09, 10-10 (the adjusted Saturday) and Mon 10-12: due 2026-10-12."""
    c = file(hall, now=at("2026-09-29"))
    assert c.deadline.start == dt.date(2026, 9, 29)
    assert c.deadline.due == dt.date(2026, 10, 12)
    # dispatched on 09-30: the return limit of 1 working day skips the holiday to 10-08
    c = services.complaint_dispatch(
        actor=hall.clerk, complaint=c, department=hall.linxia_market, now=at("2026-09-30")
    )
    assert c.return_due == dt.date(2026, 10, 8)
    # still open on 10-12: not overdue; on 10-13 the sweep flags it once
    assert sweep(now=at("2026-10-12", 17)).overdue == 0
    result = sweep(now=at("2026-10-13", 9))
    assert result.overdue == 1 and c.number in result.summary()
    assert sweep(now=at("2026-10-13", 10)).overdue == 0
    assert Complaint.objects.get(pk=c.pk).overdue is True
    assert c.events.filter(action="overdue").count() == 1


def test_r_cpl_1_the_answer_limit_is_configurable_per_center(hall, settings):
    settings.ONEWINDOW_COMPLAINT_ANSWER_DAYS = 3
    c = file(hall, now=at("2026-09-29"))
    assert c.deadline.due == dt.date(2026, 10, 9)
    ComplaintRules.objects.create(center=hall.linxia_center, answer_days=10)
    c = file(hall, now=at("2026-09-29"), phone="13909300000", subject="其他事情")
    assert c.deadline.due == dt.date(2026, 10, 19)


def test_r_cpl_1_one_extension_only_and_only_with_the_centers_approval(hall):
    c = file(hall, now=at("2026-09-29"))
    c = services.complaint_dispatch(
        actor=hall.clerk, complaint=c, department=hall.linxia_market, now=at("2026-09-29")
    )
    with pytest.raises(Conflict):  # nothing requested yet
        services.complaint_extension_approve(actor=hall.county_admin, complaint=c)
    c = services.complaint_extension_request(
        actor=hall.approver, complaint=c, reason="需现场核查", now=at("2026-10-09")
    )
    assert c.deadline.due == dt.date(2026, 10, 12)  # unchanged until approved
    for not_admin in (hall.approver, hall.clerk):
        with pytest.raises(Forbidden):
            services.complaint_extension_approve(actor=not_admin, complaint=c)
    c = services.complaint_extension_approve(actor=hall.county_admin, complaint=c)
    assert c.extension == "approved"
    assert c.deadline.due == dt.date(2026, 10, 19)  # +5 working days
    with pytest.raises(Conflict) as exc:
        services.complaint_extension_request(actor=hall.approver, complaint=c, reason="再延")
    assert exc.value.code == "complaint.extended_once"
    assert Complaint.objects.get(pk=c.pk).deadline.due == dt.date(2026, 10, 19)


def test_r_cpl_1_the_department_returns_once_within_one_working_day(hall):
    c = file(hall, now=at("2026-09-29"))
    services.complaint_dispatch(
        actor=hall.clerk, complaint=c, department=hall.linxia_police, now=at("2026-09-30")
    )
    with pytest.raises(NotFound):  # another department does not even see it
        services.complaint_return(actor=hall.approver, complaint=c, reason="不是我们")
    with pytest.raises(InvalidInput):  # a reason is required
        services.complaint_return(
            actor=hall.police_approver, complaint=c, reason=" ", now=at("2026-10-08")
        )
    c = services.complaint_return(
        actor=hall.police_approver, complaint=c, reason="属市场监管职责", now=at("2026-10-08", 16)
    )
    assert c.state == states.RETURNED and c.returns == 1
    with pytest.raises(InvalidInput):  # not back to the department that returned it
        services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_police)
    c = services.complaint_dispatch(
        actor=hall.clerk, complaint=c, department=hall.linxia_market, now=at("2026-10-09")
    )
    # the clock kept running from receipt: a misroute gives no extra time
    assert c.deadline.due == dt.date(2026, 10, 12)
    with pytest.raises(Conflict) as exc:
        services.complaint_return(actor=hall.approver, complaint=c, reason="也不是我们")
    assert exc.value.code == "complaint.returned_once"


def test_r_cpl_1_a_return_after_one_working_day_is_refused(hall):
    c = file(hall, now=at("2026-09-29"))
    services.complaint_dispatch(
        actor=hall.clerk, complaint=c, department=hall.linxia_market, now=at("2026-09-30")
    )
    with pytest.raises(Conflict) as exc:
        services.complaint_return(
            actor=hall.approver, complaint=c, reason="不是我们", now=at("2026-10-09")
        )
    assert exc.value.code == "complaint.return_too_late"
    assert Complaint.objects.get(pk=c.pk).state == states.DISPATCHED


def test_r_cpl_1_unsatisfied_complainant_reopens_once(hall):
    c = file(hall, now=at("2026-10-12"))
    services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_market)
    services.complaint_answer(actor=hall.approver, complaint=c, finding="upheld", answer="已核实。")
    c = services.complaint_feedback(token=c.token, satisfied=False, note="没有解决")
    assert c.state == states.UNSATISFIED
    c = services.complaint_reopen(token=c.token, reason="营业执照还是没有办", now=at("2026-10-20"))
    assert c.state == states.DISPATCHED and c.reopened
    assert c.deadline.start == dt.date(2026, 10, 20) and c.deadline.due == dt.date(2026, 10, 27)
    services.complaint_answer(actor=hall.approver, complaint=c, finding="upheld", answer="已办结。")
    services.complaint_feedback(token=c.token, satisfied=False)
    with pytest.raises(Conflict) as exc:
        services.complaint_reopen(token=c.token, reason="还是不满意")
    assert exc.value.code == "complaint.reopened_once"
    with pytest.raises(NotFound):
        services.complaint_reopen(token="wrong-token", reason="x")


def test_r_cpl_1_real_name_is_revisited_before_closing_anonymous_is_not(hall):
    named = file(hall)
    services.complaint_dispatch(actor=hall.clerk, complaint=named, department=hall.linxia_market)
    services.complaint_answer(
        actor=hall.approver, complaint=named, finding="upheld", answer="已处理。"
    )
    with pytest.raises(Conflict) as exc:
        services.complaint_close(actor=hall.clerk, complaint=named)
    assert exc.value.code == "complaint.revisit_first"
    anon = file(hall, anonymous=True, name="某某", phone="13900000000", source="box")
    assert anon.name == "" and anon.phone == ""
    services.complaint_dispatch(actor=hall.clerk, complaint=anon, department=hall.linxia_market)
    services.complaint_answer(
        actor=hall.approver, complaint=anon, finding="upheld", answer="已处理。"
    )
    with pytest.raises(Conflict):
        services.complaint_revisit(actor=hall.clerk, complaint=anon, note="无法回访")
    assert services.complaint_close(actor=hall.clerk, complaint=anon).state == states.CLOSED


def test_r_cpl_1_the_complainants_identity_is_invisible_to_the_department(hall, client):
    c = file(hall)
    services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_market)
    assert selectors.sees_identity(hall.clerk, c)
    assert selectors.sees_identity(hall.county_supervisor, c)
    for department_user in (hall.approver, hall.chief_rep, hall.pref_market_leader):
        assert not selectors.sees_identity(department_user, c)
    client.force_login(hall.approver)
    page = client.get(f"/complaints/staff/{c.pk}/").content.decode()
    assert c.subject in page
    assert "马小红" not in page and "13909305678" not in page and "5678" not in page
    client.force_login(hall.clerk)
    page = client.get(f"/complaints/staff/{c.pk}/").content.decode()
    assert "马小红" in page and "13909305678" in page


def test_r_cpl_1_a_repeat_complaint_is_linked_and_not_counted_twice(hall):
    first = file(hall, now=at("2026-10-12"))
    again = file(
        hall, now=at("2026-10-20"), subject="营业执照还没办下来", content="上次反映的营业执照问题"
    )
    other_person = file(hall, now=at("2026-10-20"), phone="13800001111")
    much_later = file(hall, now=at("2026-12-20"))
    assert again.related_to == first
    assert other_person.related_to is None and much_later.related_to is None
    assert again.events.filter(action="link").exists()
    counted = Complaint.objects.counted()
    assert first in counted and again not in counted
    period = selectors.Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    hot = selectors.hot_topics(scope=scope_for(hall.root), period=period)
    assert hot.total == 2  # first and other_person; the repeat is not counted
    assert next(t for t in hot.words if t.word == "营业执照").count == 2


def test_r_cpl_1_bad_input_changes_nothing(hall):
    for kw, code in (
        ({"subject": " "}, "complaint.subject_required"),
        ({"phone": "12345"}, "complaint.bad_phone"),
        ({"source": "fax"}, "complaint.bad_source"),
        ({"lat": "north"}, "complaint.bad_location"),
    ):
        with pytest.raises(InvalidInput) as exc:
            file(hall, **kw)
        assert exc.value.code == code
    assert Complaint.objects.count() == 0
    with pytest.raises(Forbidden):  # a department's approver does not register complaints
        file(hall, actor=hall.approver)
    with pytest.raises(NotFound):  # another county's admin does not see this center
        file(hall, actor=hall.kangle_admin)


def test_r_cpl_1_hot_topics_compare_with_the_previous_period(hall):
    for day in ("2026-09-10", "2026-10-10", "2026-10-12", "2026-10-14"):
        file(hall, now=at(day), anonymous=True, subject="不动产登记排队太长", content="排队")
    file(hall, now=at("2026-10-15"), subject="营业执照", content="营业执照", anonymous=True)
    period = selectors.Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert period.previous() == selectors.Period(dt.date(2026, 8, 31), dt.date(2026, 9, 30))
    hot = selectors.hot_topics(scope=scope_for(hall.county_admin), period=period)
    top = hot.words[0]
    assert (top.word, top.count, top.previous, top.trend) == ("不动产登记", 3, 1, "up")
    assert hot.total == 4 and hot.previous_total == 1
    assert hot.months[-1] == ("2026年10月", 4)
    # another county sees none of it
    assert selectors.hot_topics(scope=scope_for(hall.kangle_admin), period=period).total == 0
