"""Issuing tickets (terminal, portal, check-in of a booking) and the steps of a ticket
that need no window: a no-show's return, cancelling, linking the case taken in.

The day's number comes from the one daily counter (``core.numbering``, series
``ticket``, one count per category and day), locked inside the issuing transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.idnumber import IdNumberError
from onewindow.core.locking import for_update
from onewindow.core.numbering import next_in_day
from onewindow.core.statements import prepared_rows, statement
from onewindow.core.validation import is_mobile
from onewindow.hall import hours, rollups, states
from onewindow.hall.limits import rate_limit_hit
from onewindow.hall.models import ServiceCategory, Ticket, Window
from onewindow.hall.selectors.rules import hall_settings
from onewindow.hall.services.events import audit_ticket, touch_display
from onewindow.org.models import Center


def _enforce_hours(center: Center, category: ServiceCategory, now: datetime) -> None:
    """Tickets that need a clerk are issued only in the center's opening hours (the
    one schedule, ``hall.hours``): every channel issues through here."""
    if not category.needs_clerk or not getattr(settings, "ONEWINDOW_HALL_ENFORCE_HOURS", True):
        return
    message = hours.closed_message(center, now, category=category)
    if message:
        raise Conflict("ticket.closed", message)


@transaction.atomic
def ticket_issue(
    *,
    actor=None,
    center: Center,
    category: ServiceCategory,
    channel: str = Ticket.Channel.TERMINAL,
    priority_reason: str = "",
    priority_note: str = "",
    phone: str = "",
    id_number: str = "",
    appointment=None,
    now: datetime | None = None,
) -> Ticket:
    now = clock.now(now)
    if category.center_id != center.pk or not category.is_active:
        raise NotFound("category.not_found", "未找到该业务类别。")
    if priority_reason not in Ticket.PriorityReason.values:
        raise InvalidInput("ticket.priority_reason", "绿色通道类型不正确。")
    if priority_reason == Ticket.PriorityReason.OTHER and not priority_note.strip():
        raise InvalidInput(
            "ticket.priority_note",
            "请说明特殊困难情况。",
            {"priority_note": "请说明特殊困难情况。"},
        )
    phone = (phone or "").strip()
    if phone and not is_mobile(phone):
        raise InvalidInput(
            "ticket.phone", "请填写11位手机号码。", {"phone": "请填写11位手机号码。"}
        )
    if appointment is None:
        _enforce_hours(center, category, now)
    ticket = Ticket(
        center=center,
        category=category,
        queue=category,
        day=timezone.localdate(now),
        channel=channel,
        priority_reason=priority_reason,
        priority_note=priority_note,
        phone=phone,
        issued_at=now,
        appointment=appointment,
        appointment_at=_slot_start(appointment) if appointment else None,
    )
    try:
        ticket.set_id_number(id_number)
    except IdNumberError as exc:
        raise InvalidInput(exc.code, exc.message, {"id_number": exc.message}) from None
    # The rollup first: on PostgreSQL an appended row, no lock (folded at the commit,
    # before the ticket's day count, as a finish's), elsewhere a stripe of the center's
    # month. Then the category's counter of the day, which every ticket of the category
    # waits for: taken last, it is held only for the ticket's insert and its audit row
    # until the commit.
    rollups.ticket_issued(ticket)
    ticket.number = next_in_day(series="ticket", key=category.pk, day=ticket.day)
    ticket.code = f"{category.letter}{ticket.number:03d}"
    ticket.save()
    audit_ticket(
        actor,
        "issue",
        ticket,
        before="",
        channel=channel,
        code=ticket.code,
        priority=priority_reason or None,
    )
    touch_display(center.pk)
    return ticket


def _slot_start(appointment) -> datetime:
    slot = appointment.slot
    return timezone.make_aware(datetime.combine(slot.day, slot.start))


def ticket_issue_online(
    *,
    center: Center,
    category: ServiceCategory,
    phone: str,
    client_key: str = "",
    now: datetime | None = None,
) -> Ticket:
    """A ticket taken on the portal (网上取号): a phone number is required, one waiting
    ticket per phone and center at a time, and the same rate limits as booking."""
    phone = (phone or "").strip()
    if not is_mobile(phone):
        raise InvalidInput(
            "ticket.phone", "网上取号须填写11位手机号码。", {"phone": "请填写11位手机号码。"}
        )
    now = clock.now(now)
    waiting = Ticket.objects.filter(
        center=center,
        day=timezone.localdate(now),
        phone=phone,
        state__in=[states.WAITING, states.CALLED],
    ).first()
    if waiting is not None:
        raise Conflict("ticket.already_waiting", f"该手机号已取号 {waiting.code}，请勿重复取号。")
    rate_limit_hit("client", client_key)
    rate_limit_hit("phone", phone)
    return ticket_issue(
        center=center, category=category, channel=Ticket.Channel.PORTAL, phone=phone, now=now
    )


def lock_ticket(ticket: Ticket) -> Ticket:
    # The category and queue come with it (the answer names them): one read, and only
    # the ticket's row is locked (``for_update`` locks its own table).
    def build(*, ticket):
        qs = for_update(Ticket.objects).select_related("category", "queue").filter(pk=ticket)
        return qs.query.sql_with_params()

    if connection.vendor != "postgresql":
        found = (
            for_update(Ticket.objects)
            .select_related("category", "queue")
            .filter(pk=ticket.pk)
            .first()
        )
    else:  # compiled once (``core.statements``); the row holds ticket, category, queue
        sql, params = statement(("hall.lock_ticket",), build, ticket=ticket.pk)
        rows = prepared_rows(sql, params)  # and prepared once per connection
        found = ticket_with_categories(rows[0]) if rows else None
    if found is None:
        raise NotFound("ticket.not_found", "未找到该号。")
    return found


def _from_row(model, row):
    return model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields], row)


def ticket_with_categories(row) -> Ticket:
    """A ticket from a PostgreSQL row of its columns, then its category's and its
    queue's (as ``select_related("category", "queue")`` selects them)."""
    n, m = len(Ticket._meta.concrete_fields), len(ServiceCategory._meta.concrete_fields)
    ticket = _from_row(Ticket, row[:n])
    ticket.category = _from_row(ServiceCategory, row[n : n + m])
    ticket.queue = _from_row(ServiceCategory, row[n + m :])
    return ticket


def require_transition(action: str, ticket: Ticket, window: Window | None = None) -> None:
    transition = states.TRANSITIONS[action]
    if ticket.state not in transition.sources:
        raise Conflict(
            "ticket.wrong_state",
            f"{ticket.code}当前为“{ticket.state_label}”，不能{transition.label}。",
        )
    if transition.by_window and (window is None or ticket.window_id != window.pk):
        raise Conflict("ticket.not_at_window", f"{ticket.code}不在本窗口。")


@transaction.atomic
def ticket_return(*, actor=None, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """A no-show comes back within the grace time: back in the queue at its place."""
    now = clock.now(now)
    ticket = lock_ticket(ticket)
    require_transition("return", ticket)
    grace = hall_settings(ticket.center).grace_minutes
    if now - ticket.no_show_at > timedelta(minutes=grace):
        raise Conflict("ticket.grace_over", f"已超过过号保留时间（{grace}分钟），请重新取号。")
    ticket.state, ticket.no_show_at = states.WAITING, None
    ticket.save()
    audit_ticket(actor, "return", ticket, before=states.NO_SHOW)
    touch_display(ticket.center_id)
    return ticket


@transaction.atomic
def ticket_cancel(*, actor=None, ticket: Ticket, reason: str = "") -> Ticket:
    ticket = lock_ticket(ticket)
    require_transition("cancel", ticket)
    before = ticket.state
    ticket.state = states.CANCELLED
    ticket.save()
    audit_ticket(actor, "cancel", ticket, before=before, note=reason)
    touch_display(ticket.center_id)
    return ticket


@transaction.atomic
def ticket_link_case(*, actor, ticket: Ticket, case_ref: str) -> Ticket:
    """A case was taken in for this visit: the visit and its evaluation point to it."""
    ticket = lock_ticket(ticket)
    if ticket.case_ref == case_ref:
        return ticket
    ticket.case_ref = case_ref[:40]
    ticket.save(update_fields=["case_ref"])
    audit_ticket(actor, "link_case", ticket, before=ticket.state, case_ref=case_ref)
    return ticket
