"""Reads of the queue: call texts, tickets by their slip token or today's number, the
categories a terminal offers, waiting counts, a ticket's place in its queue, and the
heads of the queues a window calls from.

Calling reads only the heads (``queue_heads``): for each queue the window serves, the
first few tickets of each class of ``planning.queueing`` (priority, appointment due,
everyone else) in that class's order, each an index range scan
(``ticket_queue_head``, ``ticket_queue_appointment``). The first ``HEAD_SIZE`` of the
policy's order over all waiting tickets are always among them, so the pure policy decides
exactly as it would over the whole queue; a call tries no more than those."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.core.statements import aware, prepared_rows, statement
from onewindow.hall import states
from onewindow.hall.models import HallSettings, ServiceCategory, Ticket, Window, WindowSession
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


def ordered_waiting(tickets: list[Ticket], now: datetime, policy: queueing.Policy) -> list[Ticket]:
    """Waiting tickets in the order the call-next policy takes them (ignoring the
    every-k interleave, which depends on the window that calls)."""

    def key(t: Ticket):
        cand = candidate_of(t)
        cls = queueing.ticket_class(cand, now, policy)
        when = t.appointment_at if cls == queueing.APPOINTMENT and t.appointment_at else t.issued_at
        return (0 if t.target_window_id else 1, cls, when, t.pk)

    return sorted(tickets, key=key)


def candidate_of(t: Ticket) -> queueing.Candidate:
    return queueing.Candidate(
        id=t.pk,
        category_id=t.queue_id,
        arrival=t.issued_at,
        priority=bool(t.priority_reason),
        appointment_at=t.appointment_at,
        target_window_id=t.target_window_id,
    )


# --- classes of the call policy as filters ---------------------------------------------------


def class_filters(policy: queueing.Policy, now: datetime) -> dict[int, tuple[Q, str]]:
    """Each class of ``queueing.ticket_class`` as a filter on waiting tickets, with the
    field its tickets are ordered by (``queueing`` orders by that, then by id). The
    filters are disjoint and cover every ticket; tests hold them to ``ticket_class``."""
    plain = Q(priority_reason="")
    if policy.aging_minutes:
        cutoff = now - timedelta(minutes=policy.aging_minutes)
        aged, fresh = Q(issued_at__lte=cutoff), Q(issued_at__gt=cutoff)
        priority = ~plain | aged
        plain &= fresh
    else:
        priority = ~plain
    due = now + timedelta(minutes=policy.appointment_lead_minutes)
    return {
        queueing.PRIORITY: (priority, "issued_at"),
        queueing.APPOINTMENT: (plain & Q(appointment_at__lte=due), "appointment_at"),
        queueing.NORMAL: (
            plain & (Q(appointment_at__isnull=True) | Q(appointment_at__gt=due)),
            "issued_at",
        ),
    }


def people_ahead(ticket: Ticket, now: datetime | None = None) -> int | None:
    """How many waiting tickets of its queue come before it; None when not waiting.
    One count in the database: the tickets of a better class, and those of its own class
    that come earlier in that class's order."""
    if ticket.state != states.WAITING:
        return None
    now = clock.now(now)
    policy = policy_for(ticket.center)
    mine = queueing.ticket_class(candidate_of(ticket), now, policy)
    targeted = bool(ticket.target_window_id)

    def build(*, center, day, line, now, at, ticket):
        qs = Ticket.objects.filter(center_id=center, day=day, state=states.WAITING)
        if targeted:
            qs = qs.filter(target_window_id=line)
        else:
            qs = qs.filter(Q(queue_id=line, target_window__isnull=True))
        classes = class_filters(policy, now)
        ahead = Q(pk__in=[])
        for cls, (condition, _) in classes.items():
            if cls < mine:
                ahead |= condition
        condition, field = classes[mine]
        ahead |= condition & (Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": ticket}))
        sql, params = qs.filter(ahead).order_by().values("pk").query.sql_with_params()
        return f"SELECT COUNT(*) FROM ({sql}) ahead", params

    _, field = class_filters(policy, now)[mine]
    sql, params = statement(
        (
            "hall.people_ahead",
            policy.aging_minutes,
            policy.appointment_lead_minutes,
            mine,
            targeted,
        ),
        build,
        center=ticket.center_id,
        day=ticket.day,
        line=ticket.target_window_id or ticket.queue_id,
        now=now,
        at=getattr(ticket, field),
        ticket=ticket.pk,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def in_line(
    ticket: Ticket,
    position: int,
    *,
    now: datetime | None = None,
    policy: queueing.Policy | None = None,
) -> tuple[int, str, str] | None:
    """(id, code, phone) of the waiting ticket with ``position`` others before it in
    ``ticket``'s queue (the tickets not sent to a window by name, in the policy's order,
    as ``ordered_waiting``); None when fewer wait. One statement: the first
    ``position + 1`` of each class of the policy, each an index range scan
    (``ticket_queue_head``, ``ticket_queue_appointment``), never the whole queue."""
    now = clock.now(now)
    policy = policy or policy_for(ticket.center)

    def build(*, center, day, queue, now):
        base = Ticket.objects.filter(
            center_id=center, day=day, state=states.WAITING, queue_id=queue
        ).filter(target_window__isnull=True)
        statements, params = [], []
        for cls, (condition, field) in sorted(class_filters(policy, now).items()):
            part = (
                base.filter(condition)
                .order_by(field, "id")
                .values_list("id", "code", "phone", field)[: position + 1]
            )
            sql, part_params = part.query.sql_with_params()
            statements.append(f"SELECT {int(cls)}, part{cls}.* FROM ({sql}) part{cls}")
            params.extend(part_params)
        return " UNION ALL ".join(statements), params

    sql, params = statement(
        ("hall.in_line", policy.aging_minutes, policy.appointment_lead_minutes, position),
        build,
        center=ticket.center_id,
        day=ticket.day,
        queue=ticket.queue_id,
        now=now,
    )
    rows = prepared_rows(sql, params)
    rows.sort(key=lambda r: (r[0], aware(r[4]), r[1]))
    if len(rows) <= position:
        return None
    _cls, pk, code, phone, _when = rows[position]
    return pk, code, phone


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
    return ordered_waiting(list(qs), now, policy_for(window.center))[:limit]


# --- what a window calls from -------------------------------------------------------------------

HEAD_SIZE = 10
QUEUE_PLACEHOLDER = -(2**62)  # stands for a queue's id in the compiled head subquery
HEAD_COLUMNS = (
    "id",
    "queue_id",
    "issued_at",
    "priority_reason",
    "appointment_at",
    "target_window_id",
)


@dataclass(frozen=True)
class CallContext:
    """What a call-next needs to know before it locks anything."""

    signed_in: bool
    busy: bool
    policy: queueing.Policy
    category_ids: frozenset[int]


def _policy(mode: str | None, k: int | None, aging: int | None) -> queueing.Policy:
    if mode is None:  # the center keeps the default rules (``hall_settings``)
        defaults = HallSettings()
        mode, k, aging = defaults.priority_mode, defaults.priority_k, defaults.aging_minutes
    return queueing.Policy(mode=mode, k=k, aging_minutes=aging)


def call_context(window: Window, clerk) -> CallContext:
    """Whether ``clerk`` is signed in at the window, whether it holds a ticket, the
    center's call policy and the categories it serves: one statement, a row per
    category the window serves (one row with none when it serves none)."""

    def build(*, window, clerk):
        qs = (
            Window.objects.filter(pk=window)
            .annotate(
                signed_in=Exists(
                    WindowSession.objects.filter(
                        window=OuterRef("pk"), clerk=clerk, signed_out_at__isnull=True
                    )
                ),
                busy=Exists(Ticket.objects.filter(window=OuterRef("pk"), state__in=states.HELD)),
            )
            .order_by()
            .values_list(
                "signed_in",
                "busy",
                "center__hall_settings__priority_mode",
                "center__hall_settings__priority_k",
                "center__hall_settings__aging_minutes",
                "categories__id",
            )
        )
        return qs.query.sql_with_params()

    sql, params = statement(("hall.call_context",), build, window=window.pk, clerk=clerk.pk)
    rows = prepared_rows(sql, params)  # prepared once per connection (PostgreSQL)
    if not rows:
        return CallContext(False, False, queueing.Policy(), frozenset())
    signed_in, busy, mode, k, aging, _ = rows[0]
    return CallContext(
        signed_in=bool(signed_in),
        busy=bool(busy),
        policy=_policy(mode, k, aging),
        category_ids=frozenset(row[-1] for row in rows if row[-1] is not None),
    )


def _heads_sql(center, window, day, queues, policy, now, size) -> tuple[str, list]:
    """The heads statement (``queue_heads``) for these values; ``queues`` is one array
    parameter on PostgreSQL."""
    base = Ticket.objects.filter(center_id=center, day=day, state=states.WAITING).order_by()
    parts = [
        base.filter(target_window_id=window).values_list(*HEAD_COLUMNS).query.sql_with_params()
    ]
    lateral = connection.vendor == "postgresql"
    for condition, field in class_filters(policy, now).values():
        queue_ref = RawSQL("queue.id", []) if lateral else QUEUE_PLACEHOLDER
        head = (
            base.filter(condition, queue_id=queue_ref, target_window__isnull=True)
            .order_by(field, "id")
            .values_list(*HEAD_COLUMNS)[:size]
        )
        sql, params = head.query.sql_with_params()
        if lateral:
            parts.append(
                (
                    f"SELECT head.* FROM unnest(%s::bigint[]) AS queue(id) "
                    f"CROSS JOIN LATERAL ({sql}) AS head",
                    (queues, *params),
                )
            )
            continue
        at = list(params).index(QUEUE_PLACEHOLDER)
        for queue_id in queues:
            parts.append((sql, (*params[:at], queue_id, *params[at + 1 :])))
    statements, params = [], []
    for i, (sql, part_params) in enumerate(parts):
        statements.append(f"SELECT * FROM ({sql}) part{i}")
        params.extend(part_params)
    return " UNION ALL ".join(statements), params


def queue_heads(
    window: Window,
    day,
    category_ids: frozenset[int] | set[int],
    policy: queueing.Policy,
    now: datetime,
    size: int = HEAD_SIZE,
) -> list[queueing.Candidate]:
    """The tickets transferred to this window by name, and the first ``size`` of each
    class in each queue it serves, in one statement of index range scans: on PostgreSQL
    each class's subquery runs once per queue through a LATERAL join (planned once);
    SQLite, without LATERAL, takes the subquery repeated per queue under UNION ALL."""
    queues = sorted(category_ids)

    def build(*, center, window, day, now, queues):
        return _heads_sql(center, window, day, queues, policy, now, size)

    sql, params = statement(
        ("hall.heads", policy.aging_minutes, policy.appointment_lead_minutes, size),
        build,
        center=window.center_id,
        window=window.pk,
        day=day,
        now=now,
        queues=queues,
    )
    rows = prepared_rows(sql, params)
    return [
        queueing.Candidate(
            id=pk,
            category_id=queue_id,
            arrival=aware(arrival),
            priority=bool(reason),
            appointment_at=aware(appointment),
            target_window_id=target,
        )
        for pk, queue_id, arrival, reason, appointment, target in rows
    ]
