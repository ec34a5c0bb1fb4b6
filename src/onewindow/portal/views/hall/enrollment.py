"""A terminal's enrollment (R-HALL-7): the center administrator's one-time link, opened
once in the terminal's own browser. The page asks first (a link checked by a preview
does not use it up); the confirmation stores the terminal's signed credential in its
cookie and opens the terminal's start page."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onewindow.core.errors import NotFound
from onewindow.core.pages import attempt
from onewindow.hall.selectors import terminals
from onewindow.hall.services import terminals as terminal_services
from onewindow.portal.views.hall import devices

TEMPLATE = "hall/screens/terminal_enroll.html"


@require_http_methods(["GET", "POST"])
def terminal_enroll(request, code: str):
    terminal = terminals.terminal_by_enrollment(code)
    if terminal is None:
        raise NotFound("terminal.enrollment", terminal_services.ENROLLMENT_GONE)
    context = {"terminal": terminal, "center": terminal.center, "code": code}
    if request.method == "GET":
        return render(request, TEMPLATE, context)
    outcome = attempt(terminal_services.terminal_enroll, code=code)
    if not outcome.ok:
        context["error"] = outcome.error.message
        return render(request, TEMPLATE, context, status=outcome.error.status)
    enrolled, credential = outcome.value
    response = redirect("portal:terminal", enrolled.center_id)
    return devices.remember_credential(request, response, credential)
