"""Window planning through the API at /api/v1/hall/planning… (R-HALL-4): a center's plan
of a day (the forecast, the windows' categories per half hour against today's set-up,
the what-ifs at the peak, the forecast against what happened, the coming days), the
live suggestion and its application, and the roster of clerks per half hour (排班).

The same selectors and services as the planning page (``oversight.selectors.planning``
and ``planning_panels``; ``hall.services.window_set_categories`` and
``oversight.services.planning.roster_set``, both audited). Who may not read the plan
(``planning.view``), like the page, finds nothing (404); a write without
``planning.apply`` is refused (403); a center or window outside the caller's scope is
404; bad input a 422 that changes nothing. An unbounded wait (no window serves the
category) is ``null`` with the page's text "∞"."""

from __future__ import annotations

import datetime as dt
import math
from datetime import date, datetime
from typing import Annotated

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from onewindow.core.api import AUTH, request_scope
from onewindow.core.errors import Forbidden, InvalidInput
from onewindow.core.paging import MAX_ID
from onewindow.core.roles import may
from onewindow.hall import services as hall_services
from onewindow.oversight.selectors import planning as sel
from onewindow.oversight.selectors import planning_panels as panels
from onewindow.oversight.selectors.planning_roster import SOURCE_LABELS, center_roster
from onewindow.oversight.services import planning as planning_services
from onewindow.planning import plan as pl

router = Router(tags=["窗口调度"])

CenterParam = Query(None, ge=1, le=MAX_ID, description="服务中心（缺省为本人所在中心）")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
HALF_HOUR = r"^([01]\d|2[0-3]):(00|30)$"
DayParam = Query(None, description="日期 YYYY-MM-DD（2000–2100 年；缺省今天）")


def finite(value: float | None) -> float | None:
    """A figure as the API writes it: an unbounded or undefined one is null."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _need_view(request) -> None:
    if not may(request.user, "planning.view"):
        raise Http404


def _center(request, center_id: int | None):
    scope = request_scope(request)
    if center_id is not None:
        return sel.planning_center_get(scope=scope, center_id=center_id)
    center = sel.planning_default_center(user=request.user, scope=scope)
    if center is None:
        raise Http404
    return center


def _target(within: float, share: float) -> pl.Target:
    """The target as the page's fields give it (the bounds are the parameters')."""
    return pl.Target(within_min=within, share=share / 100)


# --- answers -----------------------------------------------------------------------------------


class PlanningCenterOut(Schema):
    id: int
    name: str


class PlanningTargetOut(Schema):
    within_min: float = Field(..., description="叫号目标：等候分钟数")
    share_percent: float = Field(..., description="叫号目标：在目标分钟内被叫号的比例（%）")
    label: str


class PlanningCategoryOut(Schema):
    id: int
    letter: str
    name: str
    label: str
    issued: int = Field(..., description="历史取号数")
    no_show: int = Field(..., description="其中过号未到")
    no_show_rate: float | None
    served: int = Field(..., description="有办理时长的已办结号数")
    median_min: float | None = Field(..., description="办理时长中位数（分钟）")
    spread_min: float | None = Field(..., description="办理时长四分位距（分钟）")
    mean_min: float = Field(..., description="模型所用的平均办理时长（分钟）")


class PlanningClerkOut(Schema):
    label: str
    served: int
    median_min: float
    spread_min: float | None


class PlanningCellOut(Schema):
    category_id: int
    arrivals_per_hour: float = Field(..., description="预计每小时到号（已扣除过号未到）")
    wait_min: float | None = Field(..., description="推荐方案的平均等候（分钟；null 为无窗口办理）")
    today_wait_min: float | None = Field(..., description="按今日窗口设置的平均等候")
    text: str = Field(..., description="热力图推荐方案一格的文字")
    level: str = Field(..., description="ok / warn / over / none")
    today_text: str
    today_level: str


class PlanningSlotOut(Schema):
    start: str = Field(..., description="时段开始 HH:MM（每半小时）")
    people: float = Field(..., description="预计本时段到号人数")
    clerks: int = Field(..., description="排班在岗人数")
    roster_source: str = Field(..., description="set / sign_ins / now")
    roster_source_label: str
    opened: int = Field(..., description="推荐开放的窗口数")
    changes: int = Field(..., description="与上一时段相比调整的窗口数")
    fewest_windows: int | None
    worst_within: float = Field(..., description="推荐方案：最差类别的按时叫号比例（0–1）")
    today_worst_within: float | None = Field(..., description="今日设置：最差类别的按时比例")
    simulated_worst_within: float | None = Field(..., description="仿真核验的最差按时比例")
    meets: bool
    cells: list[PlanningCellOut]


class PlanningWindowOut(Schema):
    window_id: int
    label: str
    today: str = Field(..., description="今日办理的类别字母（— 为不开放）")
    slots: list[str] = Field(..., description="各时段推荐办理的类别字母")


class PlanningWhatIfOut(Schema):
    key: str = Field(..., description="recommended / one_clerk_less / one_more_window / …")
    label: str
    worst_within: float
    wait_per_person_min: float | None
    meets: bool


class PlanningForecastDayOut(Schema):
    day: date
    forecast: float
    actual: float


class PlanningForecastOut(Schema):
    category: str
    error: float | None = Field(..., description="回测的平均绝对百分比误差（0–1）")
    days: list[PlanningForecastDayOut]


class PlanningComingDayOut(Schema):
    day: date
    pattern: str
    people: float


class PlanningDayOut(Schema):
    center: PlanningCenterOut
    day: date
    basis: str = Field(..., description="预测依据")
    target: PlanningTargetOut
    churn_points: float = Field(..., description="调整一个窗口的代价（百分点）")
    history_days: int
    history_has_days: bool
    roster: str = Field(..., description="在岗人数的来源")
    peak: str | None = Field(..., description="高峰时段")
    changes: int = Field(..., description="全天相邻时段之间调整窗口的次数")
    by_sweep: bool = Field(..., description="方案由后台定时预先计算")
    computed_at: datetime | None
    seconds: float
    categories: list[PlanningCategoryOut]
    clerks: list[PlanningClerkOut]
    slots: list[PlanningSlotOut]
    windows: list[PlanningWindowOut]
    what_ifs: list[PlanningWhatIfOut]
    forecast: list[PlanningForecastOut]
    coming: list[PlanningComingDayOut]


def _category(c) -> dict:
    return {
        "id": c.id,
        "letter": c.letter,
        "name": c.name,
        "label": c.label,
        "issued": c.issued,
        "no_show": c.no_show,
        "no_show_rate": c.no_show_rate,
        "served": len(c.service),
        "median_min": c.median,
        "spread_min": c.spread,
        "mean_min": c.mean,
    }


def _slot(dp, i, s, heat) -> dict:
    plan, today = s.plan, s.plan.today_figures
    cells = []
    for c in dp.history.categories:
        rec, now = heat[c.index].recommended[i], heat[c.index].today[i]
        cells.append(
            {
                "category_id": c.id,
                "arrivals_per_hour": s.demands[c.index].arrivals_per_hour,
                "wait_min": finite(plan.figures.wait[c.index]),
                "today_wait_min": finite(today.wait[c.index]) if today else None,
                "text": rec.text,
                "level": rec.level,
                "today_text": now.text,
                "today_level": now.level,
            }
        )
    return {
        "start": s.label,
        "people": s.people,
        "clerks": s.clerks,
        "roster_source": s.roster_source,
        "roster_source_label": SOURCE_LABELS.get(s.roster_source, ""),
        "opened": s.opened,
        "changes": plan.changes,
        "fewest_windows": plan.fewest_windows,
        "worst_within": plan.figures.worst_within,
        "today_worst_within": today.worst_within if today else None,
        "simulated_worst_within": plan.simulated.worst_within if plan.simulated else None,
        "meets": plan.meets,
        "cells": cells,
    }


def day_out(dp, center) -> dict:
    heat = panels.heat_rows(dp)
    return {
        "center": {"id": center.pk, "name": center.name},
        "day": dp.day,
        "basis": dp.basis,
        "target": {
            "within_min": dp.target.within_min,
            "share_percent": round(dp.target.share * 100, 6),
            "label": dp.target.label(),
        },
        "churn_points": round(dp.churn.share * 100, 6),
        "history_days": sel.HISTORY_DAYS,
        "history_has_days": bool(dp.history.days),
        "roster": dp.roster.label if dp.roster else "—",
        "peak": dp.peak.label if dp.peak else None,
        "changes": dp.changes,
        "by_sweep": dp.by_sweep,
        "computed_at": dp.computed_at,
        "seconds": dp.seconds,
        "categories": [_category(c) for c in dp.history.categories],
        "clerks": [
            {
                "label": c.label,
                "served": len(c.service),
                "median_min": c.median,
                "spread_min": c.spread,
            }
            for c in dp.history.clerks
        ],
        "slots": [_slot(dp, i, s, heat) for i, s in enumerate(dp.slots)],
        "windows": [
            {"window_id": w.pk, "label": row.label, "today": row.today, "slots": row.slots}
            for w, row in zip(dp.setup.windows, panels.window_rows(dp), strict=True)
        ],
        "what_ifs": [
            {
                "key": w.key,
                "label": w.label,
                "worst_within": w.worst_within,
                "wait_per_person_min": finite(w.total_wait_per_person),
                "meets": w.meets,
            }
            for w in panels.what_if_rows(dp)
        ],
        "forecast": [
            {
                "category": r.label,
                "error": finite(r.error),
                "days": [
                    {"day": d, "forecast": p, "actual": a}
                    for d, (p, a) in zip(dp.history.backtest.days, r.days, strict=False)
                ],
            }
            for r in panels.forecast_rows(dp.history)
        ],
        "coming": [
            {"day": d, "pattern": label, "people": total}
            for d, label, total in panels.coming_days(dp.history, timezone.localdate())
        ],
    }


@router.get("/planning", response=PlanningDayOut, auth=AUTH, summary="窗口调度：一天的方案与假设")
def day_plan(
    request,
    center_id: int | None = CenterParam,
    day: date | None = DayParam,
    within: float = Query(15, ge=1, le=240, description="叫号目标：分钟数（1–240）"),
    share: float = Query(80, ge=1, le=99, description="叫号目标：比例 %（1–99）"),
    churn: float = Query(2, ge=0, le=20, description="调整一个窗口的代价：百分点（0–20）"),
):
    _need_view(request)
    center = _center(request, center_id)
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput("planning.bad_date", "日期应在2000年至2100年之间。", {"day": "超出范围"})
    dp = sel.day_plan(
        scope=request_scope(request),
        center_id=center.pk,
        day=day or timezone.localdate(),
        target=_target(within, share),
        churn=sel.churn_from(f"{churn:g}"),
    )
    return day_out(dp, center)


# --- the live suggestion and its application ---------------------------------------------------


class PlanningLiveRowOut(Schema):
    category_id: int
    label: str
    wait: str = Field(..., description="预计等候（分钟；∞ 为无窗口办理）")
    wait_min: float | None
    waiting: int = Field(..., description="正在等候的人数")


class PlanningCategoryRefOut(Schema):
    id: int
    letter: str
    name: str


class PlanningSuggestionOut(Schema):
    window_id: int
    window: str
    categories: list[PlanningCategoryRefOut]
    before: str
    after: str
    reason: str
    wait_before_min: float | None
    wait_after_min: float | None


class PlanningLiveOut(Schema):
    center: PlanningCenterOut
    target: PlanningTargetOut
    over: bool = Field(..., description="有类别预计超过目标")
    rows: list[PlanningLiveRowOut]
    suggestion: PlanningSuggestionOut | None
    may_apply: bool


def _refs(categories) -> list[dict]:
    return [{"id": c.pk, "letter": c.letter, "name": c.name} for c in categories]


@router.get("/planning/live", response=PlanningLiveOut, auth=AUTH, summary="窗口调度：实时建议")
def live(
    request,
    center_id: int | None = CenterParam,
    within: float = Query(15, ge=1, le=240, description="叫号目标：分钟数（1–240）"),
    share: float = Query(80, ge=1, le=99, description="叫号目标：比例 %（1–99）"),
):
    _need_view(request)
    center = _center(request, center_id)
    target = _target(within, share)
    rows, suggestion, over = sel.live_suggestion(
        scope=request_scope(request), center_id=center.pk, target=target
    )
    return {
        "center": {"id": center.pk, "name": center.name},
        "target": {
            "within_min": target.within_min,
            "share_percent": round(target.share * 100, 6),
            "label": target.label(),
        },
        "over": over,
        "rows": [
            {
                "category_id": c.id,
                "label": c.label,
                "wait": wait,
                "wait_min": None if wait == "∞" else float(wait),
                "waiting": waiting,
            }
            for c, wait, waiting in rows
        ],
        "suggestion": None
        if suggestion is None
        else {
            "window_id": suggestion.window.pk,
            "window": str(suggestion.window),
            "categories": _refs(suggestion.categories),
            "before": suggestion.before,
            "after": suggestion.after,
            "reason": suggestion.reason,
            "wait_before_min": finite(suggestion.wait_before),
            "wait_after_min": finite(suggestion.wait_after),
        },
        "may_apply": may(request.user, "planning.apply"),
    }


class PlanningApplyIn(Schema):
    window_id: int = Field(..., ge=1, le=MAX_ID)
    category_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        ..., min_length=1, max_length=20, description="窗口改为办理的业务类别（本中心）"
    )


class PlanningWindowSetOut(Schema):
    window_id: int
    window: str
    center_id: int
    categories: list[PlanningCategoryRefOut]


def _require_apply(request) -> None:
    if not may(request.user, "planning.apply"):
        raise Forbidden("planning.forbidden", "只有中心管理员可以调整窗口和排班。")


@router.post(
    "/planning/apply", response=PlanningWindowSetOut, auth=AUTH, summary="按建议调整窗口办理类别"
)
def apply(request, payload: PlanningApplyIn):
    window = sel.planning_window_get(scope=request_scope(request), window_id=payload.window_id)
    _require_apply(request)
    categories = sel.planning_categories(window=window, ids=payload.category_ids)
    window = hall_services.window_set_categories(
        actor=request.user, window=window, categories=categories
    )
    return {
        "window_id": window.pk,
        "window": str(window),
        "center_id": window.center_id,
        "categories": _refs(window.categories.order_by("order", "letter")),
    }


# --- the roster -------------------------------------------------------------------------------


class PlanningRosterSlotOut(Schema):
    start: str = Field(..., description="时段开始 HH:MM")
    clerks: int | None = Field(..., description="中心设置的在岗人数（null：按签到记录估计）")


class PlanningRosterOut(Schema):
    center: PlanningCenterOut
    slots: list[PlanningRosterSlotOut]
    may_set: bool


def roster_out(request, center) -> dict:
    starts = sel.roster_starts(scope=request_scope(request), center_id=center.pk)
    chosen = center_roster(center)
    return {
        "center": {"id": center.pk, "name": center.name},
        "slots": [{"start": f"{t:%H:%M}", "clerks": chosen.get(t)} for t in starts],
        "may_set": may(request.user, "planning.apply"),
    }


@router.get(
    "/planning/roster",
    response=PlanningRosterOut,
    auth=AUTH,
    summary="窗口排班（每半小时在岗人数）",
)
def roster(request, center_id: int | None = CenterParam):
    _need_view(request)
    return roster_out(request, _center(request, center_id))


class PlanningRosterSlotIn(Schema):
    start: str = Field(..., pattern=HALF_HOUR, description="时段开始 HH:MM（整点或半点）")
    clerks: int | None = Field(
        ..., ge=0, le=planning_services.MAX_CLERKS, description="在岗人数（null：不设置）"
    )


class PlanningRosterIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    slots: list[PlanningRosterSlotIn] = Field(
        ..., max_length=48, description="各时段的在岗人数；未列出的开放时段清除设置"
    )


@router.put("/planning/roster", response=PlanningRosterOut, auth=AUTH, summary="设置窗口排班")
def roster_set(request, payload: PlanningRosterIn):
    center = sel.planning_center_get(scope=request_scope(request), center_id=payload.center_id)
    _require_apply(request)
    starts = sel.roster_starts(scope=request_scope(request), center_id=center.pk)
    given = {dt.time.fromisoformat(s.start): s.clerks for s in payload.slots}
    closed = sorted(f"{t:%H:%M}" for t in set(given) - set(starts))
    if closed:
        message = f"{'、'.join(closed[:5])}不在大厅开放时段内，不能排班。"
        raise InvalidInput("planning.bad_roster", message, {"slots": message})
    planning_services.roster_set(
        actor=request.user,
        center_id=center.pk,
        clerks_by_start={t: given.get(t) for t in starts},
    )
    return roster_out(request, center)
