"""The statistics through the API at /api/v1/statistics/ (R-SUP-2, R-SUP-4, R-HALL-2):
case statistics, the hall's figures and the departments' indicators of a month as JSON,
each with its Excel download beside it (``…/export``, the same workbook as the page's,
with the same sign-in as the rest of the API).

The same selectors and the same checks as the pages (``case_stats.read``,
``hall.stats``, ``assessment.read``; without the right, or for a center outside the
caller's scope, 404); a machine client (``X-Api-Key``, a provincial system) reads them
for its region; a bad date range is a 422 in the API's error shape."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.http import Http404
from ninja import Query, Router, Schema

from onewindow.core import xlsx
from onewindow.core.api import AUTH_WITH_CLIENTS, is_machine, request_scope
from onewindow.core.errors import InvalidInput
from onewindow.core.paging import MAX_ID
from onewindow.core.roles import may
from onewindow.oversight.exports.case_stats import case_stats_workbook
from onewindow.oversight.exports.hall import stats_workbook
from onewindow.oversight.exports.indicators import indicators_workbook
from onewindow.oversight.indicators import indicator_report, parse_month, report_centers
from onewindow.oversight.selectors import hall as hall_sel
from onewindow.oversight.selectors.case_stats import CHANNELS, GROUPS, case_stats

router = Router(tags=["统计"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_ANSWER = {
    "responses": {
        200: {
            "description": "Excel 工作簿",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
DAY = r"^\d{4}-\d{2}-\d{2}$"
Start = Query(None, max_length=20, description="起始日期 YYYY-MM-DD（缺省为截止日期前30天）")
End = Query(None, max_length=20, description="截止日期 YYYY-MM-DD（缺省为今天）")
CenterId = Query(None, ge=1, le=MAX_ID, description="服务中心（缺省为可见范围内全部）")
Month = Query(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="月份 YYYY-MM（缺省为本月）")


def _require(request, activity: str) -> None:
    """The page's right; a machine client (a provincial system) reads its region's."""
    if not is_machine(request) and not may(request.user, activity):
        raise Http404


# --- case statistics ---------------------------------------------------------------------------


class CaseStatChannelOut(Schema):
    channel: str
    label: str
    received: int


class CaseStatRowOut(Schema):
    key: str | None
    label: str
    received: int
    decided: int
    dated: int
    on_time: int
    on_time_rate: float | None
    channels: list[CaseStatChannelOut]


class CaseStatGroupOut(Schema):
    group: str
    title: str
    rows: list[CaseStatRowOut]


class CaseStatsOut(Schema):
    start: date
    end: date
    center_id: int | None
    total: CaseStatRowOut
    groups: list[CaseStatGroupOut]
    by_month: list[CaseStatRowOut]
    export_url: str


def _stat_row(r) -> dict:
    return {
        "key": None if r.key is None else str(r.key),
        "label": r.label,
        "received": r.received,
        "decided": r.decided,
        "dated": r.dated,
        "on_time": r.on_time,
        "on_time_rate": r.on_time_rate,
        "channels": [
            {"channel": c, "label": label, "received": r.channels.get(c, 0)}
            for c, label in CHANNELS
        ],
    }


def _case_stats(request, start, end, center_id):
    _require(request, "case_stats.read")
    scope = request_scope(request)
    if center_id is not None and not report_centers(scope=scope).filter(pk=center_id).exists():
        raise Http404
    start, end = hall_sel.stats_range(start, end)
    return case_stats(scope=scope, start=start, end=end, center_id=center_id), center_id


@router.get(
    "/cases",
    response=CaseStatsOut,
    auth=AUTH_WITH_CLIENTS,
    summary="办件统计：收件、渠道、按时办结",
)
def case_statistics(
    request, start: str | None = Start, end: str | None = End, center_id: int | None = CenterId
):
    s, center_id = _case_stats(request, start, end, center_id)
    query = {"start": s.start, "end": s.end, **({"center_id": center_id} if center_id else {})}
    return {
        "start": s.start,
        "end": s.end,
        "center_id": center_id,
        "total": _stat_row(s.total),
        "groups": [
            {"group": g, "title": title, "rows": [_stat_row(r) for r in s.by[g]]}
            for g, (title, _k, _n) in GROUPS.items()
        ],
        "by_month": [_stat_row(r) for r in s.by_month],
        "export_url": f"{request.path.rstrip('/')}/export?{urlencode(query)}",
    }


@router.get(
    "/cases/export", auth=AUTH_WITH_CLIENTS, summary="办件统计 Excel", openapi_extra=EXCEL_ANSWER
)
def case_statistics_export(
    request, start: str | None = Start, end: str | None = End, center_id: int | None = CenterId
):
    s, _center = _case_stats(request, start, end, center_id)
    return xlsx.response(
        case_stats_workbook(s), f"办件统计-{s.start:%Y-%m-%d}至{s.end:%Y-%m-%d}.xlsx"
    )


# --- the hall ----------------------------------------------------------------------------------


class HallDurationOut(Schema):
    count: int
    mean_seconds: float | None
    p90_seconds: float | None
    total_seconds: float


class HallStatRowOut(Schema):
    key: str | None
    label: str
    issued: int
    served: int
    no_show: int | None
    cancelled: int | None
    open: int | None
    priority: int | None
    transferred: int | None
    wait: HallDurationOut
    service: HallDurationOut
    share: float | None
    ratio: float | None
    flag: str
    flag_label: str


class HallBalanceOut(Schema):
    mean_seconds: float | None
    cv: float | None
    threshold: float


class HallStatsOut(Schema):
    center_id: int
    center: str
    start: date
    end: date
    total: HallStatRowOut
    categories: list[HallStatRowOut]
    windows: list[HallStatRowOut]
    hours: list[HallStatRowOut]
    clerks: list[HallStatRowOut]
    balance: HallBalanceOut
    days_with_tickets: int | None
    export_url: str


def _duration(s) -> dict:
    return {
        "count": s.count,
        "mean_seconds": s.mean,
        "p90_seconds": s.p90,
        "total_seconds": s.total,
    }


def _hall_row(r) -> dict:
    return {
        "key": None if r.key is None else str(r.key),
        "label": r.label,
        "issued": r.issued,
        "served": r.served,
        "no_show": r.no_show,
        "cancelled": r.cancelled,
        "open": r.open,
        "priority": r.priority,
        "transferred": r.transferred,
        "wait": _duration(r.wait),
        "service": _duration(r.service),
        "share": r.share,
        "ratio": r.ratio,
        "flag": r.flag,
        "flag_label": r.flag_label,
    }


def _hall_stats(request, start, end, center_id):
    _require(request, "hall.stats")
    scope = request_scope(request)
    if center_id is not None:
        center = hall_sel.stats_center_get(scope=scope, center_id=center_id)
    else:
        center = hall_sel.stats_default_center(user=request.user, scope=scope)
    start, end = hall_sel.stats_range(start, end)
    if center is None:
        raise InvalidInput(
            "stats.no_center", "没有可统计的服务中心。", {"center_id": "请选择中心。"}
        )
    return hall_sel.hall_stats(scope=scope, center_id=center.pk, start=start, end=end)


@router.get(
    "/hall",
    response=HallStatsOut,
    auth=AUTH_WITH_CLIENTS,
    summary="大厅统计：取号、等候、办理、窗口负荷",
)
def hall_statistics(
    request, start: str | None = Start, end: str | None = End, center_id: int | None = CenterId
):
    s = _hall_stats(request, start, end, center_id)
    query = urlencode({"start": s.start, "end": s.end, "center_id": s.center.pk})
    return {
        "center_id": s.center.pk,
        "center": s.center.name,
        "start": s.start,
        "end": s.end,
        "total": _hall_row(s.total),
        "categories": [_hall_row(r) for r in s.categories],
        "windows": [_hall_row(r) for r in s.windows],
        "hours": [_hall_row(r) for r in s.hours],
        "clerks": [_hall_row(r) for r in s.clerks],
        "balance": {
            "mean_seconds": s.balance.mean,
            "cv": s.balance.cv,
            "threshold": s.balance.threshold,
        },
        "days_with_tickets": s.days_with_tickets,
        "export_url": f"{request.path.rstrip('/')}/export?{query}",
    }


@router.get(
    "/hall/export", auth=AUTH_WITH_CLIENTS, summary="大厅统计 Excel", openapi_extra=EXCEL_ANSWER
)
def hall_statistics_export(
    request, start: str | None = Start, end: str | None = End, center_id: int | None = CenterId
):
    s = _hall_stats(request, start, end, center_id)
    return xlsx.response(
        stats_workbook(s), f"大厅统计-{s.center.name}-{s.start:%Y-%m-%d}至{s.end:%Y-%m-%d}.xlsx"
    )


# --- the departments' indicators --------------------------------------------------------------


class IndicatorDefOut(Schema):
    code: str
    name: str
    formula: str
    source: str
    unit: str
    direction: str
    threshold: float | None


class IndicatorCellOut(Schema):
    code: str
    value: float | None
    numerator: float
    denominator: int
    threshold: float | None
    below: bool


class IndicatorRowOut(Schema):
    kind: str
    label: str
    id: int | None
    shortfalls: int
    cells: list[IndicatorCellOut]


class IndicatorReportOut(Schema):
    month: str
    center_id: int | None
    indicators: list[IndicatorDefOut]
    departments: list[IndicatorRowOut]
    centers: list[IndicatorRowOut]
    total: IndicatorRowOut | None
    export_url: str


def indicator_row(row) -> dict:
    return {
        "kind": row.kind,
        "label": row.label,
        "id": getattr(row.obj, "pk", None),
        "shortfalls": row.shortfalls,
        "cells": [
            {
                "code": c.indicator.code,
                "value": c.value,
                "numerator": c.figure.num,
                "denominator": c.figure.den,
                "threshold": c.threshold,
                "below": c.below,
            }
            for c in row.cells
        ],
    }


def _report(request, month, center_id):
    _require(request, "assessment.read")
    scope = request_scope(request)
    if center_id is not None and not report_centers(scope=scope).filter(pk=center_id).exists():
        raise Http404
    return indicator_report(scope=scope, month=parse_month(month), center_id=center_id)


@router.get(
    "/indicators",
    response=IndicatorReportOut,
    auth=AUTH_WITH_CLIENTS,
    summary="部门考核指标（一个月）",
)
def indicators(request, month: str | None = Month, center_id: int | None = CenterId):
    report = _report(request, month, center_id)
    query = {"month": f"{report.month:%Y-%m}", **({"center_id": center_id} if center_id else {})}
    return {
        "month": f"{report.month:%Y-%m}",
        "center_id": report.center.pk if report.center else None,
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "formula": i.formula,
                "source": i.source,
                "unit": i.unit,
                "direction": i.direction,
                "threshold": report.thresholds.get(i.code),
            }
            for i in report.indicators
        ],
        "departments": [indicator_row(r) for r in report.departments],
        "centers": [indicator_row(r) for r in report.centers],
        "total": indicator_row(report.total) if report.total else None,
        "export_url": f"{request.path.rstrip('/')}/export?{urlencode(query)}",
    }


@router.get(
    "/indicators/export",
    auth=AUTH_WITH_CLIENTS,
    summary="部门考核指标 Excel",
    openapi_extra=EXCEL_ANSWER,
)
def indicators_export(request, month: str | None = Month, center_id: int | None = CenterId):
    report = _report(request, month, center_id)
    return xlsx.response(indicators_workbook(report), f"部门考核指标-{report.month:%Y-%m}.xlsx")
