"""Backup roles through the API (AB角, R-CASE-9), the same services as the page 本部门AB角:
a department's staff (or a center's window staff) with who stands in for whom and who
is away until when; a person's B named or removed, a person marked away (their cases go
to their B) or back. Heads of the department and center administrators change them
(403 for others); a department, center or person outside the caller's scope is 404."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import Http404
from ninja import Field, Query, Router, Schema

from onewindow.cases.selectors import pages, queues
from onewindow.core.api import AUTH, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id
from onewindow.core.roles import may
from onewindow.org import services as org_services
from onewindow.org.models import StaffProfile

router = Router(tags=["AB角"], auth=AUTH)

PlaceId = Annotated[int | None, Query(None, ge=1, le=MAX_ID)]


class BackupRowOut(Schema):
    profile_id: int
    user_id: int
    name: str
    staff_no: str
    backup_profile_id: int | None
    backup: str | None
    away: bool
    away_until: date | None
    away_reason: str
    handler_profile_id: int | None = Field(None, description="离岗期间实际办理其办件的人")
    can_manage: bool


class BackupListOut(Schema):
    department_id: int | None
    center_id: int | None
    rows: list[BackupRowOut]


class BackupSetIn(Schema):
    backup_profile_id: int | None = Field(None, ge=1, le=MAX_ID, description="B角；不填为取消B角")


class AwayIn(Schema):
    reason: str = Field(..., max_length=100, description="离岗事由（休假、培训、出差）")
    until: date | None = Field(None, description="预计返岗日期")


def _row(request, profile: StaffProfile) -> dict:
    handler = queues.handler_for(profile.user) if profile.away else None
    return {
        "profile_id": profile.pk,
        "user_id": profile.user_id,
        "name": str(profile.user),
        "staff_no": profile.staff_no,
        "backup_profile_id": profile.backup_id,
        "backup": str(profile.backup.user) if profile.backup_id else None,
        "away": profile.away,
        "away_until": profile.away_until,
        "away_reason": profile.away_reason,
        "handler_profile_id": handler.pk if handler is not None else None,
        "can_manage": org_services.can_manage_backups(request.user, profile),
    }


def _profile(request, profile_id: int) -> StaffProfile:
    if not may(request.user, "case.backups"):
        raise Http404
    profile = (
        StaffProfile.objects.visible_to(request_scope(request))
        .select_related("user", "backup__user")
        .filter(pk=profile_id, active=True)
        .first()
    )
    if profile is None:
        raise NotFound("staff.not_found", "未找到该工作人员。")
    return profile


def _fresh(request, profile: StaffProfile) -> dict:
    return _row(request, _profile(request, profile.pk))


@router.get("/backups", response=BackupListOut, summary="AB角：部门（或中心窗口）人员的B角与离岗")
def list_backups(request, department_id: PlaceId = None, center_id: PlaceId = None):
    if not may(request.user, "case.backups"):
        raise Http404
    scope = request_scope(request)
    department = center = None
    if center_id is not None:
        center = pages.visible_center(scope, center_id)
        if center is None:
            raise NotFound("center.not_found", "未找到该服务中心。")
        staff = queues.center_window_staff(center.pk)
    else:
        profile = getattr(request.user, "staff_profile", None)
        raw = department_id or (profile.department_id if profile is not None else None)
        department = pages.one_of(queues.queue_departments(scope), raw) if raw else None
        if department is None:
            if department_id is not None or profile is None or not profile.center_id:
                raise NotFound("department.not_found", "未找到该部门。")
            center = pages.visible_center(scope, profile.center_id)
            if center is None:
                raise NotFound("center.not_found", "未找到该服务中心。")
            staff = queues.center_window_staff(center.pk)
        else:
            staff = queues.department_staff(department.pk)
    return {
        "department_id": department.pk if department else None,
        "center_id": center.pk if center else None,
        "rows": [_row(request, p) for p in pages.visible_staff(scope, staff)],
    }


@router.post("/backups/{profile_id}/backup", response=BackupRowOut, summary="指定或取消B角")
def set_backup(request, profile_id: Id, payload: BackupSetIn):
    profile = _profile(request, profile_id)
    backup = None
    if payload.backup_profile_id is not None:
        backup = (
            StaffProfile.objects.visible_to(request_scope(request))
            .filter(pk=payload.backup_profile_id)
            .first()
        )
        if backup is None:
            message = "未找到该工作人员。"
            raise InvalidInput("staff.bad_backup", message, {"backup_profile_id": message})
    org_services.staff_set_backup(actor=request.user, profile=profile, backup=backup)
    return _fresh(request, profile)


@router.post(
    "/backups/{profile_id}/away", response=BackupRowOut, summary="登记离岗（办件由B角办理）"
)
def set_away(request, profile_id: Id, payload: AwayIn):
    profile = _profile(request, profile_id)
    org_services.staff_set_away(
        actor=request.user, profile=profile, away=True, until=payload.until, reason=payload.reason
    )
    return _fresh(request, profile)


@router.post("/backups/{profile_id}/back", response=BackupRowOut, summary="登记返岗")
def set_back(request, profile_id: Id):
    profile = _profile(request, profile_id)
    org_services.staff_set_away(actor=request.user, profile=profile, away=False)
    return _fresh(request, profile)
