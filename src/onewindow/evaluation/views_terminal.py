"""评价 on the self-service terminal (R-HALL-7, R-EVAL-1): a visitor types the number on
today's slip and reviews that finished visit (一次一评) through ``review_visit`` with the
terminal channel, on the same form and reasons as the other channels, in the terminal's
layout."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from onewindow.core.errors import DomainError, NotFound
from onewindow.evaluation import services
from onewindow.evaluation.models import Review
from onewindow.evaluation.views import _form_context, _form_input
from onewindow.hall import selectors as hall_selectors
from onewindow.hall import states as ticket_states

CHANNEL = "terminal"
FORM = services.form_for_visit()
TEMPLATE = "hall/screens/terminal_review.html"


def _ticket(center, code: str):
    """Today's finished, not yet reviewed visit of this center with that number."""
    ticket = hall_selectors.ticket_of_today(center, code)
    if ticket.state != ticket_states.DONE:
        raise NotFound(
            "evaluation.visit_not_finished",
            f"{ticket.code}号当前为“{ticket.state_label}”，业务办结后才能评价。",
        )
    if Review.objects.filter(ticket=ticket, stage="").exists():
        raise NotFound(
            "evaluation.already_reviewed", f"{ticket.code}号已经评价过，每次服务只能评价一次。"
        )
    return ticket


@require_http_methods(["GET", "POST"])
def terminal_review(request, center_id: int):
    try:
        center = hall_selectors.display_center(center_id)
    except NotFound:
        raise Http404 from None
    data = request.POST if request.method == "POST" else request.GET
    code = (data.get("code") or "").strip().upper()[:8]
    context = {"center": center, "code": code, "ticket": None, "show_contact": True}
    context.update(_form_context(FORM))
    if not code:
        return render(request, TEMPLATE, context)
    try:
        context["ticket"] = ticket = _ticket(center, code)
    except NotFound as exc:
        context["lookup_error"] = exc.message
        return render(request, TEMPLATE, context, status=404)
    if request.method == "GET":
        return render(request, TEMPLATE, context)
    values = _form_input(request.POST, FORM)
    try:
        review = services.review_visit(actor=request.user, ticket=ticket, channel=CHANNEL, **values)
    except DomainError as exc:
        context.update(_form_context(FORM, values, exc.fields), error=exc.message)
        return render(request, TEMPLATE, context, status=exc.status)
    return render(
        request, "hall/screens/terminal_review_done.html", {"center": center, "review": review}
    )
