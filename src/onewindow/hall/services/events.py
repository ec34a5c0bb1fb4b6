"""What every action of the hall shares: the screens told after commit, the ticket's
audit row, and the signal a finished visit sends (一次一评)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

from onewindow.core.audit import audit_record
from onewindow.hall.models import Ticket
from onewindow.hall.selectors.rules import display_version_key

# A finished visit (一次一评): the evaluation loop listens to it.
visit_finished = Signal()
# Every step of a ticket, sent inside the step's transaction (ticket, action, before,
# data): what listens writes in the same transaction (the messages' outbox).
ticket_stepped = Signal()


def touch_display(center_id: int) -> None:
    """Tell the hall screens something changed (after commit, never on rollback)."""

    def bump():
        key = display_version_key(center_id)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, None)

    transaction.on_commit(bump)


def audit_ticket(
    actor, action: str, ticket: Ticket, *, before: str, note: str = "", policy=None, **after
) -> None:
    """The step's audit row, and ``ticket_stepped``; ``policy`` (a call's, already read)
    goes to the listeners only, so they need not read the center's rules again."""
    audit_record(
        actor=actor,
        action=f"ticket.{action}",
        target=ticket,
        center=ticket.center,
        before={"state": before},
        after={"state": ticket.state, **after},
        note=note,
    )
    ticket_stepped.send(
        sender=Ticket, ticket=ticket, action=action, before=before, data=after, policy=policy
    )
