"""The hall display (R-HALL-3): the public feed a screen polls, cached per version. It
carries ticket codes, window numbers and counts, never a name, phone or identity number.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.core.models import AuditEvent
from onewindow.hall import states
from onewindow.hall.models import Ticket, Window
from onewindow.hall.selectors.queue import call_text, category_waiting, window_label
from onewindow.hall.selectors.rules import (
    day_start,
    display_version_key,
    hall_is_open,
    office_hours_text,
)
from onewindow.org.models import Center

RECENT_CALLS = 8
CALL_ACTIONS = ("ticket.call", "ticket.recall")
FEED_CACHE_SECONDS = 120


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
    events = list(
        AuditEvent.objects.filter(
            center=center,
            action__in=CALL_ACTIONS,
            at__gte=day_start(day),
            at__lt=day_start(day + timedelta(days=1)),
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
    now = clock.now(now)
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
    now = clock.now(now)
    base = {"version": version, "server_time": timezone.localtime(now).strftime("%H:%M:%S")}
    if client_version is not None and str(client_version) == str(version):
        return {**base, "unchanged": True}
    key = f"{display_version_key(center.pk)}:state:{version}:{timezone.localdate(now).isoformat()}"
    state = cache.get(key)
    if state is None:
        state = display_state(center, now)
        cache.set(key, state, FEED_CACHE_SECONDS)
    return {**base, "unchanged": False, "state": state}
