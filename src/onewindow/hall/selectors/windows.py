"""Reads of windows and the people at them: who is signed in where, what a window
holds, a ticket's steps, a window's figures of the day, and what a clerk may take in."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Avg, Count, Q
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.core.models import AuditEvent
from onewindow.hall import states
from onewindow.hall.models import Authorization, Ticket, Window, WindowSession
from onewindow.hall.selectors.queue import window_label
from onewindow.hall.selectors.rules import day_start


def open_session(window: Window) -> WindowSession | None:
    return (
        WindowSession.objects.filter(window=window, signed_out_at__isnull=True)
        .select_related("clerk")
        .first()
    )


def authorized(clerk, matter: Matter, *, decide: bool = False) -> bool:
    qs = Authorization.objects.filter(clerk=clerk, matter=matter, may_accept=True)
    if decide:
        qs = qs.filter(may_decide=True)
    return qs.exists()


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


def day_counts(window: Window, now: datetime | None = None) -> dict:
    """Today's figures of one window and of its center."""
    now = clock.now(now)
    day = timezone.localdate(now)
    done = Ticket.objects.filter(center_id=window.center_id, day=day, state=states.DONE)
    mine = done.filter(served_window=window).aggregate(
        n=Count("pk"), wait=Avg("wait_seconds"), service=Avg("service_seconds")
    )
    skipped = AuditEvent.objects.filter(
        center_id=window.center_id,
        action="ticket.skip",
        at__gte=day_start(day),
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
