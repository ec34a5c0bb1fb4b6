"""The hall's screens (R-HALL-3, R-HALL-7): the big display, the window console and the
self-service terminal, with the ticket slip and the ticket's own status page.

Thin views: they parse, call a service or a selector, and render. The display, the
terminal, the slip and the status page need no login; the console is for clerks, who
act only on windows of their own center (anything else is "not found").
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.core.errors import Conflict, DomainError, InvalidInput, NotFound
from onewindow.core.links import public_reverse
from onewindow.hall import selectors, services, states
from onewindow.hall.models import ServiceCategory, Ticket, Window

PRIORITY_CHOICES = [
    (Ticket.PriorityReason.ELDERLY, "老年人", "60周岁及以上"),
    (Ticket.PriorityReason.DISABLED, "残疾人", "持残疾人证"),
    (Ticket.PriorityReason.MILITARY, "军人", "现役军人、退役军人及军属"),
    (Ticket.PriorityReason.PREGNANT, "孕妇", "孕期妇女"),
]
PRIORITY_LABELS = {value: label for value, label, _ in PRIORITY_CHOICES}


def clock():
    """The time the screens act at (one place, so tests can move it)."""
    return timezone.now()


def _center_or_404(center_id):
    try:
        return selectors.display_center(center_id)
    except NotFound:
        raise Http404 from None


def _optional_url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _booking_url(center) -> str | None:
    url = _optional_url("hall:book")
    return f"{url}?center={center.pk}" if url else None


# --- the hall display --------------------------------------------------------------------


@require_GET
def display(request, center_id):
    center = _center_or_404(center_id)
    feed = selectors.display_feed(center, None, clock())
    return render(
        request,
        "hall/screens/display.html",
        {
            "center": center,
            "state": feed["state"],
            "feed": feed,
            "feed_url": reverse("hall:display_feed", args=[center.pk]),
        },
    )


@never_cache
@require_GET
def display_feed(request, center_id):
    center = _center_or_404(center_id)
    version = request.GET.get("v")
    return JsonResponse(
        selectors.display_feed(center, version, clock()), json_dumps_params={"ensure_ascii": False}
    )


# --- the window console --------------------------------------------------------------------


def _duration(seconds) -> str:
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    minutes, sec = divmod(seconds, 60)
    if minutes >= 60:
        return f"{minutes // 60}小时{minutes % 60}分"
    return f"{minutes}分{sec:02d}秒" if minutes else f"{sec}秒"


@login_required
@require_GET
def console(request):
    user = request.user
    center_id = selectors.clerk_center_id(user)
    if center_id is None:
        return render(request, "hall/screens/console_none.html", status=403)
    session = selectors.clerk_session(user)
    now = clock()
    if session is None or session.window.center_id != center_id:
        return render(
            request,
            "hall/screens/console_sign_in.html",
            {
                "windows": selectors.windows_of_center(center_id),
            },
        )
    window = session.window
    ticket = selectors.held_ticket(window)
    undo_left = None
    undo_seconds = services.hall_settings(window.center).undo_seconds
    if (
        ticket is not None
        and ticket.state == states.CALLED
        and not ticket.recall_count
        and ticket.called_at
    ):
        left = undo_seconds - (now - ticket.called_at).total_seconds()
        undo_left = int(left) if left > 0 else None
    waiting = selectors.window_waiting(window, now)
    for t in waiting:
        t.waited = _duration((now - t.issued_at).total_seconds())
    current = None
    if ticket is not None:
        history = selectors.ticket_history(ticket)
        current = {
            "history": history,
            "transfer": selectors.transfer_note(history),
            "ticket": ticket,
            "waited": _duration(ticket.wait_seconds),
            "since_call": _duration((now - ticket.called_at).total_seconds())
            if ticket.called_at
            else "—",
            "call_text": selectors.call_text(
                ticket.code, window.number, recall=bool(ticket.recall_count)
            ),
            "transferred_from": ticket.category if ticket.queue_id != ticket.category_id else None,
        }
    categories = ServiceCategory.objects.filter(center_id=center_id, is_active=True)
    other_windows = Window.objects.filter(center_id=center_id, is_active=True).exclude(pk=window.pk)
    return render(
        request,
        "hall/screens/console.html",
        {
            "window": window,
            "session": session,
            "current": current,
            "undo_left": undo_left,
            "undo_seconds": undo_seconds,
            "waiting": waiting,
            "counts": selectors.day_counts(window, now),
            "categories": categories,
            "other_windows": other_windows,
            "window_categories": window.categories.all(),
            "feed_url": reverse("hall:display_feed", args=[center_id]),
            "display_url": reverse("hall:display", args=[center_id]),
        },
    )


def _posted_ticket(request, window: Window) -> Ticket:
    raw = request.POST.get("ticket")
    if raw:
        return selectors.ticket_at_center(window.center_id, raw)
    held = selectors.held_ticket(window)
    if held is None:
        raise Conflict("window.empty", "本窗口当前没有号。")
    return held


def _transfer_target(request, window: Window) -> dict:
    raw = (request.POST.get("target") or "").strip()
    kind, _, pk = raw.partition(":")
    if kind == "c" and pk.isdigit():
        category = ServiceCategory.objects.filter(pk=int(pk), center_id=window.center_id).first()
        if category is not None:
            return {"to_category": category}
    if kind == "w" and pk.isdigit():
        target = Window.objects.filter(pk=int(pk), center_id=window.center_id).first()
        if target is not None:
            return {"to_window": target}
    raise InvalidInput("ticket.transfer_target", "请选择转入的业务类别或窗口。")


def _act(request, window: Window, action: str) -> tuple[str, str]:
    """Run one console action; returns (level, Chinese message)."""
    user, now = request.user, clock()
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
    ticket = _posted_ticket(request, window)
    if action == "recall":
        ticket = services.ticket_recall(actor=user, window=window, ticket=ticket, now=now)
        if ticket.state == states.NO_SHOW:
            return "warning", f"{ticket.code}重呼次数已达上限，已自动记为过号。"
        return "success", "已重呼：" + selectors.call_text(ticket.code, window.number, recall=True)
    if action == "start":
        services.ticket_start(actor=user, window=window, ticket=ticket, now=now)
        return "success", f"{ticket.code}开始办理。"
    if action == "skip":
        services.ticket_skip(actor=user, window=window, ticket=ticket, now=now)
        return "success", f"{ticket.code}已记为过号。"
    if action == "undo":
        services.ticket_undo(actor=user, window=window, ticket=ticket, now=now)
        return "success", f"已撤销叫号，{ticket.code}回到原排队位置。"
    if action == "transfer":
        target = _transfer_target(request, window)
        services.ticket_transfer(
            actor=user,
            window=window,
            ticket=ticket,
            note=(request.POST.get("note") or "")[:200],
            now=now,
            **target,
        )
        where = target.get("to_category") or target.get("to_window")
        return "success", f"{ticket.code}已转到{where}。"
    if action == "finish":
        case_ref = (request.POST.get("case_ref") or "").strip()[:40]
        services.ticket_finish(actor=user, window=window, ticket=ticket, case_ref=case_ref, now=now)
        return "success", f"{ticket.code}已办结。"
    raise InvalidInput("console.action", "不支持的操作。")


@login_required
@require_POST
def console_action(request, window_id):
    try:
        window = selectors.window_for_clerk(request.user, window_id)
        level, text = _act(request, window, (request.POST.get("action") or "").strip())
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        level, text = "error", exc.message
    getattr(messages, level)(request, text)
    return redirect("hall:console")


# --- the self-service terminal ---------------------------------------------------------------


def _matter_results(center, query: str, open_now: bool) -> list[dict]:
    from onewindow.catalog.search import search_matters

    hits = search_matters(query, center=center, limit=8).hits
    ids = [h.matter.pk for h in hits]
    serving: dict[int, list[ServiceCategory]] = {}
    categories = ServiceCategory.objects.filter(center=center, is_active=True, matters__in=ids)
    if not open_now:
        categories = categories.filter(needs_clerk=False)
    through = ServiceCategory.matters.through.objects.filter(
        matter_id__in=ids, servicecategory__in=categories
    ).select_related("servicecategory")
    for row in through:
        serving.setdefault(row.matter_id, []).append(row.servicecategory)
    return [
        {
            "matter": h.matter,
            "categories": sorted(serving.get(h.matter.pk, []), key=lambda c: (c.order, c.letter)),
        }
        for h in hits
    ]


def _booking_qr(request, center) -> str | None:
    """The web booking page as a QR code for the visitor's phone: the terminal itself
    never opens the website (R-HALL-7)."""
    url = _booking_url(center)
    if url is None:
        return None
    return segno.make(request.build_absolute_uri(url), error="m").svg_inline(
        border=2, omitsize=True, title="扫码在手机上预约"
    )


def _terminal_context(request, center, now, **extra) -> dict:
    open_now = selectors.hall_is_open(center, now)
    counts = selectors.waiting_counts(center, timezone.localdate(now))
    categories = selectors.terminal_categories(center, open_now=open_now)
    for c in categories:
        c.waiting = counts.get(c.pk, 0)
    return {
        "center": center,
        "open_now": open_now,
        "categories": categories,
        "hours": selectors.office_hours_text(center),
        "booking_qr": _booking_qr(request, center),
        "now": timezone.localtime(now),
        **extra,
    }


@require_GET
def terminal(request, center_id):
    center = _center_or_404(center_id)
    now = clock()
    query = (request.GET.get("q") or "").strip()[:50]
    context = _terminal_context(request, center, now, query=query)
    if query:
        context["results"] = _matter_results(center, query, context["open_now"])
    return render(request, "hall/screens/terminal.html", context)


def _terminal_category(center, category_id) -> ServiceCategory:
    category = ServiceCategory.objects.filter(pk=category_id, center=center, is_active=True).first()
    if category is None:
        raise Http404
    return category


@require_http_methods(["GET", "POST"])
def terminal_take(request, center_id, category_id):
    center = _center_or_404(center_id)
    category = _terminal_category(center, category_id)
    now = clock()
    reason = (request.POST.get("priority") or "") if request.method == "POST" else ""
    phone = (request.POST.get("phone") or "").strip()[:20] if request.method == "POST" else ""
    context = {
        "center": center,
        "category": category,
        "choices": PRIORITY_CHOICES,
        "priority": reason,
        "priority_label": PRIORITY_LABELS.get(reason, ""),
        "phone": phone,
        "open_now": selectors.hall_is_open(center, now),
    }
    if request.method == "GET":
        return render(request, "hall/screens/terminal_take.html", context)
    if reason and reason not in PRIORITY_LABELS:
        context.update(priority="", error="请选择正确的绿色通道类型。")
        return render(request, "hall/screens/terminal_take.html", context, status=422)
    if reason and request.POST.get("confirm_priority") != "1":
        return render(request, "hall/screens/terminal_take.html", {**context, "confirming": True})
    try:
        ticket = services.ticket_issue(
            center=center,
            category=category,
            channel=Ticket.Channel.TERMINAL,
            priority_reason=reason,
            phone=phone,
            now=now,
        )
    except Conflict as exc:
        if exc.code == "ticket.closed":
            return render(
                request,
                "hall/screens/terminal.html",
                _terminal_context(request, center, now, closed_message=exc.message),
                status=409,
            )
        context["error"] = exc.message
        return render(request, "hall/screens/terminal_take.html", context, status=409)
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "hall/screens/terminal_take.html", context, status=exc.status)
    return redirect(reverse("hall:slip", args=[selectors.ticket_token(ticket)]) + "?auto=1")


@require_http_methods(["GET", "POST"])
def terminal_checkin(request, center_id):
    center = _center_or_404(center_id)
    code = (request.POST.get("code") or "").strip()[:20] if request.method == "POST" else ""
    context = {"center": center, "code": code}
    if request.method == "POST":
        if not code:
            context["error"] = "请输入预约码。"
            return render(request, "hall/screens/terminal_checkin.html", context, status=422)
        try:
            from onewindow.hall.appointments import appointment_check_in, appointment_get_by_code
        except ImportError:
            context["error"] = "预约签到暂不可用，请到服务台办理。"
            return render(request, "hall/screens/terminal_checkin.html", context, status=503)
        try:
            booked = appointment_get_by_code(code)
            if booked.center_id != center.pk:
                raise Conflict(
                    "appointment.other_center", f"该预约在{booked.center.name}，请到该中心签到。"
                )
            ticket = appointment_check_in(code=code, now=clock())
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "hall/screens/terminal_checkin.html", context, status=exc.status)
        return redirect(reverse("hall:slip", args=[selectors.ticket_token(ticket)]) + "?auto=1")
    return render(request, "hall/screens/terminal_checkin.html", context)


# --- the slip and the ticket's page ------------------------------------------------------------


def _ticket_or_404(token):
    try:
        return selectors.ticket_by_token(token)
    except NotFound:
        raise Http404 from None


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=2, title="扫码查看排队进度")


@require_GET
def slip(request, token):
    ticket = _ticket_or_404(token)
    status_url = public_reverse("hall:ticket_status", request=request, args=[token])
    return render(
        request,
        "hall/screens/slip.html",
        {
            "ticket": ticket,
            "center": ticket.center,
            "ahead": selectors.people_ahead(ticket, clock()),
            "qr_svg": _qr_svg(status_url),
            "status_url": status_url,
            "auto": request.GET.get("auto") == "1",
            "grace": services.hall_settings(ticket.center).grace_minutes,
            "priority_label": PRIORITY_LABELS.get(
                ticket.priority_reason, ticket.get_priority_reason_display()
            ),
            "terminal_url": reverse("hall:terminal", args=[ticket.center_id]),
        },
    )


@require_http_methods(["GET", "POST"])
def ticket_status(request, token):
    ticket = _ticket_or_404(token)
    now = clock()
    if request.method == "POST":
        try:
            services.ticket_return(ticket=ticket, now=now)
            messages.success(request, f"{ticket.code}已重新排队，请留意叫号。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("hall:ticket_status", token=token)
    grace = services.hall_settings(ticket.center).grace_minutes
    may_return = (
        ticket.state == states.NO_SHOW
        and ticket.no_show_at is not None
        and (now - ticket.no_show_at).total_seconds() <= grace * 60
    )
    called_text = None
    if ticket.state in states.HELD and ticket.window is not None:
        called_text = selectors.call_text(ticket.code, ticket.window.number)
    return render(
        request,
        "hall/screens/ticket_status.html",
        {
            "ticket": ticket,
            "center": ticket.center,
            "ahead": selectors.people_ahead(ticket, now),
            "may_return": may_return,
            "grace": grace,
            "called_text": called_text,
        },
    )
