"""The self-service terminal (R-HALL-7, R-CAT-9): take a ticket (with the green channel),
check in a booking, search and print a guide, print a slip again. Every page stays in the
terminal's layout (kiosk_base.html) with a way home and no link out of the terminal; none
needs a login.

The guide comes from the catalog's public selectors and search: the same published
version the web, phones and the hall show. Progress, complaints and reviews belong to
later apps; their terminal pages answer under the same ``/hall/terminal/<center>/``
addresses.
"""

from __future__ import annotations

import segno
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.catalog.search import search_matters
from onewindow.catalog.selectors import guide_context
from onewindow.core import idnumber
from onewindow.core.pages import attempt
from onewindow.hall import appointments as appt
from onewindow.hall import selectors, services, states
from onewindow.hall.appointments import selectors as appt_selectors
from onewindow.hall.models import Ticket
from onewindow.portal.views.hall import devices

PRIORITY_CHOICES = [
    (Ticket.PriorityReason.ELDERLY, "老年人", "60周岁及以上"),
    (Ticket.PriorityReason.DISABLED, "残疾人", "持残疾人证"),
    (Ticket.PriorityReason.MILITARY, "军人", "现役军人、退役军人及军属"),
    (Ticket.PriorityReason.PREGNANT, "孕妇", "孕期妇女"),
]
PRIORITY_LABELS = {value: label for value, label, _ in PRIORITY_CHOICES}
GUIDE_HITS = 10
REPRINTABLE = states.OPEN | {states.NO_SHOW}
TAKE = "hall/screens/terminal_take.html"
CHECKIN = "hall/screens/terminal_checkin.html"
NO_BOOKING_FOR_CARD = "今天在本中心没有用该身份证预约的业务，请输入预约码或现场取号。"


def clock():
    """The time the terminal acts at (one place, so tests can move it)."""
    return timezone.now()


def slip_url(ticket: Ticket) -> str:
    """The slip of a ticket, printing itself on arrival."""
    return reverse("portal:slip", args=[selectors.ticket_token(ticket)]) + "?auto=1"


def _query(request) -> str:
    return (request.GET.get("q") or "").strip()[:50]


def _booking_qr(request, center) -> str | None:
    """The web booking page as a QR code for the visitor's phone: the terminal itself
    never opens the website (R-HALL-7)."""
    try:
        url = f"{reverse('portal:book')}?center={center.pk}"
    except NoReverseMatch:
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
@devices.terminal_page
def terminal(request, center_id):
    center = selectors.display_center(center_id)
    now = clock()
    query = _query(request)
    context = _terminal_context(
        request, center, now, query=query, device_url=devices.device_service_url()
    )
    if query:
        context["results"] = selectors.terminal_matters(center, query, context["open_now"])
    return devices.allow_device_service(render(request, "hall/screens/terminal.html", context))


def _issue(request, center, category, context: dict, now):
    """Issue the ticket asked for; the slip, or the page again with the reason."""
    outcome = attempt(
        services.ticket_issue,
        actor=devices.terminal_actor(request, center),
        center=center,
        category=category,
        channel=Ticket.Channel.TERMINAL,
        priority_reason=context["priority"],
        phone=context["phone"],
        now=now,
    )
    if outcome.ok:
        return redirect(slip_url(outcome.value))
    error = outcome.error
    if error.code == "ticket.closed":
        closed = _terminal_context(request, center, now, closed_message=error.message)
        return render(request, "hall/screens/terminal.html", closed, status=409)
    return render(request, TAKE, {**context, "error": error.message}, status=error.status)


@require_http_methods(["GET", "POST"])
@devices.terminal_page
def terminal_take(request, center_id, category_id):
    center = selectors.display_center(center_id)
    category = selectors.terminal_category(center, category_id)
    now = clock()
    posted = request.method == "POST"
    reason = (request.POST.get("priority") or "") if posted else ""
    context = {
        "center": center,
        "category": category,
        "choices": PRIORITY_CHOICES,
        "priority": reason,
        "priority_label": PRIORITY_LABELS.get(reason, ""),
        "phone": (request.POST.get("phone") or "").strip()[:20] if posted else "",
        "open_now": selectors.hall_is_open(center, now),
    }
    if not posted:
        return render(request, TAKE, context)
    if reason and reason not in PRIORITY_LABELS:
        context.update(priority="", error="请选择正确的绿色通道类型。")
        return render(request, TAKE, context, status=422)
    if reason and request.POST.get("confirm_priority") != "1":
        return render(request, TAKE, {**context, "confirming": True})
    return _issue(request, center, category, context, now)


def _check_in(request, center, context: dict):
    booked = appt_selectors.find_appointment(context["code"])
    if booked is None:
        context["error"] = appt_selectors.APPOINTMENT_NOT_FOUND
        return render(request, CHECKIN, context, status=404)
    if booked.center_id != center.pk:
        context["error"] = f"该预约在{booked.center.name}，请到该中心签到。"
        return render(request, CHECKIN, context, status=409)
    outcome = attempt(
        appt.appointment_check_in,
        code=booked.code,
        now=clock(),
        actor=devices.terminal_actor(request, center),
    )
    if outcome.ok:
        return redirect(slip_url(outcome.value))
    context["error"] = outcome.error.message
    return render(request, CHECKIN, context, status=outcome.error.status)


def _by_identity(request, center, context: dict):
    """刷身份证签到: the number the card reader gave (or typed), checked by its check
    digit, finds today's booking made with it at this center; never stored here."""
    try:
        number = idnumber.validate(context.pop("id_number"))
    except idnumber.IdNumberError as exc:
        context["error"] = exc.message
        return render(request, CHECKIN, context, status=422)
    today = timezone.localdate(clock())
    booked = appt_selectors.todays_appointment_by_identity(center, number, today)
    if booked is None:
        context["error"] = NO_BOOKING_FOR_CARD
        return render(request, CHECKIN, context, status=404)
    context["code"] = booked.code
    return _check_in(request, center, context)


@require_http_methods(["GET", "POST"])
@devices.terminal_page
def terminal_checkin(request, center_id):
    center = selectors.display_center(center_id)
    posted = request.method == "POST"
    code = (request.POST.get("code") or "").strip()[:20] if posted else ""
    id_number = (request.POST.get("id_number") or "").strip()[:30] if posted else ""
    context = {"center": center, "code": code, "id_number": id_number}
    context["device_url"] = devices.device_service_url()
    if not posted:
        response = render(request, CHECKIN, context)
    elif code:
        response = _check_in(request, center, context)
    elif id_number:
        response = _by_identity(request, center, context)
    else:
        context["error"] = "请输入预约码。也可以刷身份证或输入身份证号码签到。"
        response = render(request, CHECKIN, context, status=422)
    return devices.allow_device_service(response)


# --- guides and printing ------------------------------------------------------------------------


@require_GET
@devices.terminal_page
def terminal_guides(request, center_id):
    """办事指南: search the matters handled at this center, as the web's search does."""
    center = selectors.display_center(center_id)
    query = _query(request)
    hits = search_matters(query, center=center, limit=GUIDE_HITS).hits if query else []
    return render(
        request,
        "hall/screens/terminal_guides.html",
        {"center": center, "query": query, "hits": hits, "for_print": request.GET.get("print")},
    )


def _guide(center, matter_id) -> dict:
    version, listing = selectors.guide_at_center(center, matter_id)
    return {"center": center, "listing": listing, **guide_context(version)}


@require_GET
@devices.terminal_page
def terminal_guide(request, center_id, matter_id):
    center = selectors.display_center(center_id)
    context = _guide(center, matter_id)
    open_now = selectors.hall_is_open(center, clock())
    context.update(
        open_now=open_now,
        categories=selectors.guide_categories(center, context["matter"], open_now=open_now),
        query=_query(request),
    )
    return render(request, "hall/screens/terminal_guide.html", context)


@require_GET
@devices.terminal_page
def terminal_guide_print(request, center_id, matter_id):
    """A guide's material list on the 80 mm slip printer."""
    center = selectors.display_center(center_id)
    context = _guide(center, matter_id)
    context.update(
        auto=request.GET.get("auto") == "1",
        terminal_url=reverse("portal:terminal", args=[center.pk]),
        guide_url=reverse("portal:terminal_guide", args=[center.pk, matter_id]),
        now=clock(),
    )
    return render(request, "hall/screens/terminal_guide_print.html", context)


@require_http_methods(["GET", "POST"])
@devices.terminal_page
def terminal_print(request, center_id):
    """打印: a ticket slip again (by today's number), or a guide's material list."""
    center = selectors.display_center(center_id)
    code = (request.POST.get("code") or "").strip()[:8] if request.method == "POST" else ""
    context = {"center": center, "code": code}
    if request.method != "POST":
        return render(request, "hall/screens/terminal_print.html", context)
    ticket = selectors.find_ticket_of_today(center, code, clock())
    if ticket is None:
        context["error"] = selectors.TICKET_OF_TODAY_NOT_FOUND
    elif ticket.state not in REPRINTABLE:
        context["error"] = f"{ticket.code}已{ticket.state_label}，无需重新打印。"
    else:
        return redirect(slip_url(ticket))
    return render(request, "hall/screens/terminal_print.html", context, status=404)
