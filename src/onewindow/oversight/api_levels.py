"""The writes of the assessment of lower levels and of the accountability list through
the API at /api/v1/oversight/ (R-SUP-3), as their pages do them: an assessing level's
weights of a year read and set (they must sum to 100), a finished month's red and
black list published (once: publishing again answers the list as it was published),
and a supervisor's finding of abuse (乱作为) recorded on records they can see.

The same services as the pages (``oversight.services``), the same rights
(``levels.weights``, ``levels.publish``, ``accountability.record``); a region, center,
person, department or record outside the caller's scope is 404 or a 422 naming it; bad
input a 422 that changes nothing."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.paging import MAX_ID
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.selectors import levels as sel

router = Router(tags=["督查考核"])

# A month of this century: the assessment has no data before 2000 or after 2099.
MONTH = r"^20\d{2}-(0[1-9]|1[0-2])$"


class LevelWeightsIn(Schema):
    region_id: int = Field(..., ge=1, le=MAX_ID, description="考核方（州或县市）")
    year: int = Field(..., ge=2000, le=2099)
    weights: dict[str, float] = Field(
        ..., description="每个考核项目的权重（项目代码 → 分值），合计100"
    )
    annual_points: float = Field(..., ge=0, le=100, description="计入年度目标责任考核的分值")


class LevelWeightOut(Schema):
    code: str
    name: str
    weight: float


class LevelWeightsOut(Schema):
    region_id: int
    region: str
    year: int
    custom: bool = Field(..., description="false 为缺省权重（尚未设置）")
    annual_points: float
    weights: list[LevelWeightOut]


class RedBlackIn(Schema):
    region_id: int = Field(..., ge=1, le=MAX_ID, description="考核方（州或县市）")
    month: str = Field(..., pattern=MONTH, description="已结束的月份 YYYY-MM（20xx 年）")


class RedBlackEntryOut(Schema):
    unit_id: int
    unit: str
    rank: int
    score: float | None
    mark: str = Field(..., description="red 红榜、black 黑榜，其余为空")


class RedBlackOut(Schema):
    id: int
    region_id: int
    region: str
    month: str
    size: int
    floor: float
    published_at: datetime
    entries: list[RedBlackEntryOut]


class AbuseFindingIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    finding: str = Field(..., max_length=2000, description="认定情况")
    person_id: int | None = Field(None, ge=1, le=MAX_ID, description="被认定的人员（用户编号）")
    department_id: int | None = Field(None, ge=1, le=MAX_ID, description="被认定的部门")
    case_numbers: list[str] = Field(default_factory=list, max_length=50)
    complaint_numbers: list[str] = Field(default_factory=list, max_length=50)
    review_ids: list[int] = Field(default_factory=list, max_length=50)


class AbuseFindingOut(Schema):
    id: int
    center_id: int
    person_id: int | None
    department_id: int | None
    finding: str
    case_numbers: list[str]
    complaint_numbers: list[str]
    review_ids: list[int]
    recorded_at: datetime


def _weights(region, year: int) -> dict:
    w = sel.weights_for(region, year)
    return {
        "region_id": region.pk,
        "region": region.name,
        "year": year,
        "custom": w.custom,
        "annual_points": float(w.annual_points),
        "weights": [{"code": m.code, "name": m.name, "weight": float(v)} for m, v in w.rows],
    }


@router.get("/levels/weights", response=LevelWeightsOut, auth=AUTH, summary="下级考核的权重")
def weights(
    request,
    region_id: int | None = Query(None, ge=1, le=MAX_ID, description="考核方（缺省为第一个）"),
    year: int | None = Query(None, ge=2000, le=2099, description="年度（缺省今年）"),
):
    if not may(request.user, "levels.weights"):
        raise Http404
    region = sel.assessor_get(scope=request_scope(request), region_id=region_id)
    return _weights(region, year or timezone.localdate().year)


@router.post("/levels/weights", response=LevelWeightsOut, auth=AUTH, summary="设置下级考核的权重")
def weights_set(request, payload: LevelWeightsIn):
    row = services.level_weights_set(
        actor=request.user,
        region_id=payload.region_id,
        year=payload.year,
        weights={k[:40]: str(v) for k, v in payload.weights.items()},
        annual_points=str(payload.annual_points),
    )
    return _weights(row.region, row.year)


@router.post(
    "/levels/red-black", response={201: RedBlackOut}, auth=AUTH, summary="发布一个月的红黑榜"
)
def red_black_publish(request, payload: RedBlackIn):
    year, month = (int(p) for p in payload.month.split("-"))
    listing = services.red_black_publish(
        actor=request.user, region_id=payload.region_id, month=date(year, month, 1)
    )
    entries = listing.entries.select_related("region").order_by("rank", "pk")
    return Status(
        201,
        {
            "id": listing.pk,
            "region_id": listing.region_id,
            "region": listing.region.name,
            "month": f"{listing.month:%Y-%m}",
            "size": listing.size,
            "floor": float(listing.floor),
            "published_at": listing.published_at,
            "entries": [
                {
                    "unit_id": e.region_id,
                    "unit": e.region.name,
                    "rank": e.rank,
                    "score": None if e.score is None else float(e.score),
                    "mark": e.mark,
                }
                for e in entries
            ],
        },
    )


@router.post(
    "/accountability/abuse",
    response={201: AbuseFindingOut},
    auth=AUTH,
    summary="登记乱作为认定（须附所依据的办件、投诉或评价）",
)
def abuse_record(request, payload: AbuseFindingIn):
    row = services.abuse_finding_record(actor=request.user, **payload.dict())
    return Status(
        201,
        {
            "id": row.pk,
            "center_id": row.center_id,
            "person_id": row.person_id,
            "department_id": row.department_id,
            "finding": row.finding,
            "case_numbers": row.case_numbers,
            "complaint_numbers": row.complaint_numbers,
            "review_ids": row.review_ids,
            "recorded_at": row.recorded_at,
        },
    )
