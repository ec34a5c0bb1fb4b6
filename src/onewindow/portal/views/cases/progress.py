"""Progress of a case or a "one thing" application (R-CAT-9): the public lookup by
number and the last four digits of the phone (limited against guessing), the page a
receipt's QR code opens, and the self-service terminal's lookup under the terminal's
own address (R-HALL-7), so a visitor never lands on the website from the terminal."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from onewindow.cases import selectors
from onewindow.cases.models import BundleApplication, Case
from onewindow.cases.selectors import pages
from onewindow.cases.selectors.assisted import project_agent_for_case
from onewindow.cases.selectors.bundles import bundle_overview
from onewindow.core.middleware import client_ip
from onewindow.hall import selectors as hall_selectors
from onewindow.licences.selectors import licences_for_citizen
from onewindow.portal.views.hall import devices


def progress_context(case: Case) -> dict:
    """What a citizen sees of a case: its public status and steps, its history, an open
    correction, and the agent of its assisted project."""
    return {
        "case": case,
        "status": case.public_status,
        "steps": pages.progress_steps(case),
        "timeline": selectors.public_timeline(case),
        "correction": pages.open_correction(case),
        "agent": project_agent_for_case(case),
        "licences": licences_for_citizen(case),
    }


def _lookup(request, *, client: str) -> tuple[dict, int]:
    """The lookup's form values and, once asked, what it found or why not."""
    number = (request.GET.get("number") or "").strip()[:32]
    tail = (request.GET.get("tail") or "").strip()[:4]
    context = {"number": number, "tail": tail}
    if not (number or tail):
        return context, 200
    answer = pages.progress_answer(number=number, phone_tail=tail, client=client)
    if answer.error:
        context["error"] = answer.error
    elif isinstance(answer.found, BundleApplication):  # "one thing": each part and the whole
        context["bundle"] = bundle_overview(answer.found)
    else:
        context.update(progress_context(answer.found))
    return context, answer.status


def progress(request):
    context, _status = _lookup(request, client=client_ip(request))
    return render(request, "cases/progress.html", context)


def progress_token(request, token: str):
    return render(request, "cases/progress.html", progress_context(pages.case_by_token(token)))


@require_GET
@devices.terminal_page
def terminal_progress(request, center_id: int):
    center = hall_selectors.display_center(center_id)
    context, status = _lookup(request, client=f"terminal:{center_id}:{client_ip(request)}")
    context["center"] = center
    return render(request, "hall/screens/terminal_progress.html", context, status=status)
