"""Complaint statistics: the hot topics (热点诉求) of a period against the one before,
and the complaints of the last six months, for the reader's scope."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from onewindow.complaints import selectors, selectors_pages
from onewindow.planning import charts as stats_charts


def _date(raw, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except (TypeError, ValueError):
        return default


def _period(request) -> tuple[dt.date, dt.date, str]:
    today = timezone.localdate()
    default_start = today - dt.timedelta(days=selectors.HOT_DAYS - 1)
    start = _date(request.GET.get("start"), default_start)
    end = _date(request.GET.get("end"), today)
    if end < start or (end - start).days > 366:
        error = (
            f"日期范围不正确（起始不晚于截止，且不超过一年），已显示最近{selectors.HOT_DAYS}天。"
        )
        return default_start, today, error
    return start, end, ""


def _charts(hot) -> dict:
    return {
        "chart": stats_charts.bar_chart(
            [
                (t.word, t.count, t.previous, "high" if t.trend in ("up", "new") else "")
                for t in hot.words
            ],
            title="热点诉求（本期件数，横线为上期）",
            desc="本期各主题词出现的投诉件数，横线标出上一同长时段的件数。",
            unit="件",
        ),
        "months_chart": stats_charts.bar_chart(
            [(label, n, None, "") for label, n in hot.months],
            title="近六个月投诉建议件数",
            desc="每月登记的投诉建议件数（重复投诉不重复计）。",
            unit="件",
        ),
    }


@login_required
def hot_topics(request):
    start, end, error = _period(request)
    department_id = request.GET.get("department", "")
    department_id = int(department_id) if department_id.isdigit() else None
    period = selectors.Period(start, end)
    hot = selectors.hot_topics(scope=request.scope, period=period, department_id=department_id)
    return render(
        request,
        "complaints/staff/hot.html",
        {
            "hot": hot,
            **_charts(hot),
            "start": start,
            "end": end,
            "error": error,
            "departments": selectors_pages.scope_departments(request.scope),
            "department_id": department_id,
            "can_register": selectors_pages.registers(request.user),
        },
    )
