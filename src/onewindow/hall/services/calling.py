"""Calling (R-HALL-2, R-HALL-3): call the next or a chosen ticket, recall, start, undo,
skip, transfer and finish, each at the window the clerk is signed in at.

Concurrency: every action runs in one transaction that locks the rows it changes (the
window, the ticket) with ``select_for_update`` and checks their state after the lock.
The window is locked and its clerk's open session checked in one statement.
A ticket is only moved out of "waiting" by an UPDATE that still finds it waiting; a
window holds at most one ticket and a held ticket has exactly one window (database
constraints back both). On SQLite every transaction begins IMMEDIATE, which serialises
writers; on PostgreSQL the row locks do.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.utils import timezone

from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.statements import prepared_rows, statement
from onewindow.hall import rollups, states
from onewindow.hall.models import ServiceCategory, Ticket, Window, WindowSession
from onewindow.hall.selectors.queue import HEAD_SIZE, call_context, queue_heads
from onewindow.hall.selectors.rules import hall_settings
from onewindow.hall.services.events import audit_ticket, touch_display, visit_finished
from onewindow.hall.services.tickets import (
    lock_ticket,
    require_transition,
    ticket_with_categories,
)
from onewindow.planning import queueing

MAX_CALL_ATTEMPTS = 8
MAX_SKIPS = HEAD_SIZE  # a call tries at most the heads the policy is exact on


NOT_SIGNED_IN = "请先在该窗口签到。无人签到的窗口不能叫号。"
BUSY = "请先办结、过号或转移当前的号，再叫下一位。"
CALL_FIELDS = [
    "state",
    "window",
    "clerk",
    "target_window",
    "called_at",
    "call_count",
    "wait_seconds",
]


def _window_for_action(actor, window: Window) -> Window:
    """Lock the window, in the same statement as checking that ``actor`` sits at it;
    ``busy`` tells whether it holds a ticket."""

    def build(*, window, clerk):
        qs = (
            for_update(Window.objects)
            .filter(
                Exists(
                    WindowSession.objects.filter(
                        window=OuterRef("pk"), clerk=clerk, signed_out_at__isnull=True
                    )
                ),
                pk=window,
            )
            .annotate(
                busy=Exists(Ticket.objects.filter(window=OuterRef("pk"), state__in=states.HELD))
            )
        )
        return qs.query.sql_with_params()

    sql, params = statement(("hall.window_lock",), build, window=window.pk, clerk=actor.pk)
    rows = prepared_rows(sql, params)  # prepared once per connection (PostgreSQL)
    if not rows:
        raise Conflict("window.not_signed_in", NOT_SIGNED_IN)
    fields = [f.attname for f in Window._meta.concrete_fields]
    locked = Window.from_db(connection.alias, fields, rows[0][: len(fields)])
    locked.busy = bool(rows[0][len(fields)])
    if Window.center.is_cached(window):
        locked.center = window.center
    return locked


def _with_center(ticket: Ticket, window: Window) -> Ticket:
    """The audit row names the ticket's center: take it from the window, not a read."""
    if ticket.center_id == window.center_id and Window.center.is_cached(window):
        ticket.center = window.center
    return ticket


def _take_first(
    ordered: list[queueing.Candidate], window: Window, actor, now: datetime
) -> tuple[queueing.Candidate, Ticket] | None:
    """Lock the first ticket of ``ordered`` that is still waiting and that no other
    window is taking at this moment (skipped at once on PostgreSQL, not waited for),
    in one statement, and move it to the window."""
    rank = {c.id: i for i, c in enumerate(ordered)}
    if connection.vendor == "postgresql":
        ticket = _take_first_returning([c.id for c in ordered], window, actor, now)
        return None if ticket is None else (ordered[rank[ticket.pk]], ticket)
    ticket = (
        for_update(Ticket.objects)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("category", "queue")
        .filter(pk__in=list(rank), state=states.WAITING)
        .order_by(
            Case(
                *(When(pk=pk, then=Value(i)) for pk, i in rank.items()),
                output_field=IntegerField(),
            )
        )
        .first()
    )
    if ticket is None:
        return None
    return ordered[rank[ticket.pk]], _move_to_window(ticket, window, actor, now)


def _columns(model, alias: str) -> str:
    return ", ".join(
        f"{alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields
    )


_TAKE_SQL: list[str] = []


def _take_sql() -> str:
    """One statement for the call on PostgreSQL: lock the first of the ordered heads
    still waiting that no other window is taking (``SKIP LOCKED``), move it to the
    window as ``_move_to_window`` does, and return it with its category and queue."""
    if not _TAKE_SQL:
        q = connection.ops.quote_name
        ticket, category = q(Ticket._meta.db_table), q(ServiceCategory._meta.db_table)
        _TAKE_SQL.append(
            f"WITH taken AS (UPDATE {ticket} SET state = %s, window_id = %s, clerk_id = %s, "
            f"target_window_id = NULL, called_at = %s, call_count = call_count + 1, "
            f"wait_seconds = COALESCE(wait_seconds, GREATEST(0, FLOOR(EXTRACT(EPOCH FROM "
            f"(%s::timestamptz - issued_at))))::integer) "
            f"WHERE id = (SELECT id FROM {ticket} WHERE id = ANY(%s::bigint[]) AND state = %s "
            f"ORDER BY array_position(%s::bigint[], id) LIMIT 1 FOR UPDATE SKIP LOCKED) "
            f"RETURNING {_columns(Ticket, ticket)}) "
            f"SELECT taken.*, {_columns(ServiceCategory, 'c')}, {_columns(ServiceCategory, 'q')} "
            f"FROM taken JOIN {category} c ON c.id = taken.category_id "
            f"JOIN {category} q ON q.id = taken.queue_id"
        )
    return _TAKE_SQL[0]


def _take_first_returning(ids: list[int], window: Window, actor, now: datetime) -> Ticket | None:
    rows = prepared_rows(
        _take_sql(), [states.CALLED, window.pk, actor.pk, now, now, ids, states.WAITING, ids]
    )
    if not rows:
        return None
    ticket = ticket_with_categories(rows[0])
    ticket.window, ticket.clerk = window, actor
    return _with_center(ticket, window)


def _move_to_window(ticket: Ticket, window: Window, actor, now: datetime) -> Ticket:
    """The call itself, on a locked waiting ticket."""
    ticket.state = states.CALLED
    ticket.window = window
    ticket.clerk = actor
    ticket.target_window = None
    ticket.called_at = now
    ticket.call_count += 1
    if ticket.wait_seconds is None:
        ticket.wait_seconds = max(0, int((now - ticket.issued_at).total_seconds()))
    ticket.save(update_fields=CALL_FIELDS)
    return _with_center(ticket, window)


def ticket_call_next(*, actor, window: Window, now: datetime | None = None) -> Ticket | None:
    """Call the next ticket for this window; None when nobody is waiting for it.

    An idle window pressing "next" must not take the write lock (on SQLite one writer
    at a time serves the whole hall): who sits at the window, whether it holds a ticket,
    the call policy and the heads of its queues are read first, outside any transaction
    (three reads); only then is the call made, under locks, where everything is checked
    again."""
    now = clock.now(now)
    context = call_context(window, actor)
    if not context.signed_in:
        raise Conflict("window.not_signed_in", NOT_SIGNED_IN)
    day = timezone.localdate(now)
    heads = queue_heads(window, day, context.category_ids, context.policy, now)
    if context.busy:
        raise Conflict("window.busy", BUSY)
    if not heads:
        return None
    return _call_next_locked(actor=actor, window=window, now=now, context=context, heads=heads)


@transaction.atomic
def _call_next_locked(
    *, actor, window: Window, now: datetime, context, heads: list[queueing.Candidate]
) -> Ticket | None:
    window = _window_for_action(actor, window)
    if window.busy:
        raise Conflict("window.busy", BUSY)
    policy, categories = context.policy, set(context.category_ids)
    day = timezone.localdate(now)
    tried: set[int] = set()
    for attempt in range(MAX_CALL_ATTEMPTS):
        if attempt:
            # Every head tried was taken meanwhile, or is being taken by another window
            # whose call has not committed yet: read the heads again past them (as many
            # more of each class as were tried, so the policy is still exact on the
            # first HEAD_SIZE of what is left). When all that waits is being taken,
            # nobody is left for this window.
            heads = queue_heads(window, day, categories, policy, now, size=HEAD_SIZE + len(tried))
            heads = [c for c in heads if c.id not in tried]
        ordered = queueing.order(
            heads,
            window_id=window.pk,
            categories=categories,
            policy=policy,
            priority_streak=window.priority_streak,
            now=now,
        )
        if not ordered:
            return None
        # The best ticket first; one another window is taking at this moment is passed
        # over for the next best. The heads hold the policy's first HEAD_SIZE exactly.
        chances = ordered[:MAX_SKIPS]
        taken = _take_first(chances, window, actor, now)
        if taken is None:
            tried.update(c.id for c in chances)
            continue
        chosen, ticket = taken
        streak = queueing.next_streak(chosen, streak=window.priority_streak, now=now, policy=policy)
        if streak != window.priority_streak:
            window.priority_streak = streak
            window.save(update_fields=["priority_streak"])
        audit_ticket(
            actor, "call", ticket, before=states.WAITING, policy=policy, window=window.number
        )
        touch_display(window.center_id)
        return ticket
    raise Conflict("ticket.busy", "叫号繁忙，请重试。")


@transaction.atomic
def ticket_call(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Call a chosen ticket from the waiting list."""
    now = clock.now(now)
    window = _window_for_action(actor, window)
    if window.busy:
        raise Conflict("window.busy", BUSY)
    locked = lock_ticket(ticket)
    require_transition("call", locked)
    serves = window.categories.filter(pk=locked.queue_id).exists()
    if locked.center_id != window.center_id or not (serves or locked.target_window_id == window.pk):
        raise Conflict("ticket.not_for_window", f"{locked.code}不属于本窗口的服务类别。")
    if locked.target_window_id not in (None, window.pk):
        raise Conflict("ticket.not_for_window", f"{locked.code}已指定到其他窗口。")
    taken = _move_to_window(locked, window, actor, now)
    audit_ticket(actor, "call", taken, before=states.WAITING, window=window.number, chosen=True)
    touch_display(window.center_id)
    return taken


@transaction.atomic
def ticket_recall(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = clock.now(now)
    window = _window_for_action(actor, window)
    ticket = _with_center(lock_ticket(ticket), window)
    require_transition("recall", ticket, window)
    limit = hall_settings(window.center).recall_limit
    ticket.recall_count += 1
    ticket.call_count += 1
    ticket.called_at = now
    if ticket.recall_count > limit:
        ticket.state, ticket.no_show_at, ticket.window = states.NO_SHOW, now, None
        ticket.save()
        audit_ticket(
            actor,
            "skip",
            ticket,
            before=states.CALLED,
            window=window.number,
            automatic=True,
            note=f"重呼超过{limit}次，自动过号",
        )
    else:
        ticket.save()
        audit_ticket(
            actor,
            "recall",
            ticket,
            before=states.CALLED,
            window=window.number,
            recall_count=ticket.recall_count,
        )
    touch_display(window.center_id)
    return ticket


@transaction.atomic
def ticket_start(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = clock.now(now)
    window = _window_for_action(actor, window)
    ticket = _with_center(lock_ticket(ticket), window)
    require_transition("start", ticket, window)
    ticket.state, ticket.served_at = states.SERVING, now
    ticket.save()
    audit_ticket(actor, "start", ticket, before=states.CALLED, window=window.number)
    touch_display(window.center_id)
    return ticket


@transaction.atomic
def ticket_undo(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Undo a mistaken call within the center's few seconds: the ticket goes back to its place."""
    now = clock.now(now)
    window = _window_for_action(actor, window)
    ticket = _with_center(lock_ticket(ticket), window)
    require_transition("undo", ticket, window)
    limit = hall_settings(window.center).undo_seconds
    if ticket.recall_count or (now - ticket.called_at).total_seconds() > limit:
        raise Conflict("ticket.undo_too_late", f"只能在叫号后{limit}秒内撤销。")
    if ticket.is_priority and window.priority_streak:
        window.priority_streak -= 1
        window.save(update_fields=["priority_streak"])
    ticket.state, ticket.window, ticket.clerk, ticket.called_at = states.WAITING, None, None, None
    ticket.call_count = max(0, ticket.call_count - 1)
    if ticket.call_count == 0:
        ticket.wait_seconds = None
    ticket.save()
    audit_ticket(actor, "undo", ticket, before=states.CALLED, window=window.number)
    touch_display(window.center_id)
    return ticket


@transaction.atomic
def ticket_skip(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = clock.now(now)
    window = _window_for_action(actor, window)
    ticket = _with_center(lock_ticket(ticket), window)
    require_transition("skip", ticket, window)
    ticket.state, ticket.no_show_at, ticket.window = states.NO_SHOW, now, None
    ticket.save()
    audit_ticket(actor, "skip", ticket, before=states.CALLED, window=window.number)
    touch_display(window.center_id)
    return ticket


@transaction.atomic
def ticket_transfer(
    *,
    actor,
    window: Window,
    ticket: Ticket,
    to_category: ServiceCategory | None = None,
    to_window: Window | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Hand the ticket on: to another category's queue or to a named window, keeping its
    original arrival time. It is back to waiting, so no two windows ever hold it."""
    window = _window_for_action(actor, window)
    ticket = _with_center(lock_ticket(ticket), window)
    require_transition("transfer", ticket, window)
    if (to_category is None) == (to_window is None):
        raise InvalidInput("ticket.transfer_target", "请选择转入的业务类别或窗口（二选一）。")
    if to_category is not None and (
        to_category.center_id != ticket.center_id or not to_category.is_active
    ):
        raise InvalidInput("ticket.transfer_target", "只能转入本中心启用的业务类别。")
    if to_window is not None and (
        to_window.center_id != ticket.center_id
        or to_window.pk == window.pk
        or not to_window.is_active
    ):
        raise InvalidInput("ticket.transfer_target", "只能转入本中心的其他窗口。")
    before = {"queue": ticket.queue.letter, "window": window.number}
    if to_category is not None:
        ticket.queue, ticket.target_window = to_category, None
    else:
        ticket.target_window = to_window
    ticket.state, ticket.window, ticket.clerk = states.WAITING, None, None
    ticket.transfer_count += 1
    ticket.save()
    audit_ticket(
        actor,
        "transfer",
        ticket,
        before=states.CALLED,
        note=note,
        **{
            "from": before,
            "to_category": to_category.letter if to_category else None,
            "to_window": to_window.number if to_window else None,
        },
    )
    touch_display(ticket.center_id)
    return ticket


@transaction.atomic
def ticket_finish(
    *, actor, window: Window, ticket: Ticket, case_ref: str = "", now: datetime | None = None
) -> Ticket:
    """The visit ends; it is what the evaluation attaches to (一次一评)."""
    now = clock.now(now)
    window = _window_for_action(actor, window)
    ticket = _with_center(lock_ticket(ticket), window)
    require_transition("finish", ticket, window)
    before = ticket.state
    start = ticket.served_at or ticket.called_at
    ticket.state, ticket.finished_at, ticket.served_window = states.DONE, now, window
    ticket.service_seconds = max(0, int((now - start).total_seconds()))
    ticket.window = None
    ticket.case_ref = case_ref[:40]
    # The rollup before the ticket's change: at the commit (PostgreSQL) its appended row
    # is folded into a stripe of the center's month before the day count is moved, in
    # the order an issue's commit takes them; elsewhere the stripe is locked at once.
    rollups.ticket_finished(ticket)
    ticket.save(
        update_fields=[
            "state",
            "finished_at",
            "served_window",
            "service_seconds",
            "window",
            "case_ref",
        ]
    )
    audit_ticket(
        actor, "finish", ticket, before=before, window=window.number, case_ref=case_ref or None
    )
    touch_display(window.center_id)
    transaction.on_commit(lambda: visit_finished.send(sender=Ticket, ticket=ticket))
    return ticket
