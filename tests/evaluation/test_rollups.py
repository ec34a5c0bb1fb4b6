"""The monthly rollups (R-SUP-2, R-EVAL-3): kept by the services in the same
transaction as each write, they equal an exact recount from the records after a
realistic mix of service calls across two months (visits, cases decided the same
day and later, a decision taken back, reviews good and bad, a rectification
reported, an appeal upheld, complaints filed, dispatched, moved and answered)."""

from __future__ import annotations

import datetime as dt

from onewindow.cases import services as case_services
from onewindow.cases.models import CaseDecisionMonth, CaseMonth
from onewindow.cases.services import supervision
from onewindow.complaints import services as complaint_services
from onewindow.complaints.models import ComplaintMonth
from onewindow.core import rollups
from onewindow.evaluation import services
from onewindow.evaluation.models import ReviewMonth
from onewindow.hall import rollups as hall_rollups
from onewindow.hall.models import TicketMonth
from tests.cases.conftest import all_required
from tests.evaluation.conftest import at, concluded_case, finish_visit

MODELS = (CaseMonth, CaseDecisionMonth, ReviewMonth, ComplaintMonth, TicketMonth)
COUNTERS = {
    m: [
        f.name
        for f in m._meta.fields
        if f.get_internal_type() in ("IntegerField", "BigIntegerField")
        and f.name not in ("subject_key", "dept_key")
    ]
    for m in MODELS
}


def table(model) -> dict:
    """Every non-zero counter of the rollup, by its key (a striped rollup's stripes,
    ``hall.TicketMonth``'s, summed: the services add to one stripe, a rebuild writes one)."""
    sums: dict = {}
    hall_rollups.settle()  # PostgreSQL folds the tickets' rollup at the commit
    for row in model.objects.all():
        key = (row.subject, row.subject_key, row.month, row.center_id, row.dept_key)
        counts = sums.setdefault(key, {})
        for c in COUNTERS[model]:
            counts[c] = counts.get(c, 0) + getattr(row, c)
    return {
        key: {c: n for c, n in counts.items() if n}
        for key, counts in sums.items()
        if any(counts.values())
    }


def world(ev):
    """Two months of a small center's work, through the services only."""
    for day, hour in (("2026-10-14", 9), ("2026-10-30", 16), ("2026-11-02", 10)):
        t = finish_visit(ev, now=at(day, hour), case=hour == 10)
        services.review_visit(
            ticket=t, level=5 if hour == 9 else 2, text="等太久", now=at(day, hour, 30)
        )
    # a case decided the day it was accepted; one decided a week later; one taken back
    concluded_case(ev, now=at("2026-10-15", 9))
    late = case_services.case_intake(
        actor=ev.clerk,
        listing=ev.listing,
        applicant=ev.applicant,
        materials=all_required(ev),
        channel="terminal",
        now=at("2026-10-20"),
    )
    late = case_services.case_accept(actor=ev.clerk, case=late, now=at("2026-10-20", 11))
    late = case_services.case_start_review(actor=ev.approver, case=late, now=at("2026-10-21"))
    late = case_services.case_decide(
        actor=ev.approver, case=late, approve=True, now=at("2026-11-03")
    )
    bad = services.review_case(case=late, level=1, text="太慢", now=at("2026-11-04"))
    step = services.rectification_step
    rect = bad.rectification
    step(
        actor=ev.county_admin,
        rectification=rect,
        action="contact",
        text="已致歉",
        now=at("2026-11-04", 15),
    )
    step(actor=ev.county_admin, rectification=rect, action="start", now=at("2026-11-05"))
    step(
        actor=ev.county_admin,
        rectification=rect,
        action="report",
        text="已整改",
        now=at("2026-11-06"),
    )
    appealed = services.review_case(
        case=concluded_case(ev, now=at("2026-11-05")), level=2, text="恶意", now=at("2026-11-05")
    )
    appeal = services.appeal_file(actor=ev.approver, review=appealed, reason="录像证明未到窗口")
    services.appeal_decide(actor=ev.county_admin, appeal=appeal, upheld=True, decision="属实")
    # complaints: one misrouted then moved and answered, one answered, one open
    data = dict(
        actor=ev.clerk,
        center=ev.linxia_center,
        source="desk",
        subject="办照慢",
        content="营业执照办了很久",
        name="马小红",
        phone="13909305678",
    )
    for day in ("2026-10-27", "2026-11-02", "2026-11-09"):
        complaint_services.complaint_file(**data, now=at(day))
    first, second, _open = ev.linxia_center.complaints.order_by("received_at")
    complaint_services.complaint_dispatch(
        actor=ev.clerk, complaint=first, department=ev.linxia_police, now=at("2026-10-27", 11)
    )
    complaint_services.complaint_return(
        actor=ev.police_approver, complaint=first, reason="不是我们的事", now=at("2026-10-28")
    )
    first.refresh_from_db()
    complaint_services.complaint_dispatch(
        actor=ev.clerk, complaint=first, department=ev.linxia_market, now=at("2026-10-29")
    )
    complaint_services.complaint_answer(
        actor=ev.approver, complaint=first, finding="upheld", answer="已办结", now=at("2026-11-02")
    )
    complaint_services.complaint_dispatch(
        actor=ev.clerk, complaint=second, department=ev.linxia_market, now=at("2026-11-02", 11)
    )
    complaint_services.complaint_answer(
        actor=ev.approver,
        complaint=second,
        finding="unfounded",
        answer="已答复",
        now=at("2026-11-30"),
    )


def test_r_sup_2_rollup_equals_recount_after_a_mix_of_service_calls(ev):
    world(ev)
    kept = {m: table(m) for m in MODELS}
    assert all(kept.values())
    rollups.rebuild_all()
    for m in MODELS:
        assert table(m) == kept[m], m.__name__
    # and by month only: the same again
    rollups.rebuild_all([dt.date(2026, 11, 1)])
    for m in MODELS:
        assert table(m) == kept[m], m.__name__


def test_r_eval_3_review_rollup_counts_a_hand_count_per_department_and_month(ev):
    world(ev)
    nov = ReviewMonth.objects.get(
        subject="department", subject_key=ev.linxia_market.pk, month=dt.date(2026, 11, 1)
    )
    # November, market regulation: the 2 of the visit of 11-02 (it took in a case of
    # the department) and the 1 of the late case; the appealed 2 is excluded.
    assert (nov.total, nov.good, nov.bad, nov.level_1, nov.level_2) == (2, 0, 2, 1, 1)
    assert nov.excluded == 1
    assert (nov.rect_reported, nov.rect_on_time) == (1, 1)
    center = ReviewMonth.objects.filter(subject="center", month=dt.date(2026, 10, 1))
    assert sum(r.total for r in center) == 2 and sum(r.good for r in center) == 1


def test_r_sup_2_case_rollup_counts_received_decided_on_the_spot_and_on_time(ev):
    world(ev)
    oct_ = CaseMonth.objects.get(
        subject="department", subject_key=ev.linxia_market.pk, month=dt.date(2026, 10, 1)
    )
    # October: received the 15th (window) and the 20th (terminal); the 15th decided
    # the same day, on time.
    assert (oct_.received, oct_.received_window, oct_.received_terminal) == (2, 1, 1)
    assert (oct_.decided, oct_.on_the_spot, oct_.dated, oct_.on_time) == (1, 1, 1, 1)
    nov = CaseMonth.objects.get(
        subject="department", subject_key=ev.linxia_market.pk, month=dt.date(2026, 11, 1)
    )
    # November: the visit's case of the 2nd and the case of the 5th received; the late
    # one (accepted 10-20) and the 5th decided.
    assert (nov.received, nov.decided, nov.on_the_spot) == (2, 2, 1)


def test_r_sup_2_a_decision_taken_back_leaves_the_rollup_equal_to_a_recount(ev):
    case = concluded_case(ev, now=at("2026-11-10"))
    supervision.case_force(
        actor=ev.county_admin, case=case, step="reopen", reason="重新审查", now=at("2026-11-12")
    )
    nov = dict(subject="department", subject_key=ev.linxia_market.pk, month=dt.date(2026, 11, 1))
    assert CaseMonth.objects.get(**nov).decided == 0
    case.refresh_from_db()
    case_services.case_decide(
        actor=ev.approver, case=case, approve=False, note="不符合条件", now=at("2026-12-01")
    )
    kept = table(CaseMonth)
    rollups.rebuild_all()
    assert table(CaseMonth) == kept
    dec = CaseMonth.objects.get(**{**nov, "month": dt.date(2026, 12, 1)})
    assert (dec.decided, dec.on_the_spot) == (1, 0)
