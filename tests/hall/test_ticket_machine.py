"""The ticket's life driven at random against its tables (R-HALL-2, R-SEC-2).

A Hypothesis state machine issues tickets and lets three windows call, recall, start,
skip, undo, transfer and finish them, returns and cancels the skipped and waiting ones,
and also tries steps the life does not allow (a window acting on a ticket it does not
hold, a step from the wrong state). After every step it reads the tables back and
checks what must always hold: a called or served ticket is held by exactly one window
and a window holds at most one; the state is the one the life (``hall/states.py``)
says; a refused step changed nothing; every step that happened left its audit record;
no number is given twice in a queue's day; no service time is negative. Each run is a
savepoint rolled back at its end.
"""

from __future__ import annotations

import pytest
from django.db.models import Count
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    invariant,
    rule,
    run_state_machine_as_test,
)

from onewindow.core.models import AuditEvent
from onewindow.hall import services, states
from onewindow.hall.models import Ticket
from tests.machines import MACHINE_SETTINGS, SavepointMachine

pytestmark = pytest.mark.django_db

# Which state each action leads to, from the life's own table.
TARGET = {action: t.target for action, t in states.TRANSITIONS.items()}
WINDOW_STEPS = ("recall", "start", "undo", "skip", "finish", "transfer")


def _snapshot():
    return list(Ticket.objects.order_by("pk").values_list("pk", "state", "window_id", "queue_id"))


class TicketLife(SavepointMachine):
    tickets = Bundle("tickets")

    def __init__(self, hall):
        super().__init__()
        self.hall = hall
        self.windows = [(hall.w1, hall.clerk), (hall.w2, hall.clerk2), (hall.w3, hall.clerk3)]
        self.categories = [hall.cat_a, hall.cat_b]
        self.expected: dict[int, str] = {}
        self.steps = 0
        self.audits_before = AuditEvent.objects.filter(action__startswith="ticket.").count()

    def snapshot(self):
        return _snapshot()

    @rule(target=tickets, category=st.integers(0, 1))
    def issue(self, category):
        ticket = services.ticket_issue(
            center=self.hall.linxia_center, category=self.categories[category]
        )
        self.expected[ticket.pk] = states.WAITING
        self.steps += 1
        return ticket.pk

    @rule(window=st.integers(0, 2))
    def call_next(self, window):
        w, clerk = self.windows[window]
        held = Ticket.objects.filter(window=w, state__in=states.HELD).exists()
        ticket = self.attempt(services.ticket_call_next, actor=clerk, window=w)
        if ticket is not None:
            assert not held, "a window holding a ticket called another"
            self.expected[ticket.pk] = states.CALLED
            self.steps += 1

    @rule(ticket=tickets, window=st.integers(0, 2), action=st.sampled_from(WINDOW_STEPS))
    def window_step(self, ticket, window, action):
        w, clerk = self.windows[window]
        row = Ticket.objects.get(pk=ticket)
        allowed = states.can(action, row.state) and row.window_id == w.pk
        kwargs = {"actor": clerk, "window": w, "ticket": row}
        if action == "transfer":
            other = [c for c in self.categories if c.pk != row.queue_id]
            kwargs["to_category"] = other[0]
        step = getattr(services, f"ticket_{action}")
        done = self.attempt(step, **kwargs)
        assert (done is not None) == allowed, f"{action} from {row.state}: allowed={allowed}"
        if done is not None:
            self.expected[ticket] = TARGET[action]
            self.steps += 1

    @rule(ticket=tickets, action=st.sampled_from(("return", "cancel")))
    def citizen_step(self, ticket, action):
        row = Ticket.objects.get(pk=ticket)
        allowed = states.can(action, row.state)
        step = getattr(services, f"ticket_{action}")
        done = self.attempt(step, ticket=row)
        # A return may also be refused after its grace period; it never happens when
        # the life does not allow it.
        if not allowed:
            assert done is None
        if done is not None:
            self.expected[ticket] = TARGET[action]
            self.steps += 1

    @invariant()
    def states_are_the_lifes(self):
        actual = dict(Ticket.objects.values_list("pk", "state"))
        assert actual == self.expected

    @invariant()
    def one_window_per_held_ticket_and_one_ticket_per_window(self):
        held = Ticket.objects.filter(state__in=states.HELD)
        assert not held.filter(window__isnull=True).exists()
        assert (
            not Ticket.objects.exclude(state__in=states.HELD).filter(window__isnull=False).exists()
        )
        per_window = held.values("window").annotate(n=Count("pk")).filter(n__gt=1)
        assert list(per_window) == []

    @invariant()
    def numbers_once_and_clocks_not_negative(self):
        twice = (
            Ticket.objects.values("category", "day", "number")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert list(twice) == []
        assert not Ticket.objects.filter(service_seconds__lt=0).exists()

    @invariant()
    def every_step_audited(self):
        audits = AuditEvent.objects.filter(action__startswith="ticket.").count()
        assert audits - self.audits_before == self.steps


def test_r_hall_2_ticket_life_holds_its_invariants_under_random_steps(hall):
    run_state_machine_as_test(
        lambda: TicketLife(hall),
        settings=MACHINE_SETTINGS,
    )
