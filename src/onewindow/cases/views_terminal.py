"""The self-service terminal's progress lookup (R-HALL-7, R-CAT-9): the same lookup as
the public progress page (``progress_lookup``, with its limits against guessing a
phone tail), shown in the terminal's layout under the terminal's address, so a
visitor never lands on the website from the terminal."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onewindow.cases.models import BundleApplication
from onewindow.cases.selectors.progress import progress_lookup
from onewindow.cases.services import bundles
from onewindow.cases.views import _progress_context
from onewindow.core.errors import NotFound
from onewindow.core.middleware import client_ip
from onewindow.core.ratelimit import RateLimited
from onewindow.hall import selectors as hall_selectors


@require_GET
def terminal_progress(request, center_id: int):
    try:
        center = hall_selectors.display_center(center_id)
    except NotFound:
        raise Http404 from None
    number = (request.GET.get("number") or "").strip()[:32]
    tail = (request.GET.get("tail") or "").strip()[:4]
    context = {"center": center, "number": number, "tail": tail}
    status = 200
    if number or tail:
        try:
            found = progress_lookup(
                number=number, phone_tail=tail, client=f"terminal:{center.pk}:{client_ip(request)}"
            )
        except (NotFound, RateLimited) as exc:
            context["error"], status = exc.message, exc.status
        else:
            if isinstance(found, BundleApplication):  # "one thing": each part and the whole
                context["bundle"] = bundles.bundle_overview(found)
            else:
                context.update(_progress_context(found))
    return render(request, "hall/screens/terminal_progress.html", context, status=status)
