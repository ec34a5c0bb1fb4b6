"""A complaint's life driven at random against its tables (R-CPL-1, R-SEC-2).

A Hypothesis state machine files complaints at the desk and lets the center dispatch
them to one of two departments, a department (the right one or the wrong one) return
or answer them, the complainant judge the answer and ask once to reopen, and the center
revisit and close them. After every step it reads the tables back: the state is the one
``complaints/states.py`` says, a refused step changed nothing, a complaint is returned
at most once and reopened at most once, every step left its history line, and the
answer clock never ends before it starts. Each run is a savepoint rolled back at its end.
"""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    invariant,
    rule,
    run_state_machine_as_test,
)

from onewindow.complaints import services, states
from onewindow.complaints.models import Complaint, ComplaintEvent
from tests.machines import MACHINE_SETTINGS, SavepointMachine

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Complaint.objects.order_by("pk").values_list(
            "pk", "state", "department_id", "returns", "reopened"
        )
    )


class ComplaintLife(SavepointMachine):
    complaints = Bundle("complaints")

    def __init__(self, hall):
        super().__init__()
        self.hall = hall
        self.departments = [
            (hall.linxia_market, hall.approver),
            (hall.linxia_police, hall.police_approver),
        ]
        self.expected: dict[int, str] = {}
        self.events: dict[int, int] = {}

    def snapshot(self):
        return _snapshot()

    def _moved(self, pk: int, action: str) -> None:
        self.expected[pk] = states.ACTIONS[action].target
        self.events[pk] += 1

    @rule(target=complaints)
    def file(self):
        c = services.complaint_file(
            actor=self.hall.clerk,
            center=self.hall.linxia_center,
            source=Complaint.Source.DESK,
            subject="办理营业执照等了很久",
            content="个体工商户登记窗口让我来回跑了三次，营业执照还没有办下来。",
            name="马小红",
            phone="13909305678",
        )
        self.expected[c.pk] = c.state
        self.events[c.pk] = ComplaintEvent.objects.filter(complaint=c).count()
        return c.pk

    @rule(pk=complaints, department=st.integers(0, 1))
    def dispatch(self, pk, department):
        c = Complaint.objects.get(pk=pk)
        done = self.attempt(
            services.complaint_dispatch,
            actor=self.hall.clerk,
            complaint=c,
            department=self.departments[department][0],
        )
        assert (done is not None) == (c.state in states.ACTIONS["dispatch"].sources)
        if done is not None:
            self._moved(pk, "dispatch")

    @rule(pk=complaints, who=st.integers(0, 1), action=st.sampled_from(("return", "answer")))
    def department_step(self, pk, who, action):
        c = Complaint.objects.get(pk=pk)
        department, approver = self.departments[who]
        ours = c.department_id == department.pk
        if action == "return":
            done = self.attempt(
                services.complaint_return, actor=approver, complaint=c, reason="非本部门职责"
            )
            allowed = ours and c.state in states.ACTIONS["return"].sources and c.returns == 0
        else:
            done = self.attempt(
                services.complaint_answer,
                actor=approver,
                complaint=c,
                answer="已核实并整改，向投诉人致歉。",
                finding="upheld",
            )
            allowed = ours and c.state in states.ACTIONS["answer"].sources
        assert (done is not None) == allowed, f"{action} from {c.state}, ours={ours}"
        if done is not None:
            self._moved(pk, action)

    @rule(pk=complaints, satisfied=st.booleans())
    def feedback(self, pk, satisfied):
        c = Complaint.objects.get(pk=pk)
        done = self.attempt(services.complaint_feedback, token=c.token, satisfied=satisfied)
        action = "satisfied" if satisfied else "unsatisfied"
        assert (done is not None) == (c.state in states.ACTIONS[action].sources)
        if done is not None:
            self._moved(pk, action)

    @rule(pk=complaints)
    def reopen(self, pk):
        c = Complaint.objects.get(pk=pk)
        done = self.attempt(services.complaint_reopen, token=c.token, reason="问题没有解决")
        allowed = c.state in states.ACTIONS["reopen"].sources and not c.reopened
        assert (done is not None) == allowed
        if done is not None:
            self._moved(pk, "reopen")

    @rule(pk=complaints, action=st.sampled_from(("revisit", "close")))
    def center_step(self, pk, action):
        c = Complaint.objects.get(pk=pk)
        if action == "revisit":
            done = self.attempt(
                services.complaint_revisit, actor=self.hall.clerk, complaint=c, note="电话回访"
            )
        else:
            done = self.attempt(services.complaint_close, actor=self.hall.clerk, complaint=c)
        if c.state not in states.ACTIONS[action].sources:
            assert done is None, f"{action} from {c.state}"
        if done is not None:
            self._moved(pk, action)

    @invariant()
    def states_are_the_lifes(self):
        assert dict(Complaint.objects.values_list("pk", "state")) == self.expected

    @invariant()
    def returned_and_reopened_at_most_once(self):
        assert not Complaint.objects.filter(returns__gt=1).exists()

    @invariant()
    def every_step_has_its_history_line(self):
        for pk, n in self.events.items():
            assert ComplaintEvent.objects.filter(complaint_id=pk).count() == n

    @invariant()
    def answer_clock_never_ends_before_it_starts(self):
        for c in Complaint.objects.select_related("deadline").exclude(deadline=None):
            assert c.deadline.due >= c.deadline.start


def test_r_cpl_1_complaint_life_holds_its_invariants_under_random_steps(hall):
    run_state_machine_as_test(
        lambda: ComplaintLife(hall),
        settings=MACHINE_SETTINGS,
    )
