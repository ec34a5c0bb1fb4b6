"""A center's complaint channels through the API (§18), as the page 投诉渠道 does them: its
administrator reads and sets where and how complaints are received (the office, the
reception place and hours, the box, the phone), and anyone reads them as the public page
shows them, by the center's code.

The same service and selectors as the pages (``complaint_channels_update``,
``selectors.guidance``), the same right (``complaint_channels.edit``: without it 404);
a center outside the caller's scope is a 404; a text too long a 422 that changes
nothing."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import Field, Path, Router, Schema

from onewindow.core.api import AUTH
from onewindow.core.paging import Id
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.selectors import guidance as sel
from onewindow.oversight.services.duty import center_in_scope

router = Router(tags=["投诉渠道"])


class ComplaintChannelsIn(Schema):
    """Every field as the page's form: an empty or missing one is cleared."""

    office: str = Field("", max_length=100, description="负责投诉处置的机构")
    reception_place: str = Field("", max_length=200, description="投诉接待场所")
    reception_hours: str = Field("", max_length=100, description="接待时间")
    box_location: str = Field("", max_length=200, description="意见箱位置")
    phone: str = Field("", max_length=50, description="投诉电话")


class ComplaintChannelsOut(Schema):
    center_id: int
    center_code: str
    center: str
    published: bool = Field(..., description="false 为尚未设置（各项为空）")
    office: str
    reception_place: str
    reception_hours: str
    box_location: str
    phone: str
    updated_at: datetime | None


def _out(center, row) -> dict:
    values = {f: (getattr(row, f) if row else "") for f in services.CHANNEL_FIELDS}
    return {
        "center_id": center.pk,
        "center_code": center.code,
        "center": center.name,
        "published": row is not None,
        "updated_at": row.updated_at if row else None,
        **values,
    }


@router.get(
    "/centers/{center_id}/complaint-channels",
    response=ComplaintChannelsOut,
    auth=AUTH,
    summary="中心的投诉渠道（维护）",
)
def channels(request, center_id: Id):
    if not may(request.user, "complaint_channels.edit"):
        raise Http404
    center = center_in_scope(request.user, center_id)
    return _out(center, sel.channels_of(center))


@router.put(
    "/centers/{center_id}/complaint-channels",
    response=ComplaintChannelsOut,
    auth=AUTH,
    summary="设置中心的投诉渠道（公开页面同步显示）",
)
def channels_set(request, center_id: Id, payload: ComplaintChannelsIn):
    row = services.complaint_channels_update(
        actor=request.user, center_id=center_id, **payload.dict()
    )
    return _out(row.center, row)


@router.get(
    "/complaint-channels/{code}",
    response=ComplaintChannelsOut,
    auth=None,
    summary="中心公开的投诉渠道（按中心代码）",
)
def channels_public(request, code: str = Path(..., max_length=40, description="中心代码")):
    center = sel.public_center(code)
    return _out(center, sel.channels_of(center))
