"""Who may act on whose staff record: the activity from ``core/roles.py`` and the
person within the actor's scope (out of scope is not found)."""

from __future__ import annotations

from onewindow.core.errors import Forbidden, NotFound
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.org.models import Center, StaffProfile

MESSAGES = {
    "staff.manage": "只有中心管理员可以维护人员管理档案。",
    "staff.file": "只有派驻部门负责人或中心管理员可以提交人员调整、借调备案。",
    "staff.spot_check": "只有督查人员或中心管理员可以登记仪容仪表抽查。",
    "staff.read": "您无权查看人员管理档案。",
}


def require(actor, activity: str) -> None:
    if not may(actor, activity):
        raise Forbidden(f"{activity}.forbidden", MESSAGES[activity])


def profile_in_scope(actor, profile_id) -> StaffProfile:
    """The staff profile, if the actor sees it (else not found)."""
    try:
        pk = int(profile_id)
    except (TypeError, ValueError):
        raise NotFound("staff.not_found", "未找到该工作人员。") from None
    found = (
        StaffProfile.objects.visible_to(scope_for(actor))
        .select_related("user", "center", "department", "unit")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("staff.not_found", "未找到该工作人员。")
    return found


def require_profile_in_scope(actor, profile_id) -> None:
    """The same check as ``profile_in_scope`` where the profile is at hand already:
    NotFound unless the actor sees it (one existence query, nothing read)."""
    try:
        pk = int(profile_id)
    except (TypeError, ValueError):
        raise NotFound("staff.not_found", "未找到该工作人员。") from None
    if not StaffProfile.objects.visible_to(scope_for(actor)).filter(pk=pk).exists():
        raise NotFound("staff.not_found", "未找到该工作人员。")


def center_in_scope(actor, center_id) -> Center:
    try:
        pk = int(center_id)
    except (TypeError, ValueError):
        raise NotFound("center.not_found", "未找到该服务中心。") from None
    found = Center.objects.visible_to(scope_for(actor)).filter(pk=pk).first()
    if found is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    return found
