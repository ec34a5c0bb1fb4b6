"""Case statistics (R-SUP-4): volume, channel share and on-time rate per center,
department, matter and month, and their Excel export, in the reader's scope."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from onewindow.core import xlsx
from onewindow.core.pages import attempt
from onewindow.core.roles import may
from onewindow.oversight.exports.case_stats import case_stats_workbook
from onewindow.oversight.indicators import report_centers
from onewindow.oversight.selectors.case_stats import GROUPS, case_stats
from onewindow.oversight.selectors.hall import stats_range
from onewindow.oversight.views.params import int_param


def _context(request) -> dict:
    if not may(request.user, "case_stats.read"):
        raise Http404
    centers = list(report_centers(scope=request.scope))
    center_id = int_param(request, "center")
    if center_id is not None and not any(c.pk == center_id for c in centers):
        raise Http404
    ctx = {"centers": centers, "center_id": center_id, "stats": None, "error": ""}
    dates = attempt(stats_range, request.GET.get("start"), request.GET.get("end"))
    if not dates.ok:
        ctx["error"] = dates.error.message
        return ctx
    start, end = dates.value
    ctx["stats"] = case_stats(scope=request.scope, start=start, end=end, center_id=center_id)
    query = {"start": start, "end": end, **({"center": center_id} if center_id else {})}
    ctx.update(start_text=start.isoformat(), end_text=end.isoformat(), query=urlencode(query))
    ctx["groups"] = [(t, ctx["stats"].by[g]) for g, (t, _k, _n) in GROUPS.items()]
    return ctx


@login_required
def case_stats_page(request):
    ctx = _context(request)
    return render(request, "oversight/case_stats.html", ctx, status=400 if ctx["error"] else 200)


@login_required
def case_stats_export(request):
    ctx = _context(request)
    s = ctx["stats"]
    if s is None:
        return render(request, "oversight/case_stats.html", ctx, status=400)
    return xlsx.response(
        case_stats_workbook(s), f"办件统计-{s.start:%Y-%m-%d}至{s.end:%Y-%m-%d}.xlsx"
    )
