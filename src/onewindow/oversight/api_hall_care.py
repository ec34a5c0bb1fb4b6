"""The hall's facilities and guidance through the API (R-HALL-8, R-HALL-9):
``facilities/…`` the center's facilities (and one added to a zone), the daily checks,
faults reported and fixed, free services counted (a tap adds to today) and read by
month; ``guidance/…`` a guidance recorded at the desk and the month's share of visitors
sent to other channels.

The same selectors and services as the pages (``oversight.selectors.facilities``,
``…guidance``, ``oversight.services``), the same rights (``facility.read`` or
``facility.check``; ``guidance.read`` or ``guidance.record``: without them 404), and a
center outside the caller's scope is 404."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from onewindow.core import clock
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.models import FacilityKind, FreeService
from onewindow.oversight.selectors import duty as duty_sel
from onewindow.oversight.selectors import facilities as sel
from onewindow.oversight.selectors import guidance as guidance_sel

router = Router(tags=["大厅设施与导办"])


def one_of(values) -> str:
    return "^(" + "|".join(sorted(values)) + ")$"


CenterId = Query(None, ge=1, le=MAX_ID, description="服务中心（缺省为本人所在中心）")
Month = Query(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="月份 YYYY-MM（缺省本月）")


def _center(request, center_id, *activities, allow_none: bool = False):
    if not any(may(request.user, a) for a in activities):
        raise Http404
    center = duty_sel.center_pick(
        scope=request_scope(request), user=request.user, center_id=center_id
    )
    if center is None and not allow_none:
        raise Http404
    return center


def _today() -> date:
    return timezone.localdate(clock.now())


class HallFacilityOut(Schema):
    id: int
    zone_id: int
    zone: str
    kind: str
    name: str
    quantity: int


class HallFaultOut(Schema):
    id: int
    facility_id: int
    facility: str
    description: str
    reported_at: datetime
    fixed_at: datetime | None
    fix_note: str
    hours_to_fix: float | None


class HallCheckItemOut(Schema):
    facility_id: int
    ok: bool
    note: str


class HallCheckOut(Schema):
    id: int
    day: date
    checked_at: datetime
    checked_by: str
    note: str
    items: list[HallCheckItemOut]


class HallFacilitiesOut(Schema):
    center_id: int
    today: date
    checked_today: bool
    facilities: list[HallFacilityOut]
    open_faults: list[HallFaultOut]
    faults_open: int
    faults_fixed: int
    mean_hours_to_fix: float | None
    recent_checks: list[HallCheckOut]
    free_services_today: dict[str, int]


def _fault(f) -> dict:
    return {
        "id": f.pk,
        "facility_id": f.facility_id,
        "facility": str(f.facility),
        "description": f.description,
        "reported_at": f.reported_at,
        "fixed_at": f.fixed_at,
        "fix_note": f.fix_note,
        "hours_to_fix": f.hours_to_fix,
    }


def _facilities(request, center) -> dict:
    scope, today = request_scope(request), _today()
    summary = sel.fault_summary(scope=scope, center=center)
    return {
        "center_id": center.pk,
        "today": today,
        "checked_today": sel.check_of_day(scope=scope, center=center, day=today) is not None,
        "facilities": [
            {
                "id": f.pk,
                "zone_id": f.zone_id,
                "zone": f.zone.name,
                "kind": f.kind,
                "name": f.name,
                "quantity": f.quantity,
            }
            for f in sel.facilities(scope=scope, center=center)
        ],
        "open_faults": [_fault(f) for f in sel.faults(scope=scope, center=center, state="open")],
        "faults_open": summary.open,
        "faults_fixed": summary.fixed,
        "mean_hours_to_fix": summary.mean_hours,
        "recent_checks": [
            {
                "id": c.pk,
                "day": c.day,
                "checked_at": c.checked_at,
                "checked_by": str(c.checked_by),
                "note": c.note,
                "items": [
                    {"facility_id": i.facility_id, "ok": i.ok, "note": i.note}
                    for i in c.items.all()
                ],
            }
            for c in sel.recent_checks(scope=scope, center=center, limit=14)
        ],
        "free_services_today": sel.free_services_today(scope=scope, center=center, day=today),
    }


@router.get(
    "/facilities", response=HallFacilitiesOut, auth=AUTH, summary="大厅设施：清单、检查、故障"
)
def facilities(request, center_id: int | None = CenterId):
    center = _center(request, center_id, "facility.read", "facility.check")
    return _facilities(request, center)


@router.get(
    "/facilities/faults", response=list[HallFaultOut], auth=AUTH, summary="设施故障（待修、已修）"
)
@paginate(Pagination)
def faults(
    request,
    center_id: int | None = CenterId,
    state: str = Query("open", pattern="^(open|fixed|all)$", description="open、fixed、all"),
):
    center = _center(request, center_id, "facility.read", "facility.check", allow_none=True)
    if center is None:  # no center in the scope at all
        return []
    rows = sel.faults(scope=request_scope(request), center=center, state=state, limit=2000)
    return [_fault(f) for f in rows]


class HallCheckIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    problems: dict[str, str] = Field(
        default_factory=dict, description="发现问题的设施：设施编号 → 问题（其余视为正常）"
    )
    note: str = Field("", max_length=200)


class HallFaultIn(Schema):
    facility_id: int = Field(..., ge=1, le=MAX_ID)
    description: str = Field(..., max_length=200)


class HallFixIn(Schema):
    fix_note: str = Field(..., max_length=200)


@router.post(
    "/facilities/checks", response={201: HallFacilitiesOut}, auth=AUTH, summary="登记今日设施检查"
)
def check_record(request, payload: HallCheckIn):
    problems = {k: v for k, v in payload.problems.items() if v.strip()}
    if any(not (k.isascii() and k.isdigit() and len(k) < 12) for k in problems):
        message = "检查单中有不属于本中心的设施。"
        raise InvalidInput("facility.unknown", message, {"problems": message})
    check = services.facility_check_record(
        actor=request.user, center_id=payload.center_id, problems=problems, note=payload.note
    )
    return Status(201, _facilities(request, check.center))


@router.post("/facilities/faults", response={201: HallFaultOut}, auth=AUTH, summary="设施报修")
def fault_report(request, payload: HallFaultIn):
    fault = services.facility_fault_report(
        actor=request.user, facility_id=payload.facility_id, description=payload.description
    )
    return Status(201, _fault(fault))


@router.post(
    "/facilities/faults/{fault_id}/fix", response=HallFaultOut, auth=AUTH, summary="登记故障修复"
)
def fault_fix(request, fault_id: Id, payload: HallFixIn):
    fault = services.facility_fault_fix(
        actor=request.user, fault_id=fault_id, fix_note=payload.fix_note
    )
    return _fault(fault)


class HallFacilityIn(Schema):
    zone_id: int = Field(..., ge=1, le=MAX_ID)
    kind: str = Field(..., pattern=one_of(FacilityKind.values), description="设施类别")
    name: str = Field("", max_length=50, description="名称（缺省为类别名）")
    quantity: int = Field(1, ge=1, le=999)


class FreeServiceIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    service: str = Field(
        ..., pattern=one_of(FreeService.values), description="printing、copying、mailing、fax"
    )
    count: int = Field(1, ge=1, le=10000, description="本次登记的次数")


class FreeServiceCountOut(Schema):
    center_id: int
    day: date
    service: str
    service_label: str
    count: int = Field(..., description="当日累计次数")


@router.post("/facilities", response={201: HallFacilityOut}, auth=AUTH, summary="新增便民设施")
def facility_add(request, payload: HallFacilityIn):
    f = services.facility_add(actor=request.user, **payload.dict())
    return Status(
        201,
        {
            "id": f.pk,
            "zone_id": f.zone_id,
            "zone": f.zone.name,
            "kind": f.kind,
            "name": f.name,
            "quantity": f.quantity,
        },
    )


@router.post(
    "/facilities/free-services",
    response={201: FreeServiceCountOut},
    auth=AUTH,
    summary="登记今日免费服务（打印、复印、邮寄、传真）",
)
def free_service_add(request, payload: FreeServiceIn):
    row = services.free_service_add(actor=request.user, **payload.dict())
    return Status(
        201,
        {
            "center_id": row.center_id,
            "day": row.day,
            "service": row.service,
            "service_label": row.get_service_display(),
            "count": row.count,
        },
    )


class FreeServiceDayOut(Schema):
    day: date
    counts: list[int]
    total: int


class FreeServiceMonthOut(Schema):
    center_id: int
    month: str
    services: list[str]
    days: list[FreeServiceDayOut]
    totals: list[int]
    total: int


@router.get(
    "/facilities/free-services", response=FreeServiceMonthOut, auth=AUTH, summary="免费服务月统计"
)
def free_services(request, center_id: int | None = CenterId, month: str | None = Month):
    center = _center(request, center_id, "facility.read", "facility.check")
    year, mon = guidance_sel.month_of(month, today=_today())
    t = sel.free_services_month(scope=request_scope(request), center=center, year=year, month=mon)
    return {
        "center_id": center.pk,
        "month": f"{year}-{mon:02d}",
        "services": [str(x) for x in t.services],
        "days": [{"day": d.day, "counts": d.counts, "total": d.total} for d in t.days],
        "totals": t.totals,
        "total": t.total,
    }


# --- guidance ----------------------------------------------------------------------------------


class GuidanceIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    channel: str = Field(..., description="引导去向（见 GuidanceChannel）")
    matter_id: int | None = Field(None, ge=1, le=MAX_ID, description="所问事项（与 topic 二选一）")
    topic: str = Field("", max_length=12, description="所问问题类别（未选事项时）")


class GuidanceOut(Schema):
    id: int
    center_id: int
    at: datetime
    asked: str
    channel: str
    channel_label: str


class GuidanceShareRowOut(Schema):
    label: str
    total: int
    counts: list[int]
    other: int
    share: float | None


class GuidanceTopicOut(Schema):
    asked: str
    count: int


class GuidanceMonthOut(Schema):
    center_id: int
    month: str
    channels: list[str]
    days: list[GuidanceShareRowOut]
    month_row: GuidanceShareRowOut
    topics: list[GuidanceTopicOut]
    rule: str


def _share(r) -> dict:
    return {
        "label": r.label,
        "total": r.total,
        "counts": r.counts,
        "other": r.other,
        "share": r.share,
    }


@router.post("/guidance", response={201: GuidanceOut}, auth=AUTH, summary="登记一次导办")
def guidance_record(request, payload: GuidanceIn):
    g = services.guidance_record(
        actor=request.user,
        center_id=payload.center_id,
        channel=payload.channel,
        matter_id=payload.matter_id,
        topic=payload.topic,
    )
    return Status(
        201,
        {
            "id": g.pk,
            "center_id": g.center_id,
            "at": g.at,
            "asked": g.asked,
            "channel": g.channel,
            "channel_label": g.get_channel_display(),
        },
    )


@router.get(
    "/guidance/month",
    response=GuidanceMonthOut,
    auth=AUTH,
    summary="导办：引导至其他渠道的比例（按月）",
)
def guidance_month(request, center_id: int | None = CenterId, month: str | None = Month):
    center = _center(request, center_id, "guidance.read", "guidance.record")
    year, mon = guidance_sel.month_of(month, today=_today())
    r = guidance_sel.guidance_month(
        scope=request_scope(request), center=center, year=year, month=mon
    )
    return {
        "center_id": center.pk,
        "month": f"{year}-{mon:02d}",
        "channels": r.channels,
        "days": [_share(d) for d in r.days],
        "month_row": _share(r.month_row),
        "topics": [{"asked": str(a), "count": n} for a, n in r.topics],
        "rule": r.rule,
    }
