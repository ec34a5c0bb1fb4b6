"""The evaluation's statistics (R-EVAL-3): satisfaction and bad-review rates by center,
department, staff, window, matter, channel, kind and month, with charts, and their
Excel export. The reader's scope bounds every figure."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from onewindow.core import xlsx
from onewindow.core.pages import attempt
from onewindow.evaluation import selectors, selectors_pages
from onewindow.evaluation.views.forms import require_staff
from onewindow.oversight.exports.evaluation import stats_workbook
from onewindow.planning import charts as stats_charts


def _stats_context(request):
    require_staff(request)
    scope = request.scope
    centers = list(selectors_pages.scope_centers(scope))
    center_id = request.GET.get("center") or ""
    if center_id and not any(str(c.pk) == center_id for c in centers):
        raise Http404
    ctx = {
        "centers": centers,
        "center_id": int(center_id) if center_id else None,
        "start_text": (request.GET.get("start") or "").replace("\x00", "")[:20],
        "end_text": (request.GET.get("end") or "").replace("\x00", "")[:20],
        "error": "",
        "stats": None,
    }
    dates = attempt(selectors.stats_range, request.GET.get("start"), request.GET.get("end"))
    if not dates.ok:
        ctx["error"] = dates.error.message
        return ctx
    start, end = dates.value
    ctx.update(start_text=start.isoformat(), end_text=end.isoformat())
    ctx["stats"] = selectors.evaluation_stats(
        scope=scope, start=start, end=end, center_id=ctx["center_id"]
    )
    query = {"start": start, "end": end}
    if ctx["center_id"]:
        query["center"] = ctx["center_id"]
    ctx["export_query"] = urlencode(query)
    return ctx


def _pct_chart(rows, title, desc):
    items = [(r.label, r.satisfaction_pct, None, "") for r in rows if r.total]
    return stats_charts.bar_chart(items, unit="%", title=title, desc=desc)


def _charts(s) -> dict:
    return {
        "month_chart": _pct_chart(
            s.by_month,
            "各月满意度",
            "每月实际评价中“满意”及以上所占比例（%），默认好评和申诉成立的差评不计入。",
        ),
        "dept_chart": _pct_chart(
            s.by_department[:12], "各部门满意度", "各部门实际评价中“满意”及以上所占比例（%）。"
        ),
        "level_chart": stats_charts.bar_chart(
            [(label, float(n), None, "low" if lv <= 2 else "") for lv, label, n in s.by_level],
            unit="条",
            title="评价等级分布",
            desc="实际评价（不含默认好评和申诉成立的差评）按五个等级的条数。",
        ),
    }


@login_required
def stats(request):
    ctx = _stats_context(request)
    if ctx["stats"] is not None:
        ctx.update(_charts(ctx["stats"]))
    return render(request, "evaluation/stats.html", ctx, status=400 if ctx["error"] else 200)


@login_required
def stats_export(request):
    ctx = _stats_context(request)
    s = ctx["stats"]
    if s is None:
        return render(request, "evaluation/stats.html", ctx, status=400)
    return xlsx.response(stats_workbook(s), f"好差评统计-{s.start:%Y-%m-%d}至{s.end:%Y-%m-%d}.xlsx")
