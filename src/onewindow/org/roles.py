"""The roles of REQUIREMENTS.md ("Users"). Each is a Django group of the same code,
made by a migration, carrying that role's model permissions for the admin."""

from django.db import models


class Role(models.TextChoices):
    CENTER_ADMIN = "center_admin", "中心管理员"
    CLERK = "clerk", "窗口工作人员"
    APPROVER = "approver", "后台审批人员"
    CHIEF_REP = "chief_rep", "首席代表"
    AGENT = "agent", "帮办代办员"
    GOV_OFFICE = "gov_office", "政府办公室"
    LEGALITY_REVIEWER = "legality_reviewer", "司法审查"
    FINAL_REVIEWER = "final_reviewer", "审改审核"
    SUPERVISOR = "supervisor", "督查人员"
    LEADER = "leader", "部门领导"


ROLE_CODES = frozenset(Role.values)
# Roles whose work is tied to a center, a department, or a region.
NEEDS_CENTER = frozenset({Role.CENTER_ADMIN, Role.CLERK, Role.AGENT})
NEEDS_DEPARTMENT = frozenset({Role.APPROVER, Role.CHIEF_REP})
NEEDS_REGION = frozenset(
    {Role.GOV_OFFICE, Role.LEGALITY_REVIEWER, Role.FINAL_REVIEWER, Role.SUPERVISOR}
)
# Roles that may read the audit trail of their scope.
AUDIT_READERS = frozenset({Role.SUPERVISOR, Role.CENTER_ADMIN, Role.GOV_OFFICE})
# Roles that use the Django admin for reference data (the others work in the pages).
ADMIN_SITE_ROLES = frozenset({Role.CENTER_ADMIN, Role.SUPERVISOR, Role.GOV_OFFICE})
