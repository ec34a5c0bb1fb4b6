"""The writes of leaders' duty through the API at /api/v1/duty/ (R-SUP-1, R-SUP-3), as
the roster page and the duty desk do them: a leader put on a center's roster or taken
off it, signed in or out at the admin desk, a forgotten sign-out recorded; the desk's
QR code (its signed token and the URL it opens) and the sign-in with it from the
leader's phone; the county's setting of county leaders' duty; a walk through a
process recorded.

The same services as the pages (``oversight.services``): the same rights
(``duty.manage``, ``duty.county_setting``, ``duty.sit``), a center, post, sitting or
county outside the caller's scope is 404, bad input a 422 that changes nothing."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.links import public_reverse
from onewindow.core.paging import MAX_ID, Id
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.api_duty import DutyPostOut, DutySittingOut, one_post, sitting_out
from onewindow.oversight.selectors import duty as sel
from onewindow.oversight.services.duty import QR_MAX_AGE_SECONDS

router = Router(tags=["领导坐班"])


class DutySignOut(Schema):
    signed_in: bool = Field(..., description="true 为签到，false 为签退")
    sitting: DutySittingOut


class DutySittingCloseIn(Schema):
    ended_at: datetime = Field(..., description="实际签退时间（与签到同一天；无时区按北京时间）")


class DutyDeskOut(Schema):
    center_id: int
    center: str
    token: str = Field(..., description="坐班台二维码所载的签名令牌")
    url: str = Field(..., description="二维码打开的签到页面")
    max_age_seconds: int = Field(..., description="令牌的有效时长")


class DutyQrSignIn(Schema):
    token: str = Field(..., min_length=1, max_length=200, description="坐班台二维码的令牌")


class CountyDutyIn(Schema):
    region_id: int = Field(..., ge=1, le=MAX_ID, description="县市")
    adopted: bool
    half_days_per_quarter: int = Field(..., ge=1, le=130)


class CountyDutyOut(Schema):
    region_id: int
    region: str
    adopted: bool
    half_days_per_quarter: int


class ProcessWalkIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    subject: str = Field(..., max_length=100, description="体验的业务")
    findings: str = Field(..., max_length=500, description="体验情况")
    matter_id: int | None = Field(None, ge=1, le=MAX_ID)
    minutes: int | None = Field(None, ge=1, le=600)
    role_played: str = Field("", max_length=20, description="体验方式（缺省：以办事人身份）")


class ProcessWalkOut(Schema):
    id: int
    center_id: int
    post_id: int
    walked_on: date
    matter_id: int | None
    subject: str
    role_played: str
    minutes: int | None
    findings: str


def _signed(sitting, signed_in: bool) -> dict:
    return {"signed_in": signed_in, "sitting": sitting_out(sitting)}


@router.post("/roster/{post_id}/remove", response=DutyPostOut, auth=AUTH, summary="移出坐班名单")
def roster_remove(request, post_id: Id):
    return one_post(services.duty_post_remove(actor=request.user, post_id=post_id))


@router.post(
    "/roster/{post_id}/sign", response=DutySignOut, auth=AUTH, summary="管理台登记签到或签退"
)
def desk_sign(request, post_id: Id):
    return _signed(*services.duty_sign_at_desk(actor=request.user, post_id=post_id))


@router.post(
    "/sittings/{sitting_id}/close", response=DutySittingOut, auth=AUTH, summary="补登签退时间"
)
def sitting_close(request, sitting_id: Id, payload: DutySittingCloseIn):
    ended = payload.ended_at
    if ended.tzinfo is None:
        ended = timezone.make_aware(ended)
    sitting = services.duty_sitting_close(actor=request.user, sitting_id=sitting_id, ended_at=ended)
    return sitting_out(sitting)


@router.get("/desk", response=DutyDeskOut, auth=AUTH, summary="坐班台的签到二维码（令牌和链接）")
def desk(request, center_id: int | None = Query(None, ge=1, le=MAX_ID)):
    if not may(request.user, "duty.manage"):
        raise Http404
    center = sel.center_pick(scope=request_scope(request), user=request.user, center_id=center_id)
    if center is None:
        raise Http404
    token = services.desk_token(center)
    return {
        "center_id": center.pk,
        "center": center.name,
        "token": token,
        "url": public_reverse("oversight:duty_sign", request=request, args=[token]),
        "max_age_seconds": QR_MAX_AGE_SECONDS,
    }


@router.post("/sign", response=DutySignOut, auth=AUTH, summary="扫坐班台二维码签到或签退")
def qr_sign(request, payload: DutyQrSignIn):
    return _signed(*services.duty_sign_by_qr(actor=request.user, token=payload.token))


@router.post("/county", response=CountyDutyOut, auth=AUTH, summary="设置县级领导坐班制")
def county_set(request, payload: CountyDutyIn):
    setting = services.county_duty_set(actor=request.user, **payload.dict())
    return {
        "region_id": setting.region_id,
        "region": setting.region.name,
        "adopted": setting.adopted,
        "half_days_per_quarter": setting.half_days_per_quarter,
    }


@router.post("/walks", response={201: ProcessWalkOut}, auth=AUTH, summary="登记走流程")
def walk_record(request, payload: ProcessWalkIn):
    walk = services.process_walk_record(actor=request.user, **payload.dict())
    return Status(
        201,
        {
            "id": walk.pk,
            "center_id": walk.center_id,
            "post_id": walk.post_id,
            "walked_on": walk.walked_on,
            "matter_id": walk.matter_id,
            "subject": walk.subject,
            "role_played": walk.role_played,
            "minutes": walk.minutes,
            "findings": walk.findings,
        },
    )
