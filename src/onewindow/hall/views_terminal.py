"""The self-service terminal's own pages beyond taking a ticket (R-HALL-7, R-CAT-9):
the guide search and the guide, printing (a ticket slip again, a guide's material list
on the 80 mm slip printer). Every page stays in the terminal's layout (kiosk_base.html)
with a way home and no link out of the terminal.

The guide comes from the catalog's public selectors and search: the same published
version the web, phones and the hall show. Progress, complaints and reviews belong to
later apps; their terminal pages live there (``cases``, ``complaints``, ``evaluation``)
under the same ``/hall/terminal/<center>/`` addresses and templates.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.search import search_matters
from onewindow.catalog.selectors import guide_context
from onewindow.core.errors import NotFound
from onewindow.hall import selectors, states
from onewindow.hall.models import ServiceCategory
from onewindow.hall.views_screens import _center_or_404, clock

GUIDE_HITS = 10
REPRINTABLE = states.OPEN | {states.NO_SHOW}


def _query(request) -> str:
    return (request.GET.get("q") or "").strip()[:50]


@require_GET
def terminal_guides(request, center_id):
    """办事指南: search the matters handled at this center, as the web's search does."""
    center = _center_or_404(center_id)
    query = _query(request)
    hits = search_matters(query, center=center, limit=GUIDE_HITS).hits if query else []
    return render(
        request,
        "hall/screens/terminal_guides.html",
        {"center": center, "query": query, "hits": hits, "for_print": request.GET.get("print")},
    )


def _guide(center, matter_id) -> dict:
    try:
        version = catalog_selectors.guide_version_get_public(matter_id=matter_id)
    except NotFound:
        raise Http404 from None
    listing = (
        catalog_selectors.public_listings(center=center)
        .filter(matter_id=version.matter_id)
        .select_related("department")
        .first()
    )
    return {"center": center, "listing": listing, **guide_context(version)}


@require_GET
def terminal_guide(request, center_id, matter_id):
    center = _center_or_404(center_id)
    context = _guide(center, matter_id)
    open_now = selectors.hall_is_open(center, clock())
    categories = ServiceCategory.objects.filter(
        center=center, is_active=True, matters=context["matter"]
    ).order_by("order", "letter")
    if not open_now:
        categories = categories.filter(needs_clerk=False)
    context.update(open_now=open_now, categories=list(categories), query=_query(request))
    return render(request, "hall/screens/terminal_guide.html", context)


@require_GET
def terminal_guide_print(request, center_id, matter_id):
    """A guide's material list on the 80 mm slip printer."""
    center = _center_or_404(center_id)
    context = _guide(center, matter_id)
    context.update(
        auto=request.GET.get("auto") == "1",
        terminal_url=reverse("hall:terminal", args=[center.pk]),
        guide_url=reverse("hall:terminal_guide", args=[center.pk, matter_id]),
        now=clock(),
    )
    return render(request, "hall/screens/terminal_guide_print.html", context)


@require_http_methods(["GET", "POST"])
def terminal_print(request, center_id):
    """打印: a ticket slip again (by today's number), or a guide's material list."""
    center = _center_or_404(center_id)
    code = (request.POST.get("code") or "").strip()[:8] if request.method == "POST" else ""
    context = {"center": center, "code": code}
    if request.method == "POST":
        try:
            ticket = selectors.ticket_of_today(center, code, clock())
            if ticket.state not in REPRINTABLE:
                raise NotFound(
                    "ticket.not_open", f"{ticket.code}已{ticket.state_label}，无需重新打印。"
                )
        except NotFound as exc:
            context["error"] = exc.message
            return render(request, "hall/screens/terminal_print.html", context, status=404)
        return redirect(reverse("hall:slip", args=[selectors.ticket_token(ticket)]) + "?auto=1")
    return render(request, "hall/screens/terminal_print.html", context)
