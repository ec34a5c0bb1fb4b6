"""R-STAFF-3 the staff scores (evaluation, efficiency, conduct), 服务之星 and 红旗窗口, the
year's grades within the quota; R-SUP-3 the accountability list's upheld complaints and
abuse findings. A small world: tests/oversight/world.py (临夏县's center in November
2026) and below, with the hand counts next to the data."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from onewindow.complaints import services as complaint_services
from onewindow.complaints.models import Complaint
from onewindow.core.audit import AuditEvent
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.evaluation.models import Review
from onewindow.hall.models import ServiceCategory, Ticket, Window, WindowSession
from onewindow.org import services as org_services
from onewindow.org.models import StaffProfile
from onewindow.oversight import services
from onewindow.oversight.models import MonthHonours, YearGrades
from onewindow.oversight.selectors import staff_scores as sel
from onewindow.oversight.selectors.accountability import accountability_list
from onewindow.planning import staff_scores as rule
from onewindow.staffing import services as staffing_services
from tests.conftest import PASSWORD
from tests.oversight.world import NOV, at, build

pytestmark = pytest.mark.django_db

NOVEMBER = sel.month_period(2026, 11)
AFTER = at("2026-12-02")  # November is over
END_OF_NOVEMBER = at("2026-11-30", 23)


def _ticket(n, category, window, clerk, seconds, number, day="2026-11-10"):
    return Ticket.objects.create(
        center=n.linxia_center,
        category=category,
        queue=category,
        day=dt.date.fromisoformat(day),
        number=number,
        code=f"{category.letter}{number:03d}",
        state="done",
        clerk=clerk,
        window=None,
        served_window=window,
        issued_at=at(day, 9),
        served_at=at(day, 10),
        finished_at=at(day, 11),
        service_seconds=seconds,
    )


def _review(n, staff, level, *, window=None, reasons=(), day="2026-11-12", **kw):
    return Review.objects.create(
        kind="unsolicited",
        channel="pad",
        level=level,
        center=n.linxia_center,
        staff=staff,
        window=window,
        reasons=list(reasons),
        created_at=at(day),
        **kw,
    )


def _profile(user):
    return StaffProfile.objects.get(user=user)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        root = get_user_model().objects.create_superuser("ss-root", password="x")
        n = build(root)
        # Scored at 临夏县's center (WINDOW_STAFF): clerk, agent, chief_rep, approver,
        # police_approver — 5 people. The approver decided case_a (on time), case_b
        # (late) and case_c (on time) in November: 2 of 3 on time.
        n.market_head = org_services.staff_create(
            actor=root,
            username="ss_market_head",
            full_name="市场监管局长",
            password=PASSWORD,
            roles={"leader"},
            staff_no="X950",
            department=n.linxia_market,
        ).user
        a = ServiceCategory.objects.create(center=n.linxia_center, letter="A", name="综合")
        b = ServiceCategory.objects.create(center=n.linxia_center, letter="B", name="社保")
        n.w1 = Window.objects.create(center=n.linxia_center, number=1)
        n.w2 = Window.objects.create(center=n.linxia_center, number=2)
        # Tickets of November. A: 300, 300, 600, 600 (clerk, W1), 600, 600 (agent, W2)
        # → median 600. B: 400 (agent, W2), 200 (chief_rep, W1) → median 300.
        # Tickets per person: clerk 4, agent 3, chief_rep 1 → median 3.
        seq = iter(range(1, 100))
        for seconds in (300, 300, 600, 600):
            _ticket(n, a, n.w1, n.clerk, seconds, next(seq))
        for seconds in (600, 600):
            _ticket(n, a, n.w2, n.agent, seconds, next(seq))
        _ticket(n, b, n.w2, n.agent, 400, next(seq))
        _ticket(n, b, n.w1, n.chief_rep, 200, next(seq))
        # Reviews naming them. Clerk at W1: 5, 5, 4, 2 (rude: on attitude) + a default
        # and an excluded one that do not count. Agent at W2: 5, 3. Approver: 1 (slow).
        for level in (5, 5, 4):
            _review(n, n.clerk, level, window=n.w1)
        _review(n, n.clerk, 2, window=n.w1, reasons=["rude"])
        _review(n, n.clerk, 3, window=n.w1, is_default=True)
        _review(n, n.clerk, 1, window=n.w1, excluded=True)
        _review(n, n.agent, 5, window=n.w2)
        _review(n, n.agent, 3, window=n.w2)
        n.approver_review = _review(n, n.approver, 1, reasons=["slow"])
        # The clerk: one spot check failed, one passed; posted since 16 November (11
        # working days to 30 November), at the window on the 16th and 17th: 9 missed.
        for dress_ok, day in ((False, "2026-11-18"), (True, "2026-11-19")):
            staffing_services.spot_check_record(
                actor=n.county_admin,
                profile=_profile(n.clerk),
                dress_ok=dress_ok,
                badge_ok=True,
                language_ok=True,
                conduct_ok=True,
                note="" if dress_ok else "未统一着装",
                checked_at=at(day),
            )
        StaffProfile.objects.filter(user=n.clerk).update(posting_started=dt.date(2026, 11, 16))
        for day in ("2026-11-16", "2026-11-17"):
            WindowSession.objects.create(
                window=n.w1, clerk=n.clerk, signed_in_at=at(day, 9), signed_out_at=at(day, 17)
            )
        yield n
        transaction.set_rollback(True)


def _scores(n, period=NOVEMBER):
    return sel.center_scores(center=n.linxia_center, period=period, now=END_OF_NOVEMBER)


def _totals(found):
    return {r.profile.user.username: r.score.total for r in found.rows}


# --- R-STAFF-3: the score of each person --------------------------------------------------------


def test_r_staff_3_the_score_of_a_clerk_equals_a_hand_count(world):
    found = _scores(world)
    clerk = found.of(_profile(world.clerk).pk)
    i = clerk.inputs
    assert (i.reviews, i.good_reviews, i.bad_reviews, i.attitude_bad_reviews) == (4, 3, 1, 1)
    assert (i.tickets, i.service_seconds, i.expected_seconds) == (4, 1800, 2400)
    assert (i.spot_check_failures, i.attendance_kept, i.missed_days) == (1, True, 9)
    assert found.median_tickets == 3
    # evaluation 75 − 5 = 70; efficiency mean(1, 1) = 100; conduct 100 − 10 − 10 − 18 = 62
    s = clerk.score
    assert (s.evaluation.score, s.efficiency.score, s.conduct.score) == (70.0, 100.0, 62.0)
    assert s.total == 80.4  # 0.4·70 + 0.4·100 + 0.2·62


def test_r_staff_3_every_scored_person_equals_a_hand_count(world):
    found = _scores(world)
    assert _totals(found) == {
        # no data: 80, 80, 100 → 84 (not active: never a star)
        "police_approver": 84.0,
        "clerk": 80.4,
        # 50; mean(1500/1600, 3/3) = 96.9; 100 → 20 + 38.76 + 20
        "agent": 78.8,
        # no reviews 80; mean(1, 1/3) = 66.7; 100 → 32 + 26.68 + 20
        "chief_rep": 78.7,
        # max(0, 0 − 5) = 0; cases 2/3 = 66.7; 100 → 0 + 26.68 + 20
        "approver": 46.7,
    }
    approver = found.of(_profile(world.approver).pk)
    assert (approver.inputs.cases_decided, approver.inputs.cases_on_time) == (3, 2)
    assert not found.of(_profile(world.agent).pk).inputs.attendance_kept


def test_r_staff_3_star_of_the_month_is_the_best_scored_active_clerk(world):
    found = _scores(world)
    # police_approver scores 84 without any record: not a star; three places by default
    assert [r.profile.user.username for r in found.star_rows] == ["clerk", "agent", "chief_rep"]
    services.score_settings_set(
        actor=world.county_admin, center_id=world.linxia_center.pk, values={"star_count": "1"}
    )
    found = _scores(world)
    assert [r.profile.user.username for r in found.star_rows] == ["clerk"]
    assert not found.stars.tied


def test_r_staff_3_red_flag_window_is_the_best_window(world):
    found = _scores(world)
    by_number = {w.window.number: w.score for w in found.windows}
    # W1: (80.4·4 + 78.7·1)/5 = 80.06, reviews 3/4 → 0.7·80.06 + 0.3·75 = 78.5
    # W2: 78.8, reviews 1/2 → 0.7·78.8 + 0.3·50 = 70.2
    assert by_number == {1: 78.5, 2: 70.2}
    assert [w.window.number for w in found.flag_rows] == [1]


def test_r_staff_3_weights_are_the_centers_and_checked(world):
    services.score_settings_set(
        actor=world.county_admin,
        center_id=world.linxia_center.pk,
        values={"evaluation": "50", "efficiency": "30", "conduct": "20"},
    )
    found = _scores(world)
    assert found.of(_profile(world.clerk).pk).score.total == 77.4  # 35 + 30 + 12.4
    assert "评价×50%" in found.formula
    with pytest.raises(InvalidInput) as exc:
        services.score_settings_set(
            actor=world.county_admin, center_id=world.linxia_center.pk, values={"conduct": "30"}
        )
    assert "之和须为100" in exc.value.message
    with pytest.raises(Forbidden):
        services.score_settings_set(
            actor=world.county_supervisor, center_id=world.linxia_center.pk, values={}
        )
    with pytest.raises(NotFound):  # Kangle's administrator does not see 临夏县's center
        services.score_settings_set(
            actor=world.kangle_admin, center_id=world.linxia_center.pk, values={}
        )


def test_r_staff_3_publication_is_fixed_after_new_data(world):
    services.score_settings_set(
        actor=world.county_admin, center_id=world.linxia_center.pk, values={"star_count": "2"}
    )
    published = services.publish_month(
        actor=world.county_admin, center=world.linxia_center, month="2026-11", now=AFTER
    )
    assert [s["name"] for s in published.stars] == ["clerk", "agent"]
    assert [s["total"] for s in published.stars] == [80.4, 78.8]
    assert [f["label"] for f in published.flags] == ["1号窗口"]
    # Six more 非常满意 for the agent: 7/8 → 87.5 → 35 + 38.76 + 20 = 93.8, now the best
    for _ in range(6):
        _review(world, world.agent, 5, window=world.w2)
    assert _scores(world).star_rows[0].profile.user.username == "agent"
    again = services.publish_month(
        actor=world.county_admin, center=world.linxia_center, month="2026-11", now=AFTER
    )
    assert again.pk == published.pk and again.stars == published.stars
    assert MonthHonours.objects.filter(center=world.linxia_center).count() == 1
    assert AuditEvent.objects.filter(action="staff_scores.publish_month").count() == 1


def test_r_staff_3_an_unfinished_month_is_not_published(world):
    with pytest.raises(Conflict) as exc:
        services.publish_month(
            actor=world.county_admin,
            center=world.linxia_center,
            month="2026-11",
            now=at("2026-11-30", 18),
        )
    assert "尚未结束" in exc.value.message
    assert not MonthHonours.objects.exists()
    with pytest.raises(Forbidden):
        services.publish_month(
            actor=world.county_supervisor, center=world.linxia_center, month="2026-11", now=AFTER
        )


def test_r_staff_3_year_grades_within_the_quota_and_over_it_refused(world):
    year = sel.parse_period("2026")
    page = sel.grades_page(
        center=world.linxia_center,
        year=year,
        scope=scope_for(world.county_admin),
        now=END_OF_NOVEMBER,
    )
    # 5 assessed × (20% + 15 points) = 1.75 → 1; the clerk (80.4, active) proposed
    assert page.proposal.quota == 1
    names = {r.person.profile.user.username: r.proposed for r in page.rows}
    assert names["clerk"] == rule.EXCELLENT
    assert names["police_approver"] == rule.COMPETENT  # 84 without records: not proposed
    assert names["approver"] == rule.INCOMPETENT  # 46.7 < 60
    pk = {r.person.profile.user.username: r.person.profile.pk for r in page.rows}
    two = {**page.proposal.grades, pk["agent"]: rule.EXCELLENT}
    with pytest.raises(InvalidInput) as exc:
        services.year_grades_decide(
            actor=world.county_admin,
            center=world.linxia_center,
            year=2026,
            grades=two,
            now=END_OF_NOVEMBER,
        )
    assert "优秀 2 人，超过本中心优秀名额 1 人" in exc.value.message
    assert not YearGrades.objects.exists()
    decided = services.year_grades_decide(
        actor=world.county_admin,
        center=world.linxia_center,
        year=2026,
        grades=page.proposal.grades,
        now=END_OF_NOVEMBER,
    )
    assert decided.quota == 1 and decided.grades[str(pk["clerk"])]["grade"] == rule.EXCELLENT
    # the center's own quota: normal 30% + 15 points → ⌊5 × 45%⌋ = 2, two accepted
    services.score_settings_set(
        actor=world.county_admin, center_id=world.linxia_center.pk, values={"normal_ratio": "30"}
    )
    decided = services.year_grades_decide(
        actor=world.county_admin,
        center=world.linxia_center,
        year=2026,
        grades=two,
        now=END_OF_NOVEMBER,
    )
    assert decided.quota == 2
    with pytest.raises(InvalidInput) as exc:
        services.score_settings_set(
            actor=world.county_admin,
            center_id=world.linxia_center.pk,
            values={"extra_points": "16"},
        )
    assert "10到15" in exc.value.message


def test_r_staff_3_pages_in_scope_and_a_clerk_sees_their_own(world):
    c = Client()
    url = reverse("oversight:staff_scores") + f"?center={world.linxia_center.pk}&period=2026-11"
    c.force_login(world.county_admin)
    body = c.get(url).content.decode()
    assert "80.4" in body and "总分 = 评价×40%" in body and "满意率 3/4=75.0%" in body
    assert reverse("oversight:staff_scores_publish") in body
    c.force_login(world.county_supervisor)
    body = c.get(url).content.decode()
    assert "80.4" in body and reverse("oversight:staff_scores_publish") not in body
    # a department head sees their department's people only
    c.force_login(world.market_head)
    body = c.get(url).content.decode()
    assert "46.7" in body and "78.7" in body and "80.4" not in body and "84.0" not in body
    c.force_login(world.kangle_admin)
    assert c.get(url).status_code == 404
    c.force_login(world.clerk)
    r = c.get(url)
    assert r.status_code == 302 and r.url == reverse("oversight:my_score")
    body = c.get(reverse("oversight:my_score") + "?period=2026-11").content.decode()
    assert "80.4" in body and "78.8" not in body
    assert c.get(reverse("oversight:staff_score_settings")).status_code == 404
    r = c.get(reverse("oversight:staff_scores") + "?period=2026-13")
    assert r.status_code == 302  # the clerk is sent to their own page
    c.force_login(world.county_admin)
    r = c.get(reverse("oversight:staff_scores") + "?period=2026-13")
    assert r.status_code == 422 and "考核期应为" in r.content.decode()


# --- R-SUP-3: complaints upheld and abuse findings ----------------------------------------------


def _complaint(n, subject):
    return Complaint.objects.create(
        number=f"TS{secrets.token_hex(4)}",
        token=secrets.token_hex(8),
        source="desk",
        center=n.linxia_center,
        department=n.linxia_market,
        subject=subject,
        content="窗口态度差",
        name="马投诉",
        state="dispatched",
        received_at=at("2026-11-16"),
    )


def test_r_sup_3_a_complaint_is_answered_with_a_finding(world):
    c = _complaint(world, "态度差")
    with pytest.raises(InvalidInput) as exc:
        complaint_services.complaint_answer(actor=world.approver, complaint=c, answer="已核实。")
    assert exc.value.code == "complaint.finding_required"
    assert Complaint.objects.get(pk=c.pk).state == "dispatched"
    with pytest.raises(InvalidInput):  # the person must work at the center or department
        complaint_services.complaint_answer(
            actor=world.approver,
            complaint=c,
            answer="已核实。",
            finding="upheld",
            finding_staff=world.township_clerk,
        )
    c = complaint_services.complaint_answer(
        actor=world.approver,
        complaint=c,
        answer="已核实。",
        finding="upheld",
        finding_staff=world.clerk,
    )
    assert (c.finding, c.finding_staff_id) == ("upheld", world.clerk.pk)


def test_r_sup_3_upheld_complaints_are_listed_against_the_department_and_the_person(world):
    answered = at("2026-11-18")
    for subject, finding, person in (
        ("甲", "upheld", world.clerk),
        ("乙", "partly", None),
        ("丙", "unfounded", world.clerk),
    ):
        complaint_services.complaint_answer(
            actor=world.approver,
            complaint=_complaint(world, subject),
            answer="已核实。",
            finding=finding,
            finding_staff=person,
            now=answered,
        )
    found = accountability_list(
        scope=scope_for(world.county_supervisor), month=NOV, today=dt.date(2026, 12, 3)
    )
    entries = {e.subject: e for e in found.of("upheld")}
    # the world's three complaints carry no finding; of these, 甲 and 乙 are upheld
    assert set(entries) == {world.linxia_market.name, str(world.clerk)}
    assert entries[world.linxia_market.name].count == 2
    assert entries[str(world.clerk)].count == 1
    ((label, url),) = entries[str(world.clerk)].records
    assert "属实" in label and url.startswith("/complaints/staff/")
    kangle = scope_for(world.kangle_admin)
    assert accountability_list(scope=kangle, month=NOV).of("upheld") == []


def test_r_sup_3_abuse_findings_are_listed_with_links_to_their_records(world):
    sup = world.county_supervisor
    complaint = _complaint(world, "乱收费")
    finding = services.abuse_finding_record(
        actor=sup,
        center_id=world.linxia_center.pk,
        person_id=world.approver.pk,
        finding="超出办事指南要求额外材料",
        case_numbers=world.case_b.number,
        complaint_numbers=complaint.number,
        review_ids=str(world.approver_review.pk),
    )
    assert finding.person_id == world.approver.pk
    for bad in (
        {"case_numbers": "NOPE-1"},
        {"case_numbers": "", "review_ids": "abc"},
        {"case_numbers": ""},
    ):
        with pytest.raises(InvalidInput):
            services.abuse_finding_record(
                actor=sup,
                center_id=world.linxia_center.pk,
                person_id=world.approver.pk,
                finding="x",
                **{"case_numbers": world.case_b.number, **bad},
            )
    with pytest.raises(NotFound):  # Kangle's people are outside the county's scope
        services.abuse_finding_record(
            actor=sup,
            center_id=world.linxia_center.pk,
            person_id=world.kangle_admin.pk,
            finding="x",
            case_numbers=world.case_b.number,
        )
    with pytest.raises(Forbidden):
        services.abuse_finding_record(
            actor=world.county_admin,
            center_id=world.linxia_center.pk,
            person_id=world.approver.pk,
            finding="x",
            case_numbers=world.case_b.number,
        )
    # one at Kangle, recorded by the prefecture's supervisor: not in the county's list
    kangle_review = Review.objects.create(
        kind="unsolicited",
        channel="pad",
        level=1,
        center=world.kangle_center,
        created_at=at("2026-11-20"),
    )
    services.abuse_finding_record(
        actor=world.pref_supervisor,
        center_id=world.kangle_center.pk,
        department_id=world.kangle_market.pk,
        finding="康乐县乱作为",
        review_ids=[kangle_review.pk],
    )
    (entry,) = accountability_list(scope=scope_for(sup)).of("abuse")
    assert entry.subject == str(world.approver) and entry.note == "超出办事指南要求额外材料"
    assert entry.records == [
        (world.case_b.number, reverse("cases:case_detail", args=[world.case_b.pk])),
        (complaint.number, reverse("complaints:staff_detail", args=[complaint.pk])),
        (f"评价{world.approver_review.pk}", reverse("evaluation:reviews")),
    ]
    assert len(accountability_list(scope=scope_for(world.pref_supervisor)).of("abuse")) == 2


def test_r_sup_3_only_supervisors_read_and_record_findings(world):
    services.abuse_finding_record(
        actor=world.county_supervisor,
        center_id=world.linxia_center.pk,
        department_id=world.linxia_market.pk,
        finding="部门乱作为认定",
        case_numbers=world.case_b.number,
    )
    c = Client()
    for user in (world.county_admin, world.approver, world.clerk, world.market_head):
        c.force_login(user)
        assert c.get(reverse("oversight:accountability")).status_code == 404
        assert c.get(reverse("oversight:abuse_new")).status_code == 404
    c.force_login(world.county_supervisor)
    body = c.get(reverse("oversight:accountability")).content.decode()
    assert "部门乱作为认定" in body
    assert reverse("cases:case_detail", args=[world.case_b.pk]) in body
    r = c.post(
        reverse("oversight:abuse_new"),
        {"center_id": world.linxia_center.pk, "person_id": world.clerk.pk, "finding": "x"},
    )
    assert r.status_code == 200 and "认定须附所依据的记录" in r.content.decode()
