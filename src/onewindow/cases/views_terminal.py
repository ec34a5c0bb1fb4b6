"""The self-service terminal's progress lookup (R-HALL-7, R-CAT-9): the same lookup as
the public progress page (``bundle_public_progress``, then ``public_progress``, with
whatever limits they apply), shown in the terminal's layout under the terminal's
address, so a visitor never lands on the website from the terminal."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onewindow.cases import selectors
from onewindow.cases.services import bundles
from onewindow.cases.views import _progress_context
from onewindow.core.errors import NotFound
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
            app = bundles.bundle_public_progress(number=number, phone_tail=tail)
            if app is not None:  # a "one thing" application: each part and the whole
                context["bundle"] = bundles.bundle_overview(app)
            else:
                context.update(
                    _progress_context(selectors.public_progress(number=number, phone_tail=tail))
                )
        except NotFound as exc:
            context["error"], status = exc.message, 404
    return render(request, "hall/screens/terminal_progress.html", context, status=status)
