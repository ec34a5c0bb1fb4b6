"""What every catalog write shares: the guards (editor, requester, superuser, a draft,
no open request) and the row locks."""

from __future__ import annotations

from onewindow.catalog.models import (
    ChangeRequest,
    GuideVersion,
    Listing,
    Matter,
)
from onewindow.catalog.selectors.access import can_edit_matter, department_in_scope
from onewindow.core.errors import Conflict, Forbidden, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import Role, has_any, roles_of
from onewindow.core.scope import scope_for
from onewindow.org.models import Center, Department


def require_editor(actor, matter: Matter) -> None:
    if not can_edit_matter(actor, matter):
        if department_in_scope(actor, matter.department) or not roles_of(actor):
            raise Forbidden("catalog.not_editor", "只有该事项的标准维护部门可以编辑办事指南。")
        raise NotFound("matter.not_found", "未找到该事项。")


def lock_version(version_id: int) -> GuideVersion:
    version = for_update(GuideVersion.objects).filter(pk=version_id).first()
    if version is None:
        raise NotFound("guide.not_found", "未找到该办事指南版本。")
    return version


def require_draft(version: GuideVersion) -> None:
    if version.status != GuideVersion.Status.DRAFT:
        raise Conflict("guide.frozen", "已发布或审核中的办事指南不能修改，请新建草稿版本。")


def require_listing_requester(actor, center: Center, department: Department) -> None:
    if actor.is_superuser:
        return
    roles = roles_of(actor)
    scope = scope_for(actor)
    if not Center.objects.visible_to(scope).filter(pk=center.pk).exists():
        raise NotFound("center.not_found", "未找到该服务中心。")
    profile = actor.staff_profile
    own_dept = has_any(roles, "catalog.edit_department") and profile.department_id == department.pk
    if not (own_dept or Role.CENTER_ADMIN in roles):
        raise Forbidden(
            "listing.not_requester",
            "只有实施部门或中心管理员可以提出事项进驻、变更、取消或退出申请。",
        )


def require_no_open_request(listing: Listing) -> None:
    if listing.change_requests.filter(state=ChangeRequest.State.SUBMITTED).exists():
        raise Conflict("change_request.open", "该事项已有待审批的申请，请等待审批结果。")


def require_superuser(actor) -> None:
    if not getattr(actor, "is_superuser", False):
        raise Forbidden(
            "catalog.import_publish_not_allowed",
            "只有系统管理员可以直接发布导入的事项清单（用于导入已经省级平台审定的清单）。",
        )
