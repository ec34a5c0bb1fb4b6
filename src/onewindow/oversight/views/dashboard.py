"""The directors' dashboard (R-SUP-4): one page for a part of the network, drilled
down from the prefecture to one window through ``?node=``; a node outside the reader's
scope is not found. The big-screen mode is the same figures for the center's
leadership screen (1920×1080, large type, refreshing itself)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onewindow.core import xlsx
from onewindow.core.roles import may
from onewindow.core.xlsx import content_disposition
from onewindow.oversight.exports.monthly import monthly_pdf, monthly_workbook
from onewindow.oversight.indicators import parse_month
from onewindow.oversight.selectors.dashboard import dashboard, node_departments, node_get
from onewindow.oversight.selectors.monthly_report import monthly_report
from onewindow.oversight.selectors.separate_halls import halls_figure

REFRESH_SECONDS = 60


def _board(request):
    if not may(request.user, "dashboard.view"):
        raise Http404
    node = node_get(scope=request.scope, param=(request.GET.get("node") or "")[:20])
    return dashboard(scope=request.scope, node=node)


def halls_panel(scope, board):
    """只进一扇门 on the dashboard: the node's separate halls and entry rate."""
    departments = node_departments(scope=scope, node=board.node)
    return halls_figure(scope=scope, departments=departments, day=timezone.localdate(board.now))


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
            "halls": halls_panel(request.scope, board),
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


@login_required
def monthly_report_download(request):
    """The monthly report of the node on demand: ``?format=pdf`` (default) or ``xlsx``."""
    if not may(request.user, "dashboard.view"):
        raise Http404
    node = node_get(scope=request.scope, param=(request.GET.get("node") or "")[:20])
    report = monthly_report(
        scope=request.scope, node=node, month=parse_month(request.GET.get("month"))
    )
    if request.GET.get("format") == "xlsx":
        return xlsx.response(monthly_workbook(report), f"{report.title}.xlsx")
    out = HttpResponse(monthly_pdf(report), content_type="application/pdf")
    out["Content-Disposition"] = content_disposition(f"{report.title}.pdf", attachment=False)
    return out
