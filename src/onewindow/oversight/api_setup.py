"""The center administrator's set-up through the API, as the facilities and indicators
pages do it (R-HALL-8, R-SUP-2): a hall zone added (``POST hall/facilities/zones``; a
facility added to it and the free services counted are beside the facilities' reads,
``oversight/api_hall_care.py``), an indicator's threshold set for a center
(``POST statistics/indicators/thresholds``).

The same services as the pages (``oversight.services``), the same rights
(``facility.manage``, ``assessment.thresholds``); a center outside the caller's scope is
404; bad input a 422 that changes nothing."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Router, Schema

from onewindow.core.api import AUTH, Status
from onewindow.core.paging import MAX_ID
from onewindow.oversight import services
from onewindow.oversight.api_hall_care import one_of
from onewindow.oversight.indicators.definitions import BY_CODE

hall_router = Router(tags=["大厅设施与导办"])
statistics_router = Router(tags=["统计"])


class HallZoneIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    name: str = Field(..., max_length=50, description="功能区名称，如：等候区")


class HallZoneOut(Schema):
    id: int
    center_id: int
    name: str
    order: int


class ThresholdIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    indicator: str = Field(..., pattern=one_of(BY_CODE), description="考核指标代码")
    value: Decimal = Field(..., ge=0, le=Decimal("99999.9"), description="阈值（百分比不超过100）")


class ThresholdOut(Schema):
    center_id: int
    indicator: str
    indicator_name: str
    value: float


@hall_router.post(
    "/facilities/zones", response={201: HallZoneOut}, auth=AUTH, summary="新增大厅功能区"
)
def zone_add(request, payload: HallZoneIn):
    zone = services.hall_zone_add(actor=request.user, **payload.dict())
    return Status(
        201, {"id": zone.pk, "center_id": zone.center_id, "name": zone.name, "order": zone.order}
    )


@statistics_router.post(
    "/indicators/thresholds", response=ThresholdOut, auth=AUTH, summary="设置考核指标的阈值"
)
def threshold_set(request, payload: ThresholdIn):
    row = services.threshold_set(
        actor=request.user,
        center_id=payload.center_id,
        indicator=payload.indicator,
        value=str(payload.value),
    )
    return {
        "center_id": row.center_id,
        "indicator": row.indicator,
        "indicator_name": BY_CODE[row.indicator].name,
        "value": float(row.value),
    }
