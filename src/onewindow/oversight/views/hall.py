"""Hall statistics pages and their export (R-HALL-2, R-HALL-4): thin, through the scoped
selectors (``oversight/selectors/hall.py``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from onewindow.core import xlsx
from onewindow.core.pages import attempt
from onewindow.core.roles import may
from onewindow.oversight.exports.hall import stats_workbook
from onewindow.oversight.selectors import hall as sel
from onewindow.planning import charts as stats_charts
from onewindow.planning import statmath


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def _wait_chart(s: sel.HallStats) -> stats_charts.Chart:
    found = {r.key: r for r in s.hours}
    hours = range(min(found), max(found) + 1) if found else []
    items = []
    for h in hours:
        r = found.get(h)
        items.append(
            (
                f"{h}时",
                _minutes(r.wait.mean) if r else None,
                _minutes(r.wait.p90) if r else None,
                "",
            )
        )
    return stats_charts.bar_chart(
        items,
        unit="分钟",
        title="各时段平均等候时间",
        desc="按取号时间所在小时统计的平均等候时间（柱）和90%分位等候时间（短横线），单位：分钟。",
    )


def _load_chart(s: sel.HallStats) -> stats_charts.Chart:
    css = {statmath.HIGH: "high", statmath.LOW: "low"}
    items = [
        (r.label.split("号")[0] + "号", r.service.total / 3600, None, css.get(r.flag, ""))
        for r in s.windows
    ]
    mean = s.balance.mean / 3600 if s.balance.mean is not None else None
    return stats_charts.bar_chart(
        items,
        unit="小时",
        mean=mean,
        band=s.balance.threshold,
        mean_label=f"平均 {mean:.1f} 小时" if mean is not None else "",
        title="各窗口负荷（办理总时长）与平均值",
        desc="每个窗口办结业务的办理总时长（柱，单位：小时）；虚线为各窗口平均值，浅色带为平均值上下30%，"
        "超出的窗口标为偏高（深色）或偏低（浅色）。",
    )


def _context(request):
    """The center, range and figures from the query string; a center out of scope is
    not found."""
    if not may(request.user, "hall.stats"):
        raise Http404
    scope = request.scope
    centers = list(sel.stats_centers(scope=scope))
    center_param = request.GET.get("center")
    center = (
        sel.stats_center_get(scope=scope, center_id=center_param)
        if center_param
        else sel.stats_default_center(user=request.user, scope=scope)
    )
    ctx = {
        "centers": centers,
        "center": center,
        "error": "",
        "stats": None,
        "start_text": (request.GET.get("start") or "").replace("\x00", "")[:20],
        "end_text": (request.GET.get("end") or "").replace("\x00", "")[:20],
        "max_days": sel.MAX_DAYS,
    }
    outcome = attempt(sel.stats_range, request.GET.get("start"), request.GET.get("end"))
    if not outcome.ok:
        ctx["error"] = outcome.error.message
        return ctx
    start, end = outcome.value
    ctx.update(start_text=start.isoformat(), end_text=end.isoformat())
    if center is not None:
        s = sel.hall_stats(scope=scope, center_id=center.pk, start=start, end=end)
        ctx["stats"] = s
        ctx["export_query"] = urlencode({"center": center.pk, "start": start, "end": end})
    return ctx


@login_required
def stats(request):
    ctx = _context(request)
    s = ctx["stats"]
    if s is not None:
        ctx["wait_chart"] = _wait_chart(s)
        ctx["load_chart"] = _load_chart(s)
    return render(request, "hall/stats/page.html", ctx, status=400 if ctx["error"] else 200)


@login_required
def stats_export(request):
    ctx = _context(request)
    s = ctx["stats"]
    if s is None:
        if not ctx["error"]:
            ctx["error"] = "没有可统计的服务中心。"
        return render(request, "hall/stats/page.html", ctx, status=400)
    return xlsx.response(
        stats_workbook(s), f"大厅统计-{s.center.name}-{s.start:%Y-%m-%d}至{s.end:%Y-%m-%d}.xlsx"
    )
