"""A ticket on the citizen's side (R-HALL-2, R-HALL-7): taken on the portal (网上取号:
pick a center and a category on the phone), its slip with the QR code, and its status
page, where a no-show within the grace time goes back into the queue."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.core import clock
from onewindow.core.links import public_reverse
from onewindow.core.middleware import client_ip
from onewindow.core.pages import attempt, back_to
from onewindow.hall import selectors, services, states
from onewindow.hall.appointments import selectors as appt_selectors
from onewindow.portal.views.hall.terminal import PRIORITY_LABELS

QUEUE = "hall/portal/queue.html"


def _take_online(request, center, context: dict):
    category = appt_selectors.find_public_category(center, request.POST.get("category"))
    if category is None:
        context["error"] = appt_selectors.CATEGORY_NOT_FOUND
        return render(request, QUEUE, context, status=404)
    outcome = attempt(
        services.ticket_issue_online,
        center=center,
        category=category,
        phone=context["phone"],
        client_key=f"ip:{client_ip(request) or '-'}",
    )
    if not outcome.ok:
        context["error"] = outcome.error.message
        return render(request, QUEUE, context, status=outcome.error.status)
    return redirect(reverse("portal:ticket_status", args=[selectors.ticket_token(outcome.value)]))


def queue(request):
    raw = request.GET.get("center") or request.POST.get("center")
    center = appt_selectors.public_center(raw) if raw else None
    context = {"centers": appt_selectors.public_centers().order_by("region__path"), "phone": ""}
    context["center"] = center
    if center is not None:
        context["categories"] = selectors.queue_categories(center, timezone.localdate())
    if request.method == "POST" and center is not None:
        context["phone"] = (request.POST.get("phone") or "").strip()[:20]
        return _take_online(request, center, context)
    return render(request, QUEUE, context)


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=2, title="扫码查看排队进度")


@require_GET
def slip(request, token):
    ticket = selectors.ticket_by_token(token)
    status_url = public_reverse("portal:ticket_status", request=request, args=[token])
    return render(
        request,
        "hall/screens/slip.html",
        {
            "ticket": ticket,
            "center": ticket.center,
            "ahead": selectors.people_ahead(ticket, clock.now()),
            "qr_svg": _qr_svg(status_url),
            "status_url": status_url,
            "auto": request.GET.get("auto") == "1",
            "grace": selectors.hall_settings(ticket.center).grace_minutes,
            "priority_label": PRIORITY_LABELS.get(
                ticket.priority_reason, ticket.get_priority_reason_display()
            ),
            "terminal_url": reverse("portal:terminal", args=[ticket.center_id]),
        },
    )


@require_http_methods(["GET", "POST"])
def ticket_status(request, token):
    ticket = selectors.ticket_by_token(token)
    now = clock.now()
    if request.method == "POST":
        back_to(request, reverse("portal:ticket_status", args=[token]))
        services.ticket_return(ticket=ticket, now=now)
        messages.success(request, f"{ticket.code}已重新排队，请留意叫号。")
        return redirect("portal:ticket_status", token=token)
    grace = selectors.hall_settings(ticket.center).grace_minutes
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
            **ticket_flags(ticket),
        },
    )


def ticket_flags(ticket) -> dict:
    """What the status page shows, from the ticket's life cycle (hall/states.py)."""
    return {
        "is_waiting": ticket.state == states.WAITING,
        "is_held": ticket.state in states.HELD,
        "is_called": ticket.state == states.CALLED,
        "is_serving": ticket.state == states.SERVING,
        "is_done": ticket.state == states.DONE,
        "is_no_show": ticket.state == states.NO_SHOW,
        "is_cancelled": ticket.state == states.CANCELLED,
    }
