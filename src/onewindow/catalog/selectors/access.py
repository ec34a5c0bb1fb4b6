"""Who may act on what in the catalog, read from the roles table (``core/roles.py``
``catalog.*``) and the actor's scope: the pages offer and the services require the same.

- a guide is edited by staff of the matter's owner department (approver, chief
  representative, leader), or a center administrator or government office whose scope
  holds that department, or the superuser;
- a change request is decided by the government office of its approving region."""

from __future__ import annotations

from onewindow.catalog.models import ChangeRequest, Matter
from onewindow.core.roles import has_any, roles_of
from onewindow.core.scope import scope_for
from onewindow.org.models import Center, Department, Level, Region


def department_in_scope(actor, department: Department) -> bool:
    return Department.objects.visible_to(scope_for(actor)).filter(pk=department.pk).exists()


def can_edit_matter(actor, matter: Matter) -> bool:
    if actor.is_superuser:
        return True
    roles = roles_of(actor)
    profile = getattr(actor, "staff_profile", None)
    if has_any(roles, "catalog.edit_department") and profile.department_id == matter.department_id:
        return True
    return has_any(roles, "catalog.edit_region") and department_in_scope(actor, matter.department)


def approver_region_for(center: Center) -> Region:
    """The government office that approves: the center's own level for prefecture and
    county centers; the county for township and village centers."""
    region = center.region
    while region.level in (Level.TOWNSHIP, Level.VILLAGE):
        region = region.parent
    return region


def can_decide(actor, request: ChangeRequest) -> bool:
    if actor.is_superuser:
        return True
    profile = getattr(actor, "staff_profile", None)
    return (
        has_any(roles_of(actor), "catalog.approve_request")
        and profile.home_region is not None
        and profile.home_region.pk == request.approver_region_id
    )
