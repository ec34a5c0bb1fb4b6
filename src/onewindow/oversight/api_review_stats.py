"""The evaluation's statistics through the API at /api/v1/statistics/reviews (R-EVAL-3):
satisfaction and bad-review rates by center, department, staff, window, matter,
channel, kind and month, the levels, the reasons and words of bad reviews, the open and
overdue rectifications — and the page's Excel beside it (``…/export``).

The same selector and checks as the page (``evaluation.selectors.evaluation_stats``;
staff only, a center outside the caller's scope 404; a bad date range a 422); a machine
client (a provincial 好差评 system, ``X-Api-Key``) reads its region's figures."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import Query, Router, Schema

from onewindow.core import xlsx
from onewindow.core.api import AUTH_WITH_CLIENTS, is_machine, request_scope
from onewindow.core.paging import MAX_ID
from onewindow.evaluation import selectors, selectors_pages
from onewindow.oversight.api_statistics import EXCEL_ANSWER
from onewindow.oversight.exports.evaluation import stats_workbook

router = Router(tags=["统计"])

Start = Query(None, max_length=20, description="起始日期 YYYY-MM-DD（缺省为截止日期前90天）")
End = Query(None, max_length=20, description="截止日期 YYYY-MM-DD（缺省为今天）")
CenterId = Query(None, ge=1, le=MAX_ID, description="服务中心（缺省为可见范围内全部）")


class ReviewStatRowOut(Schema):
    label: str
    total: int
    good: int
    bad: int
    defaults: int
    excluded: int
    reported: int
    on_time: int
    satisfaction_pct: float | None
    bad_pct: float | None
    on_time_pct: float | None


class ReviewLevelOut(Schema):
    level: int
    label: str
    count: int


class ReviewWordOut(Schema):
    text: str
    count: int


class ReviewStatsOut(Schema):
    start: date
    end: date
    total: ReviewStatRowOut
    by_center: list[ReviewStatRowOut]
    by_department: list[ReviewStatRowOut]
    by_staff: list[ReviewStatRowOut]
    by_window: list[ReviewStatRowOut]
    by_matter: list[ReviewStatRowOut]
    by_channel: list[ReviewStatRowOut]
    by_kind: list[ReviewStatRowOut]
    by_month: list[ReviewStatRowOut]
    by_level: list[ReviewLevelOut]
    top_reasons: list[ReviewWordOut]
    top_words: list[ReviewWordOut]
    open_rectifications: int
    overdue_rectifications: int


GROUPS = (
    "by_center",
    "by_department",
    "by_staff",
    "by_window",
    "by_matter",
    "by_channel",
    "by_kind",
    "by_month",
)


def _row(r) -> dict:
    return {
        **{name: getattr(r, name) for name in ReviewStatRowOut.model_fields},
        "label": str(r.label),
    }


def _stats(request, start, end, center_id):
    user = request.user
    if not is_machine(request) and not (user.is_superuser or getattr(user, "staff_profile", None)):
        raise Http404
    scope = request_scope(request)
    if center_id is not None and not selectors_pages.scope_centers(scope).filter(pk=center_id):
        raise Http404
    start, end = selectors.stats_range(start, end)
    return selectors.evaluation_stats(scope=scope, start=start, end=end, center_id=center_id)


@router.get(
    "/reviews",
    response=ReviewStatsOut,
    auth=AUTH_WITH_CLIENTS,
    summary="好差评统计：满意率、差评率，按中心、部门、人员、窗口、事项、渠道、月份",
)
def review_statistics(
    request, start: str | None = Start, end: str | None = End, center_id: int | None = CenterId
):
    s = _stats(request, start, end, center_id)
    return {
        "start": s.start,
        "end": s.end,
        "total": _row(s.total),
        **{group: [_row(r) for r in getattr(s, group)] for group in GROUPS},
        "by_level": [{"level": lv, "label": label, "count": n} for lv, label, n in s.by_level],
        "top_reasons": [{"text": t, "count": n} for t, n in s.top_reasons],
        "top_words": [{"text": t, "count": n} for t, n in s.top_words],
        "open_rectifications": s.open_rectifications,
        "overdue_rectifications": s.overdue_rectifications,
    }


@router.get(
    "/reviews/export",
    auth=AUTH_WITH_CLIENTS,
    summary="好差评统计 Excel",
    openapi_extra=EXCEL_ANSWER,
)
def review_statistics_export(
    request, start: str | None = Start, end: str | None = End, center_id: int | None = CenterId
):
    s = _stats(request, start, end, center_id)
    return xlsx.response(stats_workbook(s), f"好差评统计-{s.start:%Y-%m-%d}至{s.end:%Y-%m-%d}.xlsx")
