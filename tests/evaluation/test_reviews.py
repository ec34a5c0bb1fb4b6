"""R-EVAL-1, R-EVAL-2: reviews of visits and cases, nobody reviewing for the citizen,
one review per visit, default 基本满意 counted apart, the rectification of a bad review
through its whole life with working-day deadlines, and appeals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import Scope
from onewindow.evaluation import selectors, services, states
from onewindow.evaluation.models import Appeal, Rectification, RectificationEvent, Review
from onewindow.evaluation.sweep import sweep
from tests.evaluation.conftest import at, concluded_case, finish_visit


def bad(ev, ticket=None, **kw):
    ticket = ticket or finish_visit(ev)
    kw.setdefault("reasons", ["rude"])
    return services.review_visit(ticket=ticket, level=1, **kw)


def test_r_eval_1_a_visit_review_resolves_who_and_where_was_reviewed(ev):
    ticket = finish_visit(ev, case=True)
    review = services.review_visit(
        ticket=ticket,
        level=5,
        channel="qr",
        indicators={"efficiency": 5, "attitude": 4},
        reasons=["fast"],
        text="很快就办好了",
    )
    assert review.kind == "visit" and review.level_label == "非常满意"
    assert review.staff == ev.clerk and review.window == ev.w1
    assert review.center == ev.linxia_center
    assert review.department == ev.linxia_market and review.matter == ev.matter
    assert not hasattr(review, "rectification") or not Rectification.objects.exists()
    assert AuditEvent.objects.filter(action="evaluation.review", target_id=str(review.pk)).exists()


def test_r_eval_1_the_clerks_session_cannot_review_for_the_citizen(ev):
    ticket = finish_visit(ev)
    for actor in (ev.clerk, ev.county_admin, ev.root):
        with pytest.raises(Forbidden) as exc:
            services.review_visit(actor=actor, ticket=ticket, level=5)
        assert exc.value.code == "evaluation.clerk_cannot_review"
    assert not Review.objects.exists()
    services.review_visit(actor=None, ticket=ticket, level=5)
    assert Review.objects.count() == 1


def test_r_eval_1_a_second_review_of_the_same_visit_is_refused(ev):
    ticket = finish_visit(ev)
    services.review_visit(ticket=ticket, level=4)
    with pytest.raises(Conflict) as exc:
        services.review_visit(ticket=ticket, level=1, reasons=["rude"])
    assert exc.value.code == "evaluation.already_reviewed"
    # The database refuses it too, whatever the path.
    first = Review.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            kind="visit", channel="pad", level=1, ticket=ticket, center=first.center
        )
    assert Review.objects.count() == 1 and not Rectification.objects.exists()


def test_r_eval_1_only_finished_visits_and_concluded_cases_are_reviewed(ev):
    from onewindow.hall import services as hall_services

    waiting = hall_services.ticket_issue(center=ev.linxia_center, category=ev.cat_a)
    with pytest.raises(Conflict) as exc:
        services.review_visit(ticket=waiting, level=5)
    assert exc.value.code == "evaluation.visit_not_finished"
    from onewindow.cases import services as case_services
    from tests.cases.conftest import all_required

    open_case = case_services.case_intake(
        actor=ev.clerk, listing=ev.listing, applicant=ev.applicant, materials=all_required(ev)
    )
    with pytest.raises(Conflict) as exc:
        services.review_case(case=open_case, level=5)
    assert exc.value.code == "evaluation.case_not_concluded"
    case = concluded_case(ev)
    review = services.review_case(case=case, level=4, indicators={"guide": 4, "attitude": 3})
    assert review.kind == "case" and review.department == ev.linxia_market
    assert review.staff == ev.approver and review.matter == ev.matter
    with pytest.raises(Conflict):
        services.review_case(case=case, level=5)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"level": 0}, "level"),
        ({"level": "x"}, "level"),
        ({"level": 1}, "reasons"),  # a bad review needs a reason or a text
        ({"level": 5, "reasons": ["nonsense"]}, "reasons"),
        ({"level": 5, "indicators": {"attitude": 9}}, "indicators"),
        ({"level": 5, "indicators": {"guide": 5}}, "indicators"),  # an online indicator offline
        ({"level": 5, "text": "长" * 501}, "text"),
        ({"level": 5, "contact_phone": "12345"}, "contact_phone"),
    ],
)
def test_r_eval_1_bad_input_changes_nothing(ev, kwargs, field):
    ticket = finish_visit(ev)
    with pytest.raises(InvalidInput) as exc:
        services.review_visit(ticket=ticket, **kwargs)
    assert field in exc.value.fields
    assert not Review.objects.exists()


def test_r_eval_1_pad_reviews_the_windows_last_finished_visit_without_a_session(ev):
    pad, key = services.pad_pair(actor=ev.county_admin, window=ev.w1)
    with pytest.raises(Forbidden):
        services.pad_pair(actor=ev.clerk, window=ev.w1)
    with pytest.raises(NotFound):
        services.pad_pair(actor=ev.kangle_admin, window=ev.w1)
    assert selectors.pad_ticket(ev.w1) is None
    first = finish_visit(ev)
    second = finish_visit(ev)
    assert selectors.pad_ticket(ev.w1) == second
    with pytest.raises(Conflict):  # only the visit the pad shows
        services.review_from_pad(window_id=ev.w1.pk, key=key, ticket_id=first.pk, level=5)
    with pytest.raises(NotFound):
        services.review_from_pad(window_id=ev.w2.pk, key=key, ticket_id=second.pk, level=5)
    with pytest.raises(Forbidden) as exc:
        services.review_from_pad(
            actor=ev.clerk, window_id=ev.w1.pk, key=key, ticket_id=second.pk, level=5
        )
    assert exc.value.code == "evaluation.clerk_cannot_review"
    review = services.review_from_pad(window_id=ev.w1.pk, key=key, ticket_id=second.pk, level=5)
    assert review.channel == "pad" and review.ticket == second
    assert selectors.pad_ticket(ev.w1) is None
    # Pairing again revokes the old key.
    _, new_key = services.pad_pair(actor=ev.county_admin, window=ev.w1)
    with pytest.raises(NotFound):
        selectors.pad_for(window_id=ev.w1.pk, key=key)
    assert selectors.pad_for(window_id=ev.w1.pk, key=new_key).window == ev.w1


def test_r_eval_1_unsolicited_and_spot_check_reviews(ev):
    review = services.review_unsolicited(
        subject="department",
        center=ev.linxia_center,
        department=ev.linxia_market,
        level=2,
        text="电话总是打不通",
    )
    assert review.kind == "unsolicited" and review.department == ev.linxia_market
    assert Rectification.objects.filter(review=review).exists()
    with pytest.raises(InvalidInput):
        services.review_unsolicited(
            subject="department",
            center=ev.kangle_center,
            department=ev.linxia_market,
            level=5,
        )
    with pytest.raises(Forbidden):
        services.review_spot_check(
            actor=ev.county_admin, subject="center", center=ev.linxia_center, level=4, text="x"
        )
    with pytest.raises(NotFound):
        services.review_spot_check(
            actor=ev.county_supervisor, subject="center", center=ev.kangle_center, level=4, text="x"
        )
    spot = services.review_spot_check(
        actor=ev.county_supervisor,
        subject="window",
        center=ev.linxia_center,
        window=ev.w1,
        level=4,
        text="暗访：窗口秩序良好",
    )
    assert spot.kind == "spot_check" and spot.entered_by == ev.county_supervisor
    assert spot.get_kind_display() == "监督查评"


def test_r_eval_1_default_basic_satisfaction_after_n_days_is_counted_apart(ev, settings):
    settings.ONEWINDOW_EVAL_DEFAULT_DAYS = 7
    now = timezone.now()
    old = finish_visit(ev, now=now - dt.timedelta(days=9))
    recent = finish_visit(ev, now=now - dt.timedelta(days=2))
    reviewed = finish_visit(ev, now=now - dt.timedelta(days=10))
    services.review_visit(ticket=reviewed, level=5, now=now - dt.timedelta(days=10))
    case = concluded_case(ev, now=now - dt.timedelta(days=8))
    result = sweep(now=now)
    assert (result.default_visits, result.default_cases) == (1, 1)
    assert "1次服务和1件办件" in result.summary()
    default = Review.objects.get(ticket=old)
    assert default.is_default and default.level == 3 and default.staff == ev.clerk
    assert Review.objects.get(case=case).is_default
    assert not Review.objects.filter(ticket=recent).exists()
    again = sweep(now=now)  # idempotent
    assert (again.default_visits, again.default_cases) == (0, 0)
    assert Review.objects.filter(is_default=True).count() == 2
    with pytest.raises(Conflict):  # the visit now has its (default) review
        services.review_visit(ticket=old, level=1, reasons=["rude"])
    s = selectors.evaluation_stats(
        scope=Scope.all(),
        start=timezone.localdate() - dt.timedelta(days=30),
        end=timezone.localdate(),
    )
    assert s.total.total == 1 and s.total.defaults == 2 and s.total.satisfaction == 1.0


def test_r_eval_2_a_bad_review_is_contacted_rectified_reported_accepted_checked_closed(ev):
    review = bad(ev, contact_name="马先生", contact_phone="13900001111", text="态度不好")
    rect = review.rectification
    assert rect.state == states.OPENED and rect.department is None  # a center clerk's visit
    assert rect.responsible == ev.clerk
    # No department: the center handles both sides; a department does not even see it.
    with pytest.raises(NotFound):
        services.rectification_step(
            actor=ev.approver, rectification=rect, action="contact", text="x"
        )
    with pytest.raises(InvalidInput):
        services.rectification_step(actor=ev.county_admin, rectification=rect, action="contact")
    with pytest.raises(Conflict):
        services.rectification_step(
            actor=ev.county_admin, rectification=rect, action="report", text="x"
        )
    step = services.rectification_step
    step(actor=ev.county_admin, rectification=rect, action="contact", text="已电话联系，致歉")
    step(actor=ev.county_admin, rectification=rect, action="start")
    rect = step(
        actor=ev.county_admin, rectification=rect, action="report", text="已约谈窗口人员并培训"
    )
    assert rect.on_time is True
    with pytest.raises(Forbidden):
        services.rectification_reviewer_answer(
            actor=ev.clerk, token=rect.reviewer_token, accepts=True
        )
    with pytest.raises(NotFound):
        services.rectification_reviewer_answer(token="nope", accepts=True)
    rect = services.rectification_reviewer_answer(token=rect.reviewer_token, accepts=True)
    assert rect.state == states.ACCEPTED
    with pytest.raises(Conflict):
        services.rectification_reviewer_answer(
            token=rect.reviewer_token, accepts=False, comment="x"
        )
    step(actor=ev.county_admin, rectification=rect, action="check", text="核查属实")
    rect = step(actor=ev.county_admin, rectification=rect, action="close")
    assert rect.state == states.CLOSED and rect.closed_at
    actions = list(rect.events.values_list("action", flat=True))
    assert actions == ["open", "contact", "start", "report", "accept", "check", "close"]
    assert AuditEvent.objects.filter(action__startswith="rectification.").count() == 7


def test_r_eval_2_the_department_rectifies_its_own_and_a_rejection_sends_it_back(ev):
    case = concluded_case(ev)
    review = services.review_case(case=case, level=2, reasons=["slow"])
    rect = review.rectification
    assert rect.department == ev.linxia_market
    step = services.rectification_step
    with pytest.raises(NotFound):
        step(actor=ev.police_approver, rectification=rect, action="contact", text="x")
    step(actor=ev.approver, rectification=rect, action="contact", text="已联系申请人")
    step(actor=ev.approver, rectification=rect, action="start")
    step(actor=ev.approver, rectification=rect, action="report", text="压缩审查环节")
    with pytest.raises(InvalidInput):
        services.rectification_reviewer_answer(token=rect.reviewer_token, accepts=False)
    services.rectification_reviewer_answer(
        token=rect.reviewer_token, accepts=False, comment="还是慢"
    )
    with pytest.raises(Forbidden):  # only the center sends it back or checks
        step(actor=ev.approver, rectification=rect, action="redo", text="再改")
    rect = step(actor=ev.county_admin, rectification=rect, action="redo", text="请再次整改")
    assert rect.state == states.RECTIFYING and rect.reviewer_accepts is None


def test_r_eval_2_deadlines_in_working_days_across_the_2026_national_day(ev):
    """Official 2026 data: 10-01..10-07 off, Sat 10-10 a working day. A bad review on Wed
    09-30 (day 0): contact by Thu 10-08 (1 working day), rectify by Tue 10-13 (5: 10-08,
    10-09, 10-10, 10-12, 10-13). Past the contact deadline the sweep flags it once and
    escalates it to the center's director and the supervisors above."""
    ticket = finish_visit(ev, now=at("2026-09-30", 9))
    review = services.review_visit(
        ticket=ticket, level=1, reasons=["slow"], now=at("2026-09-30", 10)
    )
    rect = review.rectification
    assert rect.contact_deadline.due == dt.date(2026, 10, 8)
    assert rect.rectify_deadline.due == dt.date(2026, 10, 13)
    assert sweep(now=at("2026-10-08", 17)).overdue == 0
    result = sweep(now=at("2026-10-09", 9))
    assert result.overdue == 1
    rect.refresh_from_db()
    assert rect.overdue
    event = rect.events.get(action="overdue")
    assert set(event.data["escalated_to"]) == {
        ev.county_admin.pk,
        ev.county_supervisor.pk,
        ev.pref_supervisor.pk,
    }
    assert sweep(now=at("2026-10-12", 9)).overdue == 0  # once
    # A center with its own limits: 2 working days to contact from Tue 09-29 → 10-08.
    services.limits_set(
        actor=ev.county_admin, center=ev.linxia_center, contact_days=2, rectify_days=3
    )
    with pytest.raises(NotFound):
        services.limits_set(
            actor=ev.kangle_admin, center=ev.linxia_center, contact_days=2, rectify_days=3
        )
    ticket = finish_visit(ev, now=at("2026-09-29", 9))
    rect = services.review_visit(
        ticket=ticket, level=2, reasons=["slow"], now=at("2026-09-29", 10)
    ).rectification
    assert rect.contact_deadline.due == dt.date(2026, 10, 8)
    assert rect.rectify_deadline.due == dt.date(2026, 10, 9)
    # Reported late: counted as not on time.
    step = services.rectification_step
    step(
        actor=ev.county_admin, rectification=rect, action="contact", text="x", now=at("2026-10-08")
    )
    step(actor=ev.county_admin, rectification=rect, action="start", now=at("2026-10-08"))
    rect = step(
        actor=ev.county_admin, rectification=rect, action="report", text="y", now=at("2026-10-10")
    )
    assert rect.on_time is False


def test_r_eval_2_an_upheld_appeal_excludes_the_review_but_keeps_it(ev):
    case = concluded_case(ev)
    review = services.review_case(case=case, level=1, text="故意刁难")
    with pytest.raises(Forbidden):
        services.appeal_file(actor=ev.county_supervisor, review=review, reason="证据如下：录像")
    with pytest.raises(InvalidInput):
        services.appeal_file(actor=ev.approver, review=review, reason="")
    appeal = services.appeal_file(
        actor=ev.approver, review=review, reason="监控录像显示申请人未到窗口，系恶意差评"
    )
    with pytest.raises(Conflict):
        services.appeal_file(actor=ev.approver, review=review, reason="再次申诉的理由")
    with pytest.raises(Forbidden):
        services.appeal_decide(actor=ev.approver, appeal=appeal, upheld=True, decision="x")
    appeal = services.appeal_decide(
        actor=ev.county_admin, appeal=appeal, upheld=True, decision="经核查录像，申诉成立"
    )
    review.refresh_from_db()
    assert appeal.state == Appeal.State.UPHELD
    assert review.excluded and review.excluded_reason == "经核查录像，申诉成立"
    assert Review.objects.filter(pk=review.pk).exists()  # kept
    rect = Rectification.objects.get(review=review)
    assert rect.state == states.CLOSED
    assert list(rect.events.values_list("action", flat=True))[-2:] == ["appeal", "appeal_upheld"]
    s = selectors.evaluation_stats(
        scope=Scope.all(), start=timezone.localdate(), end=timezone.localdate()
    )
    assert s.total.total == 0 and s.total.excluded == 1 and s.total.bad == 0
    with pytest.raises(Conflict):
        services.appeal_decide(actor=ev.county_admin, appeal=appeal, upheld=False, decision="x")


def test_r_eval_2_a_rejected_appeal_leaves_the_review_counted(ev):
    review = services.review_case(case=concluded_case(ev), level=2, reasons=["slow"])
    appeal = services.appeal_file(actor=ev.approver, review=review, reason="办理在时限内完成")
    services.appeal_decide(actor=ev.county_admin, appeal=appeal, upheld=False, decision="确实较慢")
    review.refresh_from_db()
    assert not review.excluded
    assert Rectification.objects.get(review=review).state == states.OPENED
    assert RectificationEvent.objects.filter(action="appeal_rejected").count() == 1


def test_r_eval_1_the_reviewers_identity_is_invisible_to_the_reviewed(ev):
    case = concluded_case(ev)
    review = services.review_case(
        case=case, level=1, reasons=["slow"], contact_name="马先生", contact_phone="13900001111"
    )
    rect = review.rectification
    assert "13900001111" not in review.contact_phone_cipher
    assert selectors.rectification_contact(user=ev.approver, rectification=rect) is None
    assert selectors.rectification_contact(user=ev.chief_rep, rectification=rect) is None
    assert selectors.rectification_contact(user=ev.kangle_admin, rectification=rect) is None
    contact = selectors.rectification_contact(user=ev.county_admin, rectification=rect)
    assert contact == {"name": "马先生", "phone": "13900001111"}
    audit = AuditEvent.objects.get(action="evaluation.review")
    assert "13900001111" not in str(audit.after) and "马先生" not in str(audit.after)
    # Closed: nobody sees it any more.
    step = services.rectification_step
    step(actor=ev.county_admin, rectification=rect, action="contact", text="已联系")
    step(actor=ev.approver, rectification=rect, action="start")
    step(actor=ev.approver, rectification=rect, action="report", text="已整改")
    step(actor=ev.county_admin, rectification=rect, action="check", text="评价人未答复，核查属实")
    rect = step(actor=ev.county_admin, rectification=rect, action="close")
    assert selectors.rectification_contact(user=ev.county_admin, rectification=rect) is None
