"""The rectification of a bad review driven at random against its table (R-EVAL-2,
R-SEC-2).

A Hypothesis state machine has citizens give bad reviews of concluded cases (each
opening a rectification), and lets the center's administrator, the responsible
department's approver and a window clerk — each also trying the others' steps, with and
without the text a step needs — contact, start, report, send back, check and close; the
reviewer accepts or rejects through their link (a rejection with or without its
reason); the department appeals and the center upholds or rejects the appeal; and the
days pass with the evaluation sweep flagging the late ones. Every step runs on a clock
that only moves forward. After every step it reads the tables back: the state is the
one ``evaluation/states.py`` says; a refused step changed nothing; every step left its
history line and its audit row and the history chains from state to state; the
reviewer's answer is there exactly when the state says so; the moments of the life in
order and no clock due before it starts; a late rectification flagged once; a review
excluded exactly when an appeal was upheld, and its rectification then closed. Each
run is a savepoint rolled back at its end.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, invariant, rule, run_state_machine_as_test

from onewindow.core.models import AuditEvent
from onewindow.evaluation import services, states
from onewindow.evaluation.models import Appeal, Rectification, RectificationEvent, Review
from onewindow.evaluation.sweep import sweep
from tests.evaluation.conftest import concluded_case
from tests.machines import MACHINE_SETTINGS, SavepointMachine

pytestmark = pytest.mark.django_db

# Each step of these lives costs several service calls: shorter runs, as many of them.
SETTINGS = settings(MACHINE_SETTINGS, stateful_step_count=15)

STAFF_STEPS = ("contact", "start", "report", "redo", "check", "close")
MOVES = set(states.ACTIONS) | {"open"}


def _snapshot():
    rects = list(
        Rectification.objects.order_by("pk").values_list(
            "pk", "state", "reviewer_accepts", "overdue", "closed_at"
        )
    )
    appeals = list(Appeal.objects.order_by("pk").values_list("pk", "state"))
    excluded = list(Review.objects.filter(excluded=True).values_list("pk", flat=True))
    return rects, appeals, excluded, RectificationEvent.objects.count()


class RectificationLife(SavepointMachine):
    rects = Bundle("rects")

    def __init__(self, ev):
        super().__init__()
        self.ev = ev
        self.staff = {"center": ev.county_admin, "department": ev.approver, "clerk": ev.clerk}
        self.roles = {"center": {states.CENTER}, "department": {states.DEPARTMENT}, "clerk": set()}
        self.now = timezone.now().replace(microsecond=0)
        self.expected: dict[int, str] = {}
        self.moves: dict[int, int] = {}
        self.upheld: set[int] = set()

    def snapshot(self):
        return _snapshot()

    def _tick(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=11)
        return self.now

    def _moved(self, pk: int, action: str) -> None:
        self.expected[pk] = states.ACTIONS[action].target
        self.moves[pk] += 1

    @rule(target=rects)
    def bad_review(self):
        case = concluded_case(self.ev, now=self._tick())
        review = services.review_case(
            case=case, level=1, reasons=["slow"], text="审批太慢", now=self._tick()
        )
        rect = review.rectification
        self.expected[rect.pk] = states.OPENED
        self.moves[rect.pk] = 1  # its opening
        return rect.pk

    @rule(
        pk=rects,
        who=st.sampled_from(("center", "department", "clerk")),
        action=st.sampled_from(STAFF_STEPS),
        text=st.sampled_from(("", "已电话联系并致歉，优化了审批流程。")),
    )
    def staff_step(self, pk, who, action, text):
        rect = Rectification.objects.get(pk=pk)
        spec = states.ACTIONS[action]
        done = self.attempt(
            services.rectification_step,
            actor=self.staff[who],
            rectification=rect,
            action=action,
            text=text,
            now=self._tick(),
        )
        allowed = (
            bool(self.roles[who] & spec.by)
            and rect.state in spec.sources
            and (bool(text) or not spec.needs_text)
        )
        assert (done is not None) == allowed, f"{action} by {who} from {rect.state}"
        if done is not None:
            self._moved(pk, action)

    @rule(pk=rects, accepts=st.booleans(), comment=st.sampled_from(("", "还是很慢")))
    def reviewer_answers(self, pk, accepts, comment):
        rect = Rectification.objects.get(pk=pk)
        done = self.attempt(
            services.rectification_reviewer_answer,
            token=rect.reviewer_token,
            accepts=accepts,
            comment=comment,
            now=self._tick(),
        )
        allowed = rect.state == states.REPORTED and (accepts or bool(comment))
        assert (done is not None) == allowed, f"answer {accepts} from {rect.state}"
        if done is not None:
            self._moved(pk, "accept" if accepts else "reject")

    @rule(pk=rects)
    def department_appeals(self, pk):
        rect = Rectification.objects.get(pk=pk)
        pending = Appeal.objects.filter(review_id=rect.review_id, state="pending").exists()
        done = self.attempt(
            services.appeal_file,
            actor=self.ev.approver,
            review=rect.review,
            reason="评价人所述情况与事实不符，有录像为证。",
            now=self._tick(),
        )
        allowed = not pending and rect.review_id not in self.upheld
        assert (done is not None) == allowed
        if done is not None:
            self.moves[pk] += 0  # an appeal is a line of the history, not a move

    @rule(pk=rects, upheld=st.booleans())
    def center_decides_the_appeal(self, pk, upheld):
        rect = Rectification.objects.get(pk=pk)
        appeal = Appeal.objects.filter(review_id=rect.review_id, state="pending").first()
        if appeal is None:
            return
        done = self.attempt(
            services.appeal_decide,
            actor=self.ev.county_admin,
            appeal=appeal,
            upheld=upheld,
            decision="经核实" if upheld else "申诉理由不成立",
            now=self._tick(),
        )
        assert done is not None
        if upheld:
            self.upheld.add(rect.review_id)
            self._moved(pk, "appeal_upheld")

    @rule(days=st.integers(0, 6))
    def days_pass_and_the_sweep_runs(self, days):
        self.now += dt.timedelta(days=days, hours=1)
        sweep(now=self.now)

    @invariant()
    def states_are_the_tables(self):
        assert dict(Rectification.objects.values_list("pk", "state")) == self.expected

    @invariant()
    def every_step_has_its_history_line_and_audit_row_and_the_history_chains(self):
        for pk, moves in self.moves.items():
            events = list(
                RectificationEvent.objects.filter(rectification_id=pk)
                .order_by("at", "pk")
                .values_list("action", "from_state", "to_state", "at")
            )
            audits = Counter(
                AuditEvent.objects.filter(
                    target_type="evaluation.rectification", target_id=str(pk)
                ).values_list("action", flat=True)
            )
            assert audits == Counter(f"rectification.{a}" for a, *_ in events)
            chain = [e for e in events if e[0] in MOVES]
            assert len(chain) == moves
            state = ""
            for _action, before, after, _at in chain:
                assert before == state
                state = after
            assert state == self.expected[pk]
            times = [e[3] for e in events]
            assert times == sorted(times)
            assert [e[0] for e in events].count("overdue") <= 1

    @invariant()
    def the_reviewers_answer_is_there_when_the_state_says(self):
        for rect in Rectification.objects.all():
            if rect.state == states.ACCEPTED:
                assert rect.reviewer_accepts is True
            elif rect.state == states.NOT_ACCEPTED:
                assert rect.reviewer_accepts is False
            elif rect.state in states.BEFORE_REPORT | {states.REPORTED}:
                assert rect.reviewer_accepts is None

    @invariant()
    def clocks_in_order_and_never_negative(self):
        for rect in Rectification.objects.select_related("contact_deadline", "rectify_deadline"):
            for clock in (rect.contact_deadline, rect.rectify_deadline):
                assert clock.due is None or clock.due >= clock.start
            moments = [rect.opened_at, rect.contacted_at, rect.reported_at, rect.checked_at]
            seen = [m for m in moments if m is not None]
            assert seen == sorted(seen)
            if rect.closed_at is not None:
                assert rect.closed_at >= rect.opened_at
            assert (rect.closed_at is not None) == (rect.state == states.CLOSED)

    @invariant()
    def excluded_exactly_when_an_appeal_was_upheld(self):
        excluded = set(Review.objects.filter(excluded=True).values_list("pk", flat=True))
        assert excluded == self.upheld
        for pk in excluded:
            assert Rectification.objects.get(review_id=pk).state == states.CLOSED
        pending = Counter(
            Appeal.objects.filter(state="pending").values_list("review_id", flat=True)
        )
        assert all(n == 1 for n in pending.values())


def test_r_eval_2_rectification_life_holds_its_table_under_random_steps(ev):
    run_state_machine_as_test(lambda: RectificationLife(ev), settings=SETTINGS)
