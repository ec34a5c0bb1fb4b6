"""The center administrator's self-service terminals (R-HALL-7): register a terminal,
give it a one-time enrollment link (shown once, here), issue a new one, revoke it.
Centers outside the administrator's region answer 404 (R-NET-3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onewindow.core.errors import NotFound
from onewindow.core.links import public_reverse
from onewindow.core.pages import attempt, back_to
from onewindow.hall.appointments import center_for_admin
from onewindow.hall.selectors import terminals as selectors
from onewindow.hall.services import terminals as services
from onewindow.hall.services.terminals import ENROLLMENT_HOURS

TEMPLATE = "hall/setup/terminals.html"


def _page(request, center, status=200, **extra):
    context = {
        "center": center,
        "terminals": selectors.center_terminals(center),
        "hours": ENROLLMENT_HOURS,
        **extra,
    }
    return render(request, TEMPLATE, context, status=status)


def _link(request, code: str) -> str:
    return public_reverse("portal:terminal_enroll", request=request, args=[code])


def _terminal(center, terminal_id):
    terminal = selectors.center_terminal(center, terminal_id)
    if terminal is None:
        raise NotFound("terminal.not_found", "未找到该自助终端。")
    return terminal


@login_required
def terminal_list(request, center_id: int):
    center = center_for_admin(actor=request.user, center_id=center_id)
    if request.method != "POST":
        return _page(request, center)
    post = {f: (request.POST.get(f) or "").strip()[:60] for f in ("code", "place")}
    outcome = attempt(services.terminal_register, actor=request.user, center=center, **post)
    if not outcome.ok:
        return _page(request, center, outcome.error.status, error=outcome.error, post=post)
    terminal, code = outcome.value
    return _page(request, center, issued=terminal, link=_link(request, code))


@login_required
@require_POST
def terminal_enrollment(request, center_id: int, terminal_id: int):
    center = center_for_admin(actor=request.user, center_id=center_id)
    terminal = _terminal(center, terminal_id)
    back_to(request, reverse("hall:setup_terminals", args=[center.pk]))
    code = services.terminal_enrollment_issue(actor=request.user, terminal=terminal)
    return _page(request, center, issued=terminal, link=_link(request, code))


@login_required
@require_POST
def terminal_revoke(request, center_id: int, terminal_id: int):
    center = center_for_admin(actor=request.user, center_id=center_id)
    terminal = _terminal(center, terminal_id)
    back_to(request, reverse("hall:setup_terminals", args=[center.pk]))
    reason = (request.POST.get("reason") or "").strip()[:100]
    services.terminal_revoke(actor=request.user, terminal=terminal, reason=reason)
    messages.success(request, f"{terminal}已停用，不能再取号或办理业务。")
    return redirect("hall:setup_terminals", center_id=center.pk)
