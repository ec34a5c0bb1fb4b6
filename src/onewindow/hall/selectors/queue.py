"""Reads of the queue: call texts, tickets by their slip token or today's number, the
categories a terminal offers, waiting counts and a ticket's place in its queue."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.hall import states
from onewindow.hall.models import ServiceCategory, Ticket, Window
from onewindow.hall.selectors.rules import policy_for
from onewindow.org.models import Center
from onewindow.planning import queueing

TOKEN_SALT = "onewindow.hall.ticket"
TICKET_OF_TODAY_NOT_FOUND = "未找到今天的这个号，请核对小票上的号码。"


# --- texts ------------------------------------------------------------------------------


def window_label(number: int) -> str:
    return f"{number}号窗口"


def call_text(code: str, window_number: int, *, recall: bool = False) -> str:
    """What the hall hears and reads: 请A001号到3号窗口办理 / 请A001号再次到3号窗口办理."""
    again = "再次" if recall else ""
    return f"请{code}号{again}到{window_label(window_number)}办理"


# --- tickets by token (the slip's QR code) ---------------------------------------------


def ticket_token(ticket: Ticket) -> str:
    digest = salted_hmac(TOKEN_SALT, f"{ticket.pk}:{ticket.center_id}:{ticket.day}").hexdigest()
    return f"{ticket.pk}.{digest[:20]}"


def ticket_by_token(token: str) -> Ticket:
    """The ticket of a slip token; NotFound for anything else."""
    pk, _, mac = (token or "").partition(".")
    if not pk.isdigit() or len(pk) > 18 or not mac:
        raise NotFound("ticket.not_found", "未找到该号。")
    ticket = (
        Ticket.objects.select_related("center", "category", "queue", "window")
        .filter(pk=int(pk))
        .first()
    )
    if ticket is None or not constant_time_compare(ticket_token(ticket), token):
        raise NotFound("ticket.not_found", "未找到该号。")
    return ticket


def ticket_at_center(center_id: int, ticket_id) -> Ticket:
    try:
        ticket_id = int(ticket_id)
    except (TypeError, ValueError):
        raise NotFound("ticket.not_found", "未找到该号。") from None
    ticket = Ticket.objects.filter(pk=ticket_id, center_id=center_id).first()
    if ticket is None:
        raise NotFound("ticket.not_found", "未找到该号。")
    return ticket


def find_ticket_of_today(center: Center, code: str, now: datetime | None = None) -> Ticket | None:
    """Today's ticket of a center by the number printed on its slip (E001), or None."""
    code = (code or "").strip().upper()[:8]
    if not code:
        return None
    day = timezone.localdate(clock.now(now))
    return (
        Ticket.objects.select_related("center", "category", "queue", "served_window")
        .filter(center=center, day=day, code=code)
        .order_by("-pk")
        .first()
    )


def ticket_of_today(center: Center, code: str, now: datetime | None = None) -> Ticket:
    """Today's ticket of a center by the number printed on its slip (E001), for the
    terminal's reprint and review; NotFound for anything else."""
    ticket = find_ticket_of_today(center, code, now)
    if ticket is None:
        raise NotFound("ticket.not_found", TICKET_OF_TODAY_NOT_FOUND)
    return ticket


# --- categories and queues ---------------------------------------------------------------


def terminal_categories(center: Center, *, open_now: bool) -> list[ServiceCategory]:
    qs = ServiceCategory.objects.filter(center=center, is_active=True)
    if not open_now:
        qs = qs.filter(needs_clerk=False)
    return list(qs.order_by("order", "letter"))


def waiting_counts(center: Center, day) -> dict[int, int]:
    rows = (
        Ticket.objects.filter(center=center, day=day, state=states.WAITING)
        .values("queue_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["queue_id"]: r["n"] for r in rows}


def category_waiting(center: Center, day) -> list[dict]:
    counts = waiting_counts(center, day)
    return [
        {"letter": c.letter, "name": c.name, "waiting": counts.get(c.pk, 0)}
        for c in ServiceCategory.objects.filter(center=center, is_active=True).order_by(
            "order", "letter"
        )
    ]


def waiting_for(window: Window, day, category_ids: set[int]):
    return Ticket.objects.filter(center_id=window.center_id, day=day, state=states.WAITING).filter(
        Q(target_window_id=window.pk) | Q(target_window__isnull=True, queue_id__in=category_ids)
    )


def _ordered_waiting(tickets: list[Ticket], now: datetime, policy: queueing.Policy) -> list[Ticket]:
    """Waiting tickets in the order the call-next policy takes them (ignoring the
    every-k interleave, which depends on the window that calls)."""

    def key(t: Ticket):
        cand = queueing.Candidate(
            id=t.pk,
            category_id=t.queue_id,
            arrival=t.issued_at,
            priority=t.is_priority,
            appointment_at=t.appointment_at,
            target_window_id=t.target_window_id,
        )
        cls = queueing.ticket_class(cand, now, policy)
        when = t.appointment_at if cls == queueing.APPOINTMENT and t.appointment_at else t.issued_at
        return (0 if t.target_window_id else 1, cls, when, t.pk)

    return sorted(tickets, key=key)


def people_ahead(ticket: Ticket, now: datetime | None = None) -> int | None:
    """How many waiting tickets of its queue come before it; None when not waiting."""
    if ticket.state != states.WAITING:
        return None
    now = clock.now(now)
    qs = Ticket.objects.filter(center_id=ticket.center_id, day=ticket.day, state=states.WAITING)
    if ticket.target_window_id:
        qs = qs.filter(target_window_id=ticket.target_window_id)
    else:
        qs = qs.filter(Q(queue_id=ticket.queue_id, target_window__isnull=True))
    ordered = _ordered_waiting(list(qs), now, policy_for(ticket.center))
    for i, t in enumerate(ordered):
        if t.pk == ticket.pk:
            return i
    return 0


def window_waiting(window: Window, now: datetime | None = None, limit: int = 50) -> list[Ticket]:
    """The tickets this window may call, in call order."""
    now = clock.now(now)
    day = timezone.localdate(now)
    category_ids = list(window.categories.values_list("pk", flat=True))
    qs = (
        Ticket.objects.filter(center_id=window.center_id, day=day, state=states.WAITING)
        .filter(
            Q(target_window_id=window.pk) | Q(target_window__isnull=True, queue_id__in=category_ids)
        )
        .select_related("category", "queue")
    )
    return _ordered_waiting(list(qs), now, policy_for(window.center))[:limit]
