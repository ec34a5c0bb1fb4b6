"""Who may maintain the work calendar (R-CASE-4), and the checks of its inputs."""

from __future__ import annotations

from datetime import date

from onewindow.core.calendar.official import MAX_YEAR, MIN_YEAR
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.roles import has_any, roles_of
from onewindow.core.scope import scope_for


def is_center_admin(actor) -> bool:
    """An active staff profile holding the role that maintains the calendar."""
    return has_any(roles_of(actor), "calendar.manage")


def require_calendar_admin(actor, *, region) -> None:
    """Superuser, or a center administrator whose scope holds the region. The whole
    prefecture (region None) and official schedules: the prefecture center's admins."""
    if actor is None or actor.is_superuser:
        return
    if not getattr(actor, "is_authenticated", False) or not is_center_admin(actor):
        raise Forbidden("calendar.not_manager", "只有中心管理员可以维护工作日历。")
    scope = scope_for(actor)
    if scope.everything:
        return
    if region is None:
        raise Forbidden(
            "calendar.prefecture_only",
            "全州适用的调整和年度节假日安排只能由州政务服务中心管理员维护。",
        )
    if not any(region.path.startswith(p) for p in scope.region_paths):
        raise NotFound("calendar.region_not_found", "未找到该地区。")


def can_manage_calendar(actor, *, region=None) -> bool:
    try:
        require_calendar_admin(actor, region=region)
    except (Forbidden, NotFound):
        return False
    return True


def check_date(value, field: str, label: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(
            "calendar.bad_date", f"{label}格式不正确。", {field: f"{label}格式不正确。"}
        )
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        message = f"{label}须在{MIN_YEAR}年至{MAX_YEAR}年之间。"
        raise InvalidInput("calendar.date_out_of_range", message, {field: message})
    return value
