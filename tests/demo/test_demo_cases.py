"""The demo cases: what `onewindow load-demo` adds for cases, their clocks and warnings."""

from __future__ import annotations

from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import (
    Applicant,
    Case,
    CaseAlert,
    CaseEvent,
    Correction,
    Document,
)
from onewindow.cases.sweep import sweep
from onewindow.catalog.models import Listing
from onewindow.core import idnumber
from onewindow.core.calendar import calendar_for
from onewindow.core.models import DailyCounter, Deadline, DeadlinePause
from onewindow.core.workcalendar import Pause
from onewindow.demo import cases as demo_cases
from onewindow.demo import cases_extra, data
from onewindow.hall.models import Authorization
from onewindow.org.models import Center

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_opened, django_db_blocker):
    """The demo data (tests/demo/world.py), every change rolled back after the module."""
    with django_db_blocker.unblock():
        return SimpleNamespace(
            today=timezone.localdate(),
            started=demo_opened.started,
            linxia=Center.objects.get(region__code="622921"),
            # the simulated history (the feature examples are made through the services)
            simulated=Case.objects.exclude(number__in=cases_extra.extra_case_numbers()),
        )


def test_r_case_1_demo_cases_in_every_state_at_the_linxia_centers(demo):
    assert 3000 <= Case.objects.count() <= 5000
    by_state = Counter(Case.objects.values_list("state", flat=True))
    for state in demo_cases.SHOWN:
        assert by_state[state] >= demo_cases.MIN_SHOWN, state
    assert by_state[states.DELIVERED] + by_state[states.ARCHIVED] > Case.objects.count() / 2
    codes = {data.PREFECTURE_CODE, *(c.code for c in data.COUNTIES)}
    centers = set(Case.objects.values_list("center__region__code", flat=True))
    assert centers == codes
    # over the last three months, nothing in the future
    received = Case.objects.values_list("received_at", flat=True)
    assert min(received).date() >= demo.today - timezone.timedelta(days=demo_cases.DAYS + 1)
    assert max(received) <= timezone.now()
    # the listing's department and matter, pinned to the matter's current guide version
    assert not Case.objects.exclude(department=F("listing__department")).exists()
    assert not Case.objects.exclude(matter=F("listing__matter")).exists()
    assert not Case.objects.exclude(guide_version=F("matter__current_version")).exists()
    assert not Case.objects.exclude(listing__center=F("center")).exists()
    assert not Case.objects.exclude(listing__in=Listing.objects.public()).exists()


def test_r_case_1_the_intake_clerk_is_an_authorised_clerk_of_the_center(demo):
    assert not demo.simulated.filter(intake_clerk__isnull=True).exists()
    assert not demo.simulated.exclude(intake_clerk__staff_profile__center=F("center")).exists()
    authorised = set(Authorization.objects.values_list("clerk_id", "matter_id"))
    pairs = demo.simulated.values_list("intake_clerk_id", "matter_id")
    assert all(pair in authorised for pair in pairs)
    assert demo.simulated.filter(intake_clerk__username="lxx-clerk").count() > 20
    # the back office: an approver of the case's own department
    reviewed = demo.simulated.filter(assignee__isnull=False)
    assert reviewed.count() > 2000
    not_own = reviewed.exclude(assignee__staff_profile__department=F("department"))
    # on-the-spot decisions by a clerk authorised to decide
    for case in not_own:
        assert Authorization.objects.filter(
            clerk=case.assignee, matter=case.matter, may_decide=True
        ).exists()
    assert demo.simulated.filter(assignee__username="lxx-approver").exists()


def test_r_case_2_closed_cases_carry_their_outcome(demo):
    delivered = Case.objects.filter(state=states.DELIVERED)
    assert not delivered.filter(delivered_at__isnull=True).exists()
    assert not delivered.filter(delivery_method="").exists()
    assert not delivered.filter(delivery_method="mail", tracking_number="").exists()
    assert delivered.filter(delivery_method="mail").exists()
    assert not Case.objects.filter(state=states.REFUSED, refusal_reason="").exists()
    assert not Case.objects.filter(state=states.DENIED, decision_note="").exists()
    assert not Case.objects.filter(
        state__in=[states.APPROVED, states.DENIED, states.READY, states.DELIVERED],
        decided_at__isnull=True,
    ).exists()
    assert (
        not Case.objects.exclude(state__in=[states.DELIVERED, states.ARCHIVED])
        .filter(delivered_at__isnull=False)
        .exists()
    )
    for case in Case.objects.filter(state=states.REFUSED).exclude(accepted_at=None):
        raise AssertionError(f"refused after acceptance: {case}")
    # archived cases were delivered, refused or withdrawn before
    for case in Case.objects.filter(state=states.ARCHIVED)[:300]:
        before = case.events.get(action="archive").from_state
        assert before in states.ACTIONS["archive"].sources
        assert (before == states.DELIVERED) == (case.delivered_at is not None)


def test_r_case_2_corrections_are_one_time_notices_consistent_with_the_state(demo):
    open_corrections = Correction.objects.filter(state=Correction.State.OPEN)
    assert set(open_corrections.values_list("case__state", flat=True)) == {
        states.CORRECTING_INTAKE,
        states.CORRECTING,
    }
    assert not open_corrections.filter(due__lt=demo.today).exists()  # the sweep would end them
    for state in (states.CORRECTING_INTAKE, states.CORRECTING):
        for case in Case.objects.filter(state=state):
            assert case.corrections.filter(state=Correction.State.OPEN).count() == 1
    withdrawn = Case.objects.filter(state=states.WITHDRAWN)
    for case in withdrawn:
        assert case.corrections.filter(state=Correction.State.LAPSED).count() == 1
        assert case.events.filter(action="withdraw", actor__isnull=True, actor_label="系统")
    # an intake notice lists the missing materials; they are given with the reply
    answered = Correction.objects.filter(stage="intake", state=Correction.State.ANSWERED)
    assert answered.count() > 100
    for correction in answered[:100]:
        ids = {i["material_id"] for i in correction.items if i["material_id"]}
        got = set(correction.case.documents.values_list("material_id", flat=True))
        assert ids <= got
    # documents only of the pinned guide version
    assert not Document.objects.exclude(material__version=F("case__guide_version")).exists()
    accepted = Case.objects.filter(accepted_at__isnull=False)
    assert accepted.filter(documents__isnull=False).distinct().count() > 0.8 * accepted.count()


def test_r_case_4_deadlines_follow_the_work_calendar_and_the_state(demo):
    accepted = Case.objects.filter(accepted_at__isnull=False).select_related(
        "deadline", "statutory_deadline", "guide_version", "center__region"
    )
    assert not accepted.filter(Q(deadline=None) | Q(statutory_deadline=None)).exists()
    assert not Case.objects.filter(accepted_at=None).exclude(deadline=None).exists()
    cals = {}
    for case in accepted.order_by("?")[:400]:
        cal = cals.setdefault(case.center_id, calendar_for(center=case.center))
        v = case.guide_version
        for deadline, days in (
            (case.deadline, v.promised_days),
            (case.statutory_deadline, v.statutory_days),
        ):
            assert deadline.center_id == case.center_id and deadline.days == days
            assert deadline.start == timezone.localdate(case.accepted_at)
            pauses = [Pause(p.start, p.end) for p in deadline.pauses.all()]
            due = cal.due(deadline.start, days, v.limit_unit, pauses)
            assert (deadline.due, deadline.paused) == (due.date, due.paused), case
    # paused while waiting for a correction in review; stopped (kept) once decided
    correcting = Case.objects.filter(state=states.CORRECTING)
    assert correcting.exists()
    assert not correcting.filter(deadline__paused=False).exists()
    assert not correcting.filter(deadline__due__isnull=False).exists()
    running = Case.objects.filter(state__in=states.CLOCK_RUNNING)
    assert not running.filter(deadline__paused=True).exists()
    assert not running.filter(deadline__due__isnull=True).exists()
    assert DeadlinePause.objects.filter(end__isnull=False).exists()
    assert Deadline.objects.filter(due__gt=demo.today).exists()


def test_r_case_4_some_open_cases_are_warned_and_some_overdue_as_the_sweep_left_them(demo):
    open_cases = Case.objects.filter(state__in=states.CLOCK_RUNNING)
    warned = open_cases.filter(warning_level=CaseAlert.Level.WARNING)
    overdue = open_cases.filter(warning_level=CaseAlert.Level.OVERDUE)
    assert warned.count() >= 3 and overdue.count() >= 3
    assert not overdue.filter(deadline__due__gte=demo.today).exists()
    assert not open_cases.filter(warning_level=0, deadline__due__lt=demo.today).exists()
    # the level is the highest alert, each level recorded once with an event
    levels = defaultdict(set)
    for case_id, level in CaseAlert.objects.values_list("case_id", "level"):
        levels[case_id].add(level)
    for case_id, level in Case.objects.values_list("pk", "warning_level"):
        assert max(levels.get(case_id, {0})) == level
        if level == 2:
            assert levels[case_id] == {1, 2}
    assert CaseEvent.objects.filter(action="alert").count() == CaseAlert.objects.count()
    assert not CaseAlert.objects.filter(at__gt=timezone.now()).exists()
    # not every case is warned: most are decided well before their date
    assert Case.objects.filter(accepted_at__isnull=False, warning_level=0).count() > 1000
    before = (
        CaseAlert.objects.count(),
        CaseEvent.objects.count(),
        Counter(Case.objects.values_list("state", flat=True)),
    )
    result = sweep(now=demo.started)
    assert (result.warned, result.overdue, result.withdrawn) == (0, 0, 0)
    after = (
        CaseAlert.objects.count(),
        CaseEvent.objects.count(),
        Counter(Case.objects.values_list("state", flat=True)),
    )
    assert after == before


def test_r_case_1_events_tell_each_case_s_path_with_demo_staff(demo):
    User = get_user_model()
    for case in demo.simulated.order_by("?")[:300]:
        events = [e for e in case.events.all() if e.action != "alert"]
        assert events[0].action == "intake" and events[0].actor_id == case.intake_clerk_id
        assert events[-1].to_state == case.state
        for prev, nxt in zip(events, events[1:], strict=False):
            assert prev.to_state == nxt.from_state and prev.at <= nxt.at
            spec = states.ACTIONS.get(nxt.action)
            assert (
                spec is not None and nxt.from_state in spec.sources and nxt.to_state == spec.target
            )
        for e in events:
            if e.actor_id is None:
                assert e.actor_label in ("申请人", "系统")
            else:
                assert e.actor_label == str(e.actor)
    actors = set(CaseEvent.objects.exclude(actor=None).values_list("actor", flat=True))
    assert not User.objects.filter(pk__in=actors, staff_profile__isnull=True).exists()


def test_r_case_6_demo_applicants_have_valid_identity_numbers_and_credit_codes(demo):
    persons = Applicant.objects.filter(kind=Applicant.Kind.PERSON)
    enterprises = Applicant.objects.filter(kind=Applicant.Kind.ENTERPRISE)
    assert 200 <= persons.count() <= 600 and 30 <= enterprises.count() <= 150
    for person in persons[:100]:
        number = person.decrypted_id_number()
        assert idnumber.validate(number) == number and number[:6] in {c.code for c in data.COUNTIES}
        assert person.id_number_masked and data.DEMO_MARK in person.address
    for enterprise in enterprises:
        assert demo_cases.credit_code_valid(enterprise.credit_code), enterprise.credit_code
        enterprise.full_clean(exclude=["user"])
        assert data.DEMO_MARK in enterprise.name
    assert Case.objects.filter(applicant__kind=Applicant.Kind.ENTERPRISE).exists()
    assert Case.objects.values("applicant").annotate(n=Count("id")).filter(n__gt=3).exists()


def test_credit_codes_are_checked_like_gb_32100():
    code = demo_cases.credit_code("622921", 12345678)
    assert len(code) == 18 and code.startswith("91622921") and demo_cases.credit_code_valid(code)
    assert not demo_cases.credit_code_valid(code[:-1] + ("0" if code[-1] != "0" else "1"))
    # a published example code
    assert demo_cases.credit_code_valid("91350100M000100Y43")


def test_r_case_1_numbers_are_unique_and_a_new_intake_continues_after_the_demo(demo):
    numbers = list(Case.objects.values_list("number", "center__region__code", "received_at"))
    assert len({n for n, _, _ in numbers}) == len(numbers)
    last: dict[tuple[str, str], int] = {}
    for number, code, received in numbers:
        day = timezone.localdate(received).strftime("%Y%m%d")
        assert number.startswith(code + day) and len(number) == len(code) + 12
        key = (code, day)
        last[key] = max(last.get(key, 0), int(number[-4:]))
    codes = dict(Center.objects.values_list("pk", "region__code"))
    counters = {
        (codes[int(c.key)], c.day.strftime("%Y%m%d")): c.last
        for c in DailyCounter.objects.filter(series="case")
    }
    assert counters == last
    # a first-day count equals the numbers given: no gap
    per_day = Counter((code, timezone.localdate(r).strftime("%Y%m%d")) for _, code, r in numbers)
    assert per_day == Counter(last)

    User = get_user_model()
    clerk = User.objects.get(username="lxx-clerk")
    matter_id = Authorization.objects.filter(clerk=clerk).values_list("matter_id", flat=True)[0]
    listing = Listing.objects.get(center=demo.linxia, matter_id=matter_id)
    applicant = Applicant.objects.filter(kind=Applicant.Kind.PERSON).first()
    case = services.case_intake(actor=clerk, listing=listing, applicant=applicant)
    today = timezone.localdate().strftime("%Y%m%d")
    assert case.number == f"622921{today}{last.get(('622921', today), 0) + 1:04d}"


def test_demo_cases_load_twice_without_change(demo):
    before = (Case.objects.count(), CaseEvent.objects.count(), Applicant.objects.count())
    assert demo_cases.load_demo_cases() == 0
    assert (Case.objects.count(), CaseEvent.objects.count(), Applicant.objects.count()) == before
