"""Who may set up a hall: the center administrators of the center's region (R-NET-3)."""

from __future__ import annotations

from onewindow.core.errors import Forbidden, NotFound
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.org.models import Center


def require_center_admin(actor, center: Center) -> None:
    """Out of scope is "not found"; in scope without the role is "forbidden"."""
    if actor.is_superuser:
        return
    if not Center.objects.visible_to(scope_for(actor)).filter(pk=center.pk).exists():
        raise NotFound("center.not_found", "未找到该服务中心。")
    if Role.CENTER_ADMIN not in roles_of(actor):
        raise Forbidden("hall.not_admin", "只有中心管理员可以设置窗口和叫号规则。")
