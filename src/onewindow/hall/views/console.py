"""The window console (R-HALL-2, R-HALL-3): a clerk signs in at a window and calls,
recalls, starts, skips, undoes, transfers and finishes tickets. Clerks act only on
windows of their own center (anything else is "not found"); a refused action comes back
to the console with its reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.pages import back_to
from onewindow.hall import selectors, services, states
from onewindow.hall.models import Ticket, Window


def _duration(seconds) -> str:
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    minutes, sec = divmod(seconds, 60)
    if minutes >= 60:
        return f"{minutes // 60}小时{minutes % 60}分"
    return f"{minutes}分{sec:02d}秒" if minutes else f"{sec}秒"


def _undo_left(ticket, undo_seconds: int, now) -> int | None:
    """Seconds left to undo a call just made (None when it cannot be undone)."""
    if ticket is None or ticket.state != states.CALLED or ticket.recall_count:
        return None
    if not ticket.called_at:
        return None
    left = undo_seconds - (now - ticket.called_at).total_seconds()
    return int(left) if left > 0 else None


def _current(ticket, window: Window, now) -> dict | None:
    """The ticket the window holds, as the console shows it."""
    if ticket is None:
        return None
    history = selectors.ticket_history(ticket)
    return {
        "history": history,
        "transfer": selectors.transfer_note(history),
        "ticket": ticket,
        "is_called": ticket.state == states.CALLED,
        "is_serving": ticket.state == states.SERVING,
        "waited": _duration(ticket.wait_seconds),
        "since_call": _duration((now - ticket.called_at).total_seconds())
        if ticket.called_at
        else "—",
        "call_text": selectors.call_text(
            ticket.code, window.number, recall=bool(ticket.recall_count)
        ),
        "transferred_from": ticket.category if ticket.queue_id != ticket.category_id else None,
    }


def _console_page(request, session, now):
    window = session.window
    ticket = selectors.held_ticket(window)
    undo_seconds = selectors.hall_settings(window.center).undo_seconds
    waiting = selectors.window_waiting(window, now)
    for t in waiting:
        t.waited = _duration((now - t.issued_at).total_seconds())
    context = {
        "window": window,
        "session": session,
        "current": _current(ticket, window, now),
        "undo_left": _undo_left(ticket, undo_seconds, now),
        "undo_seconds": undo_seconds,
        "waiting": waiting,
        "counts": selectors.day_counts(window, now),
        **selectors.console_targets(window),
        "window_categories": window.categories.all(),
        "feed_url": reverse("hall:display_feed", args=[window.center_id]),
        "display_url": reverse("hall:display", args=[window.center_id]),
    }
    return render(request, "hall/screens/console.html", context)


@login_required
@require_GET
def console(request):
    center_id = selectors.clerk_center_id(request.user)
    if center_id is None:
        return render(request, "hall/screens/console_none.html", status=403)
    session = selectors.clerk_session(request.user)
    if session is None or session.window.center_id != center_id:
        windows = selectors.windows_of_center(center_id)
        return render(request, "hall/screens/console_sign_in.html", {"windows": windows})
    return _console_page(request, session, clock.now())


def _posted_ticket(request, window: Window) -> Ticket:
    raw = request.POST.get("ticket")
    if raw:
        return selectors.ticket_at_center(window.center_id, raw)
    held = selectors.held_ticket(window)
    if held is None:
        raise Conflict("window.empty", "本窗口当前没有号。")
    return held


def _act_on_window(request, window: Window, action: str) -> tuple[str, str] | None:
    """The actions that need no ticket: sign in, sign out, call."""
    user, now = request.user, clock.now()
    if action == "sign_in":
        services.window_sign_in(actor=user, window=window)
        return "success", f"已在{window}签到。"
    if action == "sign_out":
        services.window_sign_out(actor=user, window=window)
        return "success", f"已从{window}签退。"
    if action == "call_next":
        ticket = services.ticket_call_next(actor=user, window=window, now=now)
        if ticket is None:
            return "info", "当前没有等候本窗口的号。"
        return "success", "已叫号：" + selectors.call_text(ticket.code, window.number)
    if action == "call":
        ticket = services.ticket_call(
            actor=user, window=window, ticket=_posted_ticket(request, window), now=now
        )
        return "success", "已叫号：" + selectors.call_text(ticket.code, window.number)
    return None


def _transfer(request, window: Window, ticket: Ticket, now) -> tuple[str, str]:
    target = selectors.transfer_target(window, request.POST.get("target") or "")
    services.ticket_transfer(
        actor=request.user,
        window=window,
        ticket=ticket,
        note=(request.POST.get("note") or "")[:200],
        now=now,
        **target,
    )
    where = target.get("to_category") or target.get("to_window")
    return "success", f"{ticket.code}已转到{where}。"


def _act_on_ticket(request, window: Window, action: str) -> tuple[str, str]:
    """The actions on the ticket the window holds (or the one posted)."""
    user, now = request.user, clock.now()
    ticket = _posted_ticket(request, window)
    done = {"actor": user, "window": window, "ticket": ticket, "now": now}
    if action == "recall":
        ticket = services.ticket_recall(**done)
        if ticket.state == states.NO_SHOW:
            return "warning", f"{ticket.code}重呼次数已达上限，已自动记为过号。"
        return "success", "已重呼：" + selectors.call_text(ticket.code, window.number, recall=True)
    if action == "start":
        services.ticket_start(**done)
        return "success", f"{ticket.code}开始办理。"
    if action == "skip":
        services.ticket_skip(**done)
        return "success", f"{ticket.code}已记为过号。"
    if action == "undo":
        services.ticket_undo(**done)
        return "success", f"已撤销叫号，{ticket.code}回到原排队位置。"
    if action == "transfer":
        return _transfer(request, window, ticket, now)
    if action == "finish":
        case_ref = (request.POST.get("case_ref") or "").strip()[:40]
        services.ticket_finish(**done, case_ref=case_ref)
        return "success", f"{ticket.code}已办结。"
    raise InvalidInput("console.action", "不支持的操作。")


@login_required
@require_POST
def console_action(request, window_id):
    back_to(request, reverse("hall:console"))
    window = selectors.window_for_clerk(request.user, window_id)
    action = (request.POST.get("action") or "").strip()
    level, text = _act_on_window(request, window, action) or _act_on_ticket(request, window, action)
    getattr(messages, level)(request, text)
    return redirect("hall:console")
