"""The evaluation's pages a citizen sees without signing in: the window's pad (一次一评
at the window), the review by a slip's QR code or the progress page (一次一评 /
一事一评), the reviewer's follow-up link, the public review (综合点评), the public
ranking (好差评公示), and the review on the self-service terminal. Thin: parse, call a
service or selector, render; a domain error shows the form again with its message."""

from __future__ import annotations

from datetime import date, timedelta

import segno
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.core.links import public_reverse
from onewindow.core.pages import attempt
from onewindow.evaluation import selectors, selectors_pages, services, states
from onewindow.evaluation.models import Review
from onewindow.evaluation.views.forms import form_context, form_failed, form_input
from onewindow.hall import selectors as hall_selectors
from onewindow.hall.selectors.windows import open_session
from onewindow.org import names
from onewindow.portal.views.hall import devices

PAD_COOKIE = "ow_pad_{}"
# The public general review page is a web page: its form is the web channel's.
GENERAL_CHANNEL = "web"
TERMINAL_CHANNEL = "terminal"
TERMINAL_TEMPLATE = "hall/screens/terminal_review.html"


def _staff_session(request) -> bool:
    return services.is_staff_session(request.user)


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=2, title="扫码跟踪整改")


def _thanks(request, review: Review, back_url: str = ""):
    follow = None
    if hasattr(review, "rectification") and review.is_bad:
        follow = public_reverse(
            "portal:reviewer", request=request, args=[review.rectification.reviewer_token]
        )
    return render(
        request,
        "evaluation/thanks.html",
        {"review": review, "follow": follow, "qr": _qr(follow) if follow else "", "back": back_url},
    )


# --- the pad (一次一评 at the window) ----------------------------------------------------------


def _pad_key(request, window_id) -> str:
    return request.GET.get("key") or request.COOKIES.get(PAD_COOKIE.format(window_id), "")


def _clerk_card(window):
    session = open_session(window)
    if session is None:
        return None
    return {"name": names.person_name(session.clerk), "staff_no": names.staff_no_of(session.clerk)}


def _pad_paired(request, window_id, key):
    """The pad's first visit with its key: the key goes into a cookie, out of the URL."""
    response = redirect("portal:review_pad", window_id=window_id)
    response.set_cookie(
        PAD_COOKIE.format(window_id),
        key,
        max_age=3600 * 24 * 365,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@require_http_methods(["GET", "POST"])
def pad(request, window_id):
    key = _pad_key(request, window_id)
    window = selectors.pad_for(window_id=window_id, key=key).window
    if request.GET.get("key"):
        return _pad_paired(request, window_id, key)
    form = services.form_for_visit()
    ctx = {
        "window": window,
        "center": window.center,
        "clerk": _clerk_card(window),
        "ticket": selectors.pad_ticket(window),
        "staff_session": _staff_session(request),
        **form_context(form),
    }
    status = 200
    if request.method == "POST":
        values = form_input(request.POST, form)
        outcome = attempt(
            services.review_from_pad,
            actor=request.user,
            window_id=window.pk,
            key=key,
            ticket_id=request.POST.get("ticket", ""),
            **values,
        )
        if outcome.ok:
            return _thanks(request, outcome.value, reverse("portal:review_pad", args=[window.pk]))
        status = form_failed(ctx, form, values, outcome.error)
    return render(request, "evaluation/pad.html", ctx, status=status)


@require_GET
def pad_feed(request, window_id):
    pad_device = selectors.pad_find(window_id=window_id, key=_pad_key(request, window_id))
    if pad_device is None:
        return JsonResponse({"code": "evaluation.pad_not_paired"}, status=404)
    ticket = selectors.pad_ticket(pad_device.window)
    return JsonResponse(
        {
            "ticket": {"id": ticket.pk, "code": ticket.code} if ticket else None,
            "clerk": _clerk_card(pad_device.window),
        },
        headers={"Cache-Control": "no-store"},
    )


# --- by QR code or the progress page (一次一评 / 一事一评) --------------------------------------


def _review_token(request, found, values):
    if found.kind == "ticket":
        return attempt(
            services.review_visit, actor=request.user, ticket=found.subject, channel="qr", **values
        )
    return attempt(
        services.review_case, actor=request.user, case=found.subject, channel="web", **values
    )


@require_http_methods(["GET", "POST"])
def by_token(request, token):
    found = selectors_pages.review_subject(token)
    if found.kind == "ticket":
        form = services.form_for_visit()
    else:
        form = services.form_for_case(found.subject)
    ctx = {
        "kind": found.kind,
        "subject": found.subject,
        "existing": found.existing,
        "ready": found.ready,
        "staff_session": _staff_session(request),
        **form_context(form),
    }
    status = 200
    if request.method == "POST":
        values = form_input(request.POST, form)
        outcome = _review_token(request, found, values)
        if outcome.ok:
            return _thanks(request, outcome.value)
        status = form_failed(ctx, form, values, outcome.error)
    return render(request, "evaluation/by_token.html", ctx, status=status)


# --- the reviewer's follow-up link ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reviewer(request, token):
    rect = selectors.rectification_for_reviewer(token)
    error = ""
    status = 200
    if request.method == "POST":
        outcome = attempt(
            services.rectification_reviewer_answer,
            actor=request.user,
            token=token,
            accepts=request.POST.get("accepts") == "1",
            comment=(request.POST.get("comment") or "")[:2000],
        )
        if outcome.ok:
            messages.success(request, "感谢您的反馈，服务中心将核查后办结。")
            return redirect("portal:reviewer", token=token)
        error, status = outcome.error.message, outcome.error.status
    return render(
        request,
        "evaluation/reviewer.html",
        {
            "rect": rect,
            "review": rect.review,
            "steps": selectors_pages.reviewer_steps(rect),
            "error": error,
            "staff_session": _staff_session(request),
            "may_answer": rect.state == states.REPORTED,
        },
        status=status,
    )


# --- unsolicited review and the public ranking -----------------------------------------------------


@require_http_methods(["GET", "POST"])
def unsolicited(request):
    data = request.POST if request.method == "POST" else request.GET
    ctx = selectors_pages.subject_form(selectors_pages.public_centers(), data, public=True)
    form = services.form_for_general(GENERAL_CHANNEL)
    ctx.update(form_context(form))
    status = 200
    if request.method == "POST":
        values = form_input(request.POST, form)
        values.pop("indicators")
        outcome = attempt(
            services.review_unsolicited,
            actor=request.user,
            subject=ctx["subject"],
            center=ctx["center"],
            **selectors_pages.subject_targets(data),
            channel=GENERAL_CHANNEL,
            **values,
        )
        if outcome.ok:
            return _thanks(request, outcome.value)
        status = form_failed(ctx, form, values, outcome.error)
    ctx["staff_session"] = _staff_session(request)
    return render(request, "evaluation/unsolicited.html", ctx, status=status)


def _month(text: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (text or "").split("-")[:2]
        value = date(int(year), int(month), 1)
        if not 2000 <= value.year <= 2100:
            raise ValueError
        return value
    except (ValueError, TypeError):
        return today.replace(day=1)


@require_GET
def public(request):
    month = _month(request.GET.get("month"))
    rows = selectors.public_ranking(month)
    prev = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    nxt = (month + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "evaluation/public.html",
        {
            "month": month,
            "rows": rows,
            "prev": prev,
            "next": nxt if nxt <= timezone.localdate() else None,
        },
    )


# --- the self-service terminal (R-HALL-7) ------------------------------------------------------


@require_http_methods(["GET", "POST"])
@devices.terminal_page
def terminal_review(request, center_id: int):
    """A visitor types the number on today's slip and reviews that finished visit
    (一次一评) with the terminal channel, on the same form as the other channels."""
    center = hall_selectors.display_center(center_id)
    data = request.POST if request.method == "POST" else request.GET
    code = (data.get("code") or "").strip().upper()[:8]
    form = services.form_for_visit()
    context = {"center": center, "code": code, "ticket": None, "show_contact": True}
    context.update(form_context(form))
    if not code:
        return render(request, TERMINAL_TEMPLATE, context)
    ticket, problem = selectors_pages.terminal_visit(center, code)
    if ticket is None:
        context["lookup_error"] = problem
        return render(request, TERMINAL_TEMPLATE, context, status=404)
    context["ticket"] = ticket
    if request.method == "GET":
        return render(request, TERMINAL_TEMPLATE, context)
    values = form_input(request.POST, form)
    outcome = attempt(
        services.review_visit,
        # a staff session is refused by the service (nobody reviews for the citizen)
        actor=request.user
        if request.user.is_authenticated
        else devices.terminal_actor(request, center),
        ticket=ticket,
        channel=TERMINAL_CHANNEL,
        **values,
    )
    if not outcome.ok:
        status = form_failed(context, form, values, outcome.error)
        return render(request, TERMINAL_TEMPLATE, context, status=status)
    return render(
        request,
        "hall/screens/terminal_review_done.html",
        {"center": center, "review": outcome.value},
    )
