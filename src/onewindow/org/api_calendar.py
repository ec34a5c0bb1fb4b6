"""The work calendar through the API (R-CASE-4): a center's days, each with why it is or
is not a working day (the official schedule, a weekend, an adjusted working day, a local
closure), read by anyone, since every channel counts time limits by it; the local
adjustments (a closure for snow, an extra working day) read and kept by the calendar's
administrators, with the same rules and audit as the page; deadlines running over an
adjusted day are recounted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from ninja import Field, Query, Router, Schema

from onewindow.core import calendar
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.models import CalendarOverride
from onewindow.core.paging import MAX_ID, Id
from onewindow.org.models import Center, Region

router = Router(tags=["工作日历"])

# A year and a little: what a time limit of the catalog can reach is read day by day.
MAX_SPAN_DAYS = 400


class DayOut(Schema):
    date: date
    workday: bool
    kind: str
    kind_label: str
    provisional: bool = Field(..., description="该年官方安排尚未发布，按周末推算")
    name: str


class OverrideIn(Schema):
    date: date
    is_workday: bool = Field(..., description="true 增加工作日；false 本地停止办公")
    reason: str = Field(..., max_length=200)
    region_id: int | None = Field(None, ge=1, le=MAX_ID, description="不填为全州")


class OverrideOut(Schema):
    id: int
    date: date
    is_workday: bool
    reason: str
    region: str

    @staticmethod
    def resolve_region(obj):
        return obj.region.name if obj.region_id else "全州"


@router.get(
    "/centers/{center_id}/days",
    response=list[DayOut],
    auth=None,
    summary="服务中心的工作日历（逐日，含原因）",
)
def center_days(
    request,
    center_id: Id,
    start: Annotated[date, Query(alias="from", description="开始日期")],
    end: Annotated[date, Query(alias="to", description="结束日期（含）")],
):
    center = Center.objects.filter(pk=center_id, is_active=True).select_related("region").first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    if end < start or (end - start).days > MAX_SPAN_DAYS:
        message = f"结束日期不能早于开始日期，跨度不超过{MAX_SPAN_DAYS}天。"
        raise InvalidInput("calendar.bad_span", message, {"to": message})
    if start.year < calendar.MIN_YEAR or end.year > calendar.MAX_YEAR:
        message = f"日期应在{calendar.MIN_YEAR}年至{calendar.MAX_YEAR}年之间。"
        raise InvalidInput("calendar.bad_year", message, {"from": message})
    cal = calendar.calendar_for(center=center)
    days = []
    day = start
    while day <= end:
        info = cal.describe(day)
        days.append(
            {
                "date": info.day,
                "workday": info.workday,
                "kind": str(info.kind),
                "kind_label": info.kind_label,
                "provisional": info.provisional,
                "name": info.name,
            }
        )
        day += timedelta(days=1)
    return days


@router.get("/overrides", response=list[OverrideOut], auth=AUTH, summary="本地调整（范围内）")
def list_overrides(request, year: int = Query(None, ge=2000, le=2100)):
    scope = request_scope(request)
    rows = CalendarOverride.objects.select_related("region").order_by("date", "id")
    if year is not None:
        rows = rows.filter(date__year=year)
    if not scope.everything:
        visible = Region.objects.visible_to(scope).values("pk")
        rows = rows.filter(region__isnull=True) | rows.filter(region__in=visible)
    return list(rows[:1000])


@router.post(
    "/overrides",
    response={201: OverrideOut},
    auth=AUTH,
    summary="新增本地调整（停止办公或增加工作日）",
)
def create_override(request, payload: OverrideIn):
    region = None
    if payload.region_id is not None:
        region = (
            Region.objects.visible_to(request_scope(request)).filter(pk=payload.region_id).first()
        )
        if region is None:
            raise NotFound("region.not_found", "未找到该地区。")
    override = calendar.calendar_override_create(
        actor=request.user,
        date=payload.date,
        is_workday=payload.is_workday,
        reason=payload.reason,
        region=region,
    )
    return Status(201, override)


@router.delete("/overrides/{override_id}", response={204: None}, auth=AUTH, summary="删除本地调整")
def delete_override(request, override_id: Id):
    calendar.calendar_override_delete(actor=request.user, override_id=override_id)
    return Status(204, None)
