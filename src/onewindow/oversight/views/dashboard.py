"""The directors' dashboard (R-SUP-4): one page for a part of the network, drilled
down from the prefecture to one window through ``?node=``; a node outside the reader's
scope is not found. The big-screen mode is the same figures for the center's
leadership screen (1920×1080, large type, refreshing itself)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from onewindow.core.roles import may
from onewindow.oversight.selectors.dashboard import dashboard, node_get

REFRESH_SECONDS = 60


def _board(request):
    if not may(request.user, "dashboard.view"):
        raise Http404
    node = node_get(scope=request.scope, param=(request.GET.get("node") or "")[:20])
    return dashboard(scope=request.scope, node=node)


@login_required
def dashboard_page(request):
    board = _board(request)
    return render(
        request,
        "oversight/dashboard/page.html",
        {
            "board": board,
            "can_indicators": may(request.user, "assessment.read"),
            "can_case_stats": may(request.user, "case_stats.read"),
        },
    )


@login_required
def dashboard_screen(request):
    board = _board(request)
    return render(
        request,
        "oversight/dashboard/screen.html",
        {"board": board, "refresh": REFRESH_SECONDS},
    )
