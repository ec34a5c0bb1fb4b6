"""The leaders' figures through the API (R-SUP-2, R-SUP-3, R-SUP-4): the dashboard of a
node of the network (``?node=r12``, ``c3``, ``d7``, ``w9``, drilled down as on the
page), the monthly reports of a node (the months offered, the report's figures, its PDF
or Excel), the assessment of the lower levels of a month and the accountability list
(only for who may read it: the supervisors).

The same selectors as the pages (``dashboard``, ``monthly_report``, ``levels``,
``accountability``) and the same rights (``dashboard.view``, ``levels.read``,
``accountability.read``: without them 404); a node outside the caller's scope is 404."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404, HttpResponse
from ninja import Path, Query, Router, Schema

from onewindow.core import xlsx
from onewindow.core.api import AUTH, request_scope
from onewindow.core.paging import MAX_ID
from onewindow.core.roles import may
from onewindow.core.xlsx import content_disposition
from onewindow.oversight.api_statistics import XLSX, IndicatorRowOut, indicator_row
from onewindow.oversight.exports.monthly import monthly_pdf, monthly_workbook
from onewindow.oversight.indicators import parse_month
from onewindow.oversight.selectors import levels as levels_sel
from onewindow.oversight.selectors.accountability import accountability_list
from onewindow.oversight.selectors.dashboard import dashboard, node_get
from onewindow.oversight.selectors.monthly_report import monthly_report

router = Router(tags=["领导驾驶舱与考核"])

NodeParam = Query(
    None,
    pattern=r"^[rcdw]\d{1,12}$",
    description="层级：r地区、c中心、d部门、w窗口 + 编号（缺省为本人范围的顶层）",
)
Month = Query(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="月份 YYYY-MM")


def _need(request, activity: str) -> None:
    if not may(request.user, activity):
        raise Http404


class BoardNodeOut(Schema):
    node: str
    kind: str
    kind_label: str
    label: str


def _node(n) -> dict:
    return {"node": n.param, "kind": n.kind, "kind_label": n.kind_label, "label": n.label}


class BoardHallOut(Schema):
    waiting: int
    longest_wait_minutes: int | None
    windows_open: int
    served_today: int


class BoardCasesOut(Schema):
    running: int
    warned: int
    overdue: int
    received_month: int


class BoardReviewsOut(Schema):
    total: int
    good: int
    bad: int
    open_rectifications: int
    satisfaction: str


class BoardComplaintsOut(Schema):
    received_month: int
    open: int
    overdue: int


class BoardIndicatorOut(Schema):
    code: str
    name: str
    value: float | None
    threshold: float | None
    below: bool
    trend: list[float | None]


class BoardOut(Schema):
    node: BoardNodeOut
    trail: list[BoardNodeOut]
    children: list[BoardNodeOut]
    month: str
    hall: BoardHallOut
    cases: BoardCasesOut
    reviews: BoardReviewsOut
    complaints: BoardComplaintsOut
    indicators: list[BoardIndicatorOut]
    now: datetime | None


def _node_of(request, node):
    return node_get(scope=request_scope(request), param=node or "")


@router.get("/dashboard", response=BoardOut, auth=AUTH, summary="领导驾驶舱：一个层级的全部数字")
def board(request, node: str | None = NodeParam):
    _need(request, "dashboard.view")
    b = dashboard(scope=request_scope(request), node=_node_of(request, node))
    return {
        "node": _node(b.node),
        "trail": [_node(n) for n in b.trail],
        "children": [_node(n) for n in b.children],
        "month": f"{b.month:%Y-%m}",
        "hall": vars(b.hall),
        "cases": vars(b.cases),
        "reviews": {
            "total": b.reviews.total,
            "good": b.reviews.good,
            "bad": b.reviews.bad,
            "open_rectifications": b.reviews.open_rectifications,
            "satisfaction": b.reviews.satisfaction,
        },
        "complaints": vars(b.complaints),
        "indicators": [
            {
                "code": r.cell.indicator.code,
                "name": r.cell.indicator.name,
                "value": r.cell.value,
                "threshold": r.cell.threshold,
                "below": r.cell.below,
                "trend": [c.value for c in r.trend],
            }
            for r in b.indicators
        ],
        "now": b.now,
    }


class MonthlyReportRefOut(Schema):
    month: str
    pdf_url: str
    xlsx_url: str


@router.get(
    "/monthly-reports",
    response=list[MonthlyReportRefOut],
    auth=AUTH,
    summary="一个层级可生成的月报（近12个月）",
)
def monthly_reports(request, node: str | None = NodeParam):
    _need(request, "dashboard.view")
    n = _node_of(request, node)
    if n.kind == "w":
        return []
    b = dashboard(scope=request_scope(request), node=n)
    base = request.path.rstrip("/")
    months = [b.last_month]
    while len(months) < 12:
        m = months[-1]
        months.append(date(m.year - (m.month == 1), (m.month - 2) % 12 + 1, 1))
    return [
        {
            "month": f"{m:%Y-%m}",
            "pdf_url": f"{base}/{m:%Y-%m}?node={n.param}&format=pdf",
            "xlsx_url": f"{base}/{m:%Y-%m}?node={n.param}&format=xlsx",
        }
        for m in months
    ]


class MonthlyReportOut(Schema):
    node: BoardNodeOut
    month: str
    departments: list[IndicatorRowOut]
    total: IndicatorRowOut | None
    received: int
    on_time_rate: float | None
    reviews: int
    good: int
    bad: int
    satisfaction: str
    complaints: int
    complaints_overdue: int


REPORT_ANSWER = {
    "responses": {
        200: {
            "description": "月报：format=json（缺省）、pdf 或 xlsx",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/MonthlyReportOut"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


@router.get(
    "/monthly-reports/{month}",
    response=MonthlyReportOut,
    auth=AUTH,
    summary="一个层级的月报（数字，或 PDF、Excel）",
    openapi_extra=REPORT_ANSWER,
)
def monthly(
    request,
    month: str = Path(..., pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="月份 YYYY-MM"),
    node: str | None = NodeParam,
    format: str = Query("json", pattern="^(json|pdf|xlsx)$"),  # noqa: A002
):
    _need(request, "dashboard.view")
    n = _node_of(request, node)
    report = monthly_report(scope=request_scope(request), node=n, month=parse_month(month))
    if format == "xlsx":
        return xlsx.response(monthly_workbook(report), f"{report.title}.xlsx")
    if format == "pdf":
        out = HttpResponse(monthly_pdf(report), content_type="application/pdf")
        out["Content-Disposition"] = content_disposition(f"{report.title}.pdf", attachment=False)
        return out
    cases = report.cases
    return {
        "node": _node(n),
        "month": f"{report.month:%Y-%m}",
        "departments": [indicator_row(r) for r in report.departments],
        "total": indicator_row(report.total) if report.total else None,
        "received": cases.total.received if cases else 0,
        "on_time_rate": cases.total.on_time_rate if cases else None,
        "reviews": report.reviews,
        "good": report.good,
        "bad": report.bad,
        "satisfaction": report.satisfaction,
        "complaints": report.complaints,
        "complaints_overdue": report.complaints_overdue,
    }


class LevelPartOut(Schema):
    code: str
    name: str
    weight: float
    value: float | None
    text: str
    points: float | None


class LevelUnitOut(Schema):
    unit_id: int
    unit: str
    rank: int
    score: float | None
    parts: list[LevelPartOut]


class LevelTableOut(Schema):
    assessor_id: int
    assessor: str
    month: str
    published: bool
    rows: list[LevelUnitOut]


@router.get(
    "/levels", response=LevelTableOut, auth=AUTH, summary="对下级的考核：一个月的得分与排名"
)
def levels(
    request,
    region_id: int | None = Query(None, ge=1, le=MAX_ID, description="考核方（地区）"),
    month: str | None = Month,
):
    _need(request, "levels.read")
    scope = request_scope(request)
    if not levels_sel.assessors(scope=scope):
        raise Http404
    t = levels_sel.month_table(
        scope=scope,
        region_id=region_id,
        month=parse_month(month, default=levels_sel.last_finished_month()),
    )
    return {
        "assessor_id": t.assessor.pk,
        "assessor": t.assessor.name,
        "month": f"{t.month:%Y-%m}",
        "published": t.published is not None,
        "rows": [
            {
                "unit_id": u.unit.pk,
                "unit": u.unit.name,
                "rank": u.rank,
                "score": u.score,
                "parts": [
                    {
                        "code": p.measure.code,
                        "name": p.measure.name,
                        "weight": p.weight,
                        "value": p.value,
                        "text": p.text,
                        "points": p.points,
                    }
                    for p in u.parts
                ],
            }
            for u in t.rows
        ],
    }


class AccountabilityRecordOut(Schema):
    label: str
    url: str


class AccountabilityEntryOut(Schema):
    kind: str
    kind_label: str
    subject: str
    department: str
    count: int
    note: str
    records: list[AccountabilityRecordOut]


class AccountabilityOut(Schema):
    month: str
    not_measured: str
    entries: list[AccountabilityEntryOut]


@router.get(
    "/accountability",
    response=AccountabilityOut,
    auth=AUTH,
    summary="问责线索清单（不作为、乱作为、慢作为；仅督查人员）",
)
def accountability(request, month: str | None = Month):
    _need(request, "accountability.read")
    found = accountability_list(scope=request_scope(request), month=parse_month(month))
    return {
        "month": f"{found.month:%Y-%m}",
        "not_measured": found.not_measured,
        "entries": [
            {
                "kind": e.kind.code,
                "kind_label": e.kind.label,
                "subject": e.subject,
                "department": e.department,
                "count": e.count,
                "note": e.note,
                "records": [{"label": label, "url": url} for label, url in e.records],
            }
            for e in found.entries
        ],
    }
