"""A case's life driven at random against its table (R-CASE-1, R-CASE-2, R-CASE-4,
R-CASE-9, R-SEC-2).

A Hypothesis state machine takes cases in at the front window (with every required
material or only some), and lets the window clerk and the department's approver — each
also trying the other's steps — accept, refuse, ask for a correction (at intake and in
review), start the review, put a case into a special procedure and end it, approve,
deny, send it to the delivery window, deliver and archive; the applicant answers the
correction; a supervisor forces a reopen or a move on; and the days pass, the sweep
withdrawing the cases whose correction lapsed. Every step runs on a clock that only
moves forward. After every step it reads the tables back and checks what must always
hold: the state is the one ``cases/states.py`` says; a refused step changed nothing;
every step left its case event and its audit row, and the events chain from state to
state; the promised clock runs exactly while the case is accepted or in review and not
paused, is paused exactly during a correction or a special procedure, its due date
never earlier than its start and never moving back; the moments of receipt,
acceptance, decision and delivery in that order. Each run is a savepoint rolled back
at its end.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import F
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, invariant, rule, run_state_machine_as_test

from onewindow.cases import services, states
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.services.archive import case_archive
from onewindow.cases.services.supervision import case_force, case_special_end, case_special_start
from onewindow.cases.sweep import sweep
from onewindow.core.models import AuditEvent, Deadline, DeadlinePause
from tests.cases.conftest import all_required
from tests.machines import MACHINE_SETTINGS, SavepointMachine

pytestmark = pytest.mark.django_db

# Each step of these lives costs several service calls: shorter runs, as many of them.
SETTINGS = settings(MACHINE_SETTINGS, stateful_step_count=15)

FRONT_STEPS = ("accept", "refuse", "ask_correction", "deliver", "archive")
BACK_STEPS = (
    "start_review",
    "ask_correction",
    "start_special",
    "end_special",
    "approve",
    "deny",
    "make_ready",
)
# The steps of the life (and the supervisor's) whose events chain the case's states.
MOVES = set(states.ACTIONS) | {f"force_{s}" for s in states.FORCE_STEPS}


def _snapshot():
    cases = list(
        Case.objects.order_by("pk").values_list(
            "pk", "state", "due", "clock_running", "deadline_id", "decided_at", "delivered_at"
        )
    )
    clocks = list(Deadline.objects.order_by("pk").values_list("pk", "due", "paused"))
    pauses = list(DeadlinePause.objects.order_by("pk").values_list("pk", "start", "end"))
    return cases, clocks, pauses, CaseEvent.objects.count(), AuditEvent.objects.count()


class CaseLife(SavepointMachine):
    cases = Bundle("cases")

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.actors = {"front": desk.clerk, "back": desk.approver}
        self.now = timezone.now().replace(microsecond=0)
        self.expected: dict[int, str] = {}
        self.complete: dict[int, bool] = {}
        self.correction_due: dict[int, dt.date] = {}
        self.moves: dict[int, int] = {}
        self.last_due: dict[int, dt.date] = {}

    def snapshot(self):
        return _snapshot()

    def _tick(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=7)
        return self.now

    def _moved(self, pk: int, state: str) -> None:
        self.expected[pk] = state
        self.moves[pk] += 1

    def _materials(self, everything: bool) -> dict[int, dict]:
        if everything:
            return all_required(self.desk)
        return {self.desk.materials["经营者居民身份证"].pk: {}}

    @rule(target=cases, everything=st.booleans())
    def intake(self, everything):
        case = services.case_intake(
            actor=self.desk.clerk,
            listing=self.desk.listing,
            applicant=self.desk.applicant,
            materials=self._materials(everything),
            now=self._tick(),
        )
        self.expected[case.pk] = states.INTAKE
        self.complete[case.pk] = everything
        self.moves[case.pk] = 0
        return case.pk

    def _step(self, case, action, actor):
        now = self._tick()
        if action == "accept":
            return services.case_accept(actor=actor, case=case, now=now)
        if action == "refuse":
            return services.case_refuse(actor=actor, case=case, reason="不属于本中心受理", now=now)
        if action == "ask_correction":
            missing = [] if self.complete[case.pk] else sorted(all_required(self.desk))
            items = [{"material_id": m} for m in missing] + [{"note": "申请书签字不清"}]
            due = timezone.localdate(now) + dt.timedelta(days=3)
            return services.case_ask_correction(
                actor=actor, case=case, items=items, due=due, now=now
            )
        if action == "deliver":
            return services.case_deliver(actor=actor, case=case, now=now)
        if action == "archive":
            return case_archive(actor=actor, case=case, now=now)
        if action == "start_review":
            return services.case_start_review(actor=actor, case=case, now=now)
        if action == "start_special":
            return case_special_start(
                actor=actor, case=case, kind="expert", reason="需组织专家评审", now=now
            )
        if action == "end_special":
            return case_special_end(actor=actor, case=case, result="专家同意", now=now)
        if action in ("approve", "deny"):
            return services.case_decide(
                actor=actor, case=case, approve=action == "approve", note="依法审查", now=now
            )
        return services.case_make_ready(actor=actor, case=case, now=now)

    @rule(
        pk=cases,
        office=st.sampled_from(("front", "back")),
        action=st.sampled_from(sorted(set(FRONT_STEPS + BACK_STEPS))),
    )
    def staff_step(self, pk, office, action):
        case = Case.objects.get(pk=pk)
        if action == "ask_correction":
            name = "ask_correction_intake" if case.state == states.INTAKE else "ask_correction"
        else:
            name = action
        spec = states.ACTIONS[name]
        ours = (spec.office == office) or (action == "archive" and office == "front")
        allowed = ours and case.state in spec.sources
        if name == "accept":
            allowed = allowed and self.complete[pk]
        done = self.attempt(self._step, case=case, action=action, actor=self.actors[office])
        assert (done is not None) == allowed, f"{action} by {office} from {case.state}"
        if done is not None:
            self._moved(pk, spec.target)
            if name.startswith("ask_correction"):
                self.correction_due[pk] = timezone.localdate(self.now) + dt.timedelta(days=3)

    @rule(pk=cases)
    def applicant_replies(self, pk):
        case = Case.objects.get(pk=pk)
        done = self.attempt(
            services.case_correction_reply,
            case=case,
            materials=all_required(self.desk),
            now=self._tick(),
        )
        allowed = case.state in (states.CORRECTING_INTAKE, states.CORRECTING)
        assert (done is not None) == allowed, f"reply from {case.state}"
        if done is not None:
            self.complete[pk] = True
            action = "reply_intake" if case.state == states.CORRECTING_INTAKE else "reply"
            self._moved(pk, states.ACTIONS[action].target)
            del self.correction_due[pk]

    @rule(pk=cases, step=st.sampled_from(("reopen", "advance")))
    def supervisor_forces(self, pk, step):
        case = Case.objects.get(pk=pk)
        spec = states.FORCE_STEPS[step]
        done = self.attempt(
            lambda **kw: case_force(step=step, **kw),
            actor=self.desk.county_admin,
            case=case,
            reason="群众反映，督查处理",
            now=self._tick(),
        )
        allowed = case.state in spec.moves and (step != "reopen" or case.deadline_id is not None)
        assert (done is not None) == allowed, f"force {step} from {case.state}"
        if done is not None:
            self._moved(pk, spec.moves[case.state])

    @rule(days=st.integers(0, 5), hours=st.integers(0, 23))
    def days_pass_and_the_sweep_runs(self, days, hours):
        self.now += dt.timedelta(days=days, hours=hours)
        sweep(now=self.now)
        today = timezone.localdate(self.now)
        for pk, due in list(self.correction_due.items()):
            if due < today and self.expected[pk] in states.ACTIONS["withdraw"].sources:
                self._moved(pk, states.WITHDRAWN)
                del self.correction_due[pk]

    @invariant()
    def states_are_the_tables(self):
        assert dict(Case.objects.values_list("pk", "state")) == self.expected

    @invariant()
    def every_step_has_its_event_and_audit_row_and_the_events_chain(self):
        for pk, moves in self.moves.items():
            events = list(
                CaseEvent.objects.filter(case_id=pk)
                .order_by("at", "pk")
                .values_list("action", "from_state", "to_state", "at")
            )
            audits = Counter(
                AuditEvent.objects.filter(target_type="cases.case", target_id=str(pk)).values_list(
                    "action", flat=True
                )
            )
            assert audits == Counter(f"case.{a}" for a, *_ in events)
            chain = [e for e in events if e[0] in MOVES]
            assert len(chain) == moves
            state = states.INTAKE
            for _action, before, after, _at in chain:
                assert before == state
                state = after
            assert state == self.expected[pk]
            times = [e[3] for e in events]
            assert times == sorted(times), "an event dated before the one it follows"

    @invariant()
    def the_promised_clock_runs_pauses_and_never_moves_back(self):
        cases = Case.objects.select_related("deadline").exclude(deadline=None)
        for case in cases:
            clock = case.deadline
            paused = clock.pauses.filter(end__isnull=True).count()
            assert paused == (1 if clock.paused else 0)
            if case.state in (states.CORRECTING, states.SPECIAL):
                assert clock.paused
            if case.state in states.CLOCK_RUNNING:
                assert case.clock_running == (not clock.paused)
            else:
                assert not case.clock_running
            if clock.due is not None:
                assert clock.due >= clock.start
                last = self.last_due.get(case.pk)
                assert last is None or clock.due >= last, "the due date moved back"
                self.last_due[case.pk] = clock.due
            assert case.accepted_at is not None and case.accepted_at >= case.received_at
            if case.decided_at is not None:
                assert case.decided_at >= case.accepted_at
        assert not DeadlinePause.objects.filter(end__lt=F("start")).exists()
        for case in Case.objects.exclude(delivered_at=None):
            assert case.delivered_at >= case.received_at
        assert not Case.objects.filter(deadline=None, clock_running=True).exists()


def test_r_case_life_holds_its_table_and_clocks_under_random_steps(desk):
    run_state_machine_as_test(lambda: CaseLife(desk), settings=SETTINGS)
