"""Reads of the hall that screens, the API and reports share: the display feed, a window's
waiting list and day counts, a ticket's place in the queue, ticket tokens.

The display feed is public (R-HALL-3): it carries ticket codes, window numbers and
counts, never a name, phone or identity number.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from onewindow.core.errors import NotFound
from onewindow.hall import hours, schedule, states
from onewindow.hall.models import ServiceCategory, Ticket, Window, WindowSession
from onewindow.hall.services import display_version_key, policy_for
from onewindow.org.models import Center
from onewindow.planning import queueing

RECENT_CALLS = 8
CALL_ACTIONS = ("ticket.call", "ticket.recall")
FEED_CACHE_SECONDS = 120
TOKEN_SALT = "onewindow.hall.ticket"


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


# --- office hours ------------------------------------------------------------------------


def hall_is_open(center: Center, now: datetime) -> bool:
    """Whether tickets for categories that need a clerk are issued now (the rule the
    services apply when issuing, from the center's schedule; they remain the guard)."""
    if not getattr(settings, "ONEWINDOW_HALL_ENFORCE_HOURS", True):
        return True
    return hours.is_open(center, now)


def office_hours_text(center: Center) -> str:
    """The center's opening hours in words, from its schedule (the terminal adds that
    holidays are closed)."""
    lines = hours.hours_lines(center)
    return "；".join(line for line in lines if line != schedule.HOLIDAY_LINE)


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
    now = now or timezone.now()
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
    now = now or timezone.now()
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


# --- windows and clerks ------------------------------------------------------------------


def clerk_center_id(user) -> int | None:
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.active:
        return None
    return profile.center_id


def clerk_session(user) -> WindowSession | None:
    return (
        WindowSession.objects.filter(clerk=user, signed_out_at__isnull=True)
        .select_related("window", "window__center")
        .first()
    )


def window_for_clerk(user, window_id) -> Window:
    """A window of the clerk's own center; NotFound for any other (R-NET-3)."""
    center_id = clerk_center_id(user)
    try:
        window_id = int(window_id)
    except (TypeError, ValueError):
        raise NotFound("window.not_found", "未找到该窗口。") from None
    window = (
        Window.objects.select_related("center").filter(pk=window_id, center_id=center_id).first()
        if center_id
        else None
    )
    if window is None:
        raise NotFound("window.not_found", "未找到该窗口。")
    return window


def ticket_at_center(center_id: int, ticket_id) -> Ticket:
    try:
        ticket_id = int(ticket_id)
    except (TypeError, ValueError):
        raise NotFound("ticket.not_found", "未找到该号。") from None
    ticket = Ticket.objects.filter(pk=ticket_id, center_id=center_id).first()
    if ticket is None:
        raise NotFound("ticket.not_found", "未找到该号。")
    return ticket


def ticket_of_today(center: Center, code: str, now: datetime | None = None) -> Ticket:
    """Today's ticket of a center by the number printed on its slip (E001), for the
    terminal's reprint and review; NotFound for anything else."""
    code = (code or "").strip().upper()[:8]
    day = timezone.localdate(now or timezone.now())
    ticket = (
        Ticket.objects.select_related("center", "category", "queue", "served_window")
        .filter(center=center, day=day, code=code)
        .order_by("-pk")
        .first()
        if code
        else None
    )
    if ticket is None:
        raise NotFound("ticket.not_found", "未找到今天的这个号，请核对小票上的号码。")
    return ticket


def windows_of_center(center_id: int) -> list[dict]:
    sessions = {
        s.window_id: s
        for s in WindowSession.objects.filter(
            window__center_id=center_id, signed_out_at__isnull=True
        ).select_related("clerk")
    }
    return [
        {"window": w, "session": sessions.get(w.pk)}
        for w in Window.objects.filter(center_id=center_id, is_active=True).prefetch_related(
            "categories"
        )
    ]


def held_ticket(window: Window) -> Ticket | None:
    return (
        Ticket.objects.filter(window=window, state__in=states.HELD)
        .select_related("category", "queue", "appointment")
        .first()
    )


HISTORY_LABELS = {"issue": "取号", "link_case": "关联办件"} | {
    action: t.label for action, t in states.TRANSITIONS.items()
}


def _person(user, fallback: str) -> str:
    if user is None:
        return fallback or "系统"
    profile = getattr(user, "staff_profile", None)
    staff_no = getattr(profile, "staff_no", "") if profile is not None else ""
    name = user.full_name or "工作人员"
    return f"{name}（{staff_no}）" if staff_no else name


def ticket_history(ticket: Ticket) -> list[dict]:
    """The ticket's steps in order, from the audit trail its services write: who did
    what at which window, with the note a clerk typed (a transfer's reason travels with
    the ticket this way to the window that calls it next)."""
    from onewindow.core.models import AuditEvent

    events = (
        AuditEvent.objects.filter(target_type="hall.ticket", target_id=str(ticket.pk))
        .select_related("actor", "actor__staff_profile")
        .order_by("at", "id")
    )
    steps = []
    for e in events:
        action = e.action.removeprefix("ticket.")
        after = e.after or {}
        before = (e.before or {}).get("from") or after.get("from") or {}
        where = ""
        if action == "transfer":
            target = (
                window_label(after["to_window"])
                if after.get("to_window")
                else f"{after.get('to_category') or ''}类业务"
            )
            source = window_label(before["window"]) if before.get("window") else ""
            where = f"{source}转到{target}" if source else f"转到{target}"
        elif after.get("window"):
            where = window_label(after["window"])
        steps.append(
            {
                "action": action,
                "label": HISTORY_LABELS.get(action, action),
                "at": e.at,
                "by": _person(e.actor, "" if e.actor_id else "办事群众"),
                "where": where,
                "note": e.note,
            }
        )
    return steps


def transfer_note(history: list[dict]) -> dict | None:
    """The last transfer of the ticket, if any, with the note typed with it."""
    return next((s for s in reversed(history) if s["action"] == "transfer"), None)


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def day_counts(window: Window, now: datetime | None = None) -> dict:
    """Today's figures of one window and of its center."""
    from onewindow.core.models import AuditEvent

    now = now or timezone.now()
    day = timezone.localdate(now)
    done = Ticket.objects.filter(center_id=window.center_id, day=day, state=states.DONE)
    mine = done.filter(served_window=window).aggregate(
        n=Count("pk"), wait=Avg("wait_seconds"), service=Avg("service_seconds")
    )
    skipped = AuditEvent.objects.filter(
        center_id=window.center_id,
        action="ticket.skip",
        at__gte=_day_start(day),
        after__window=window.number,
    ).count()
    center = Ticket.objects.filter(center_id=window.center_id, day=day).aggregate(
        issued=Count("pk"),
        waiting=Count("pk", filter=Q(state=states.WAITING)),
        done=Count("pk", filter=Q(state=states.DONE)),
        no_show=Count("pk", filter=Q(state=states.NO_SHOW)),
    )
    return {
        "served": mine["n"],
        "no_shows": skipped,
        "avg_wait": _minutes(mine["wait"]),
        "avg_service": _minutes(mine["service"]),
        "center": center,
    }


def _minutes(seconds) -> str:
    if seconds is None:
        return "—"
    return f"{seconds / 60:.1f}分钟"


# --- the hall display --------------------------------------------------------------------


def display_version(center_id: int) -> int:
    """The center's display version. A lost cache starts from the clock, so a screen
    never mistakes a new counter for the one it has seen."""
    key = display_version_key(center_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, int(time.time() * 1000), None)
        version = cache.get(key) or 0
    return int(version)


def display_center(center_id) -> Center:
    try:
        center_id = int(center_id)
    except (TypeError, ValueError):
        raise NotFound("center.not_found", "未找到该服务中心。") from None
    center = Center.objects.filter(pk=center_id, is_active=True).first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    return center


def recent_calls(center: Center, day, limit: int = RECENT_CALLS) -> list[dict]:
    """The latest call and recall events of the day, newest first. The audit id is the
    event id: a screen announces each id once."""
    from onewindow.core.models import AuditEvent

    events = list(
        AuditEvent.objects.filter(
            center=center,
            action__in=CALL_ACTIONS,
            at__gte=_day_start(day),
            at__lt=_day_start(day + timedelta(days=1)),
        )
        .order_by("-id")
        .values("id", "action", "target_id", "target_label", "after", "at")[:limit]
    )
    names = dict(Window.objects.filter(center=center).values_list("number", "name"))
    calls = []
    for e in events:
        number = (e["after"] or {}).get("window")
        if number is None:
            continue
        recall = e["action"] == "ticket.recall"
        calls.append(
            {
                "id": e["id"],
                "ticket": int(e["target_id"]) if str(e["target_id"]).isdigit() else None,
                "code": e["target_label"],
                "window": number,
                "window_label": window_label(number),
                "window_name": names.get(number, ""),
                "recall": recall,
                "text": call_text(e["target_label"], number, recall=recall),
                "at": timezone.localtime(e["at"]).strftime("%H:%M"),
            }
        )
    return calls


def calling_now(center: Center, calls: list[dict]) -> dict | None:
    """The newest call whose ticket is still being called at that window. A ticket the
    window has started serving, finished, skipped, transferred or undone is no longer
    "正在呼叫", even before the next call."""
    ids = [c["ticket"] for c in calls if c["ticket"] is not None]
    still_called = {
        (pk, number)
        for pk, number in Ticket.objects.filter(
            center=center, pk__in=ids, state=states.CALLED
        ).values_list("pk", "window__number")
    }
    return next((c for c in calls if (c["ticket"], c["window"]) in still_called), None)


def display_state(center: Center, now: datetime | None = None) -> dict:
    """Everything the hall display shows, as plain data (JSON-ready)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    calls = recent_calls(center, day)
    latest = calling_now(center, calls)
    for call in calls:  # the public feed carries codes and windows, not record ids
        call.pop("ticket", None)
    categories = category_waiting(center, day)
    return {
        "center": center.name,
        "day": day.isoformat(),
        "latest": latest,
        "calls": calls,
        "categories": categories,
        "waiting_total": sum(c["waiting"] for c in categories),
        "open": hall_is_open(center, now),
        "hours": office_hours_text(center),
    }


def display_feed(center: Center, client_version: str | None, now: datetime | None = None) -> dict:
    """The feed a display polls: a tiny "unchanged" when it already has this version,
    else the whole state (cached per version, so many screens cost one build)."""
    version = display_version(center.pk)
    now = now or timezone.now()
    base = {"version": version, "server_time": timezone.localtime(now).strftime("%H:%M:%S")}
    if client_version is not None and str(client_version) == str(version):
        return {**base, "unchanged": True}
    key = f"{display_version_key(center.pk)}:state:{version}:{timezone.localdate(now).isoformat()}"
    state = cache.get(key)
    if state is None:
        state = display_state(center, now)
        cache.set(key, state, FEED_CACHE_SECONDS)
    return {**base, "unchanged": False, "state": state}
