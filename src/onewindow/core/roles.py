"""Roles and who may do what: the one table (R-NET-3; REQUIREMENTS.md "Users").

Each role is a Django group of the same code, made by a migration, carrying that
role's model permissions for the admin. A staff profile carries role codes.

``PERMISSIONS`` answers "who may …" for every guarded activity of the system, from one
place: services check it (``require``/``may``), pages and the API offer exactly the
actions it allows. The activity names follow the services (``case.accept``,
``complaint.dispatch`` …); the life-cycle tables (``cases/states.py`` …) name which
activity each step needs.
"""

from __future__ import annotations

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


def _posts(*roles: Role) -> frozenset[str]:
    return frozenset(roles)


# --- posts: the groups of roles the work is organised by -------------------------------------

# The front office: comprehensive-window clerks, the chief representative, agents.
FRONT_OFFICE = _posts(Role.CLERK, Role.CHIEF_REP, Role.AGENT)
# The back office: the departments' approvers and their chief representative.
BACK_OFFICE = _posts(Role.APPROVER, Role.CHIEF_REP)
# A department's people who speak for it (its catalog, its reviews).
DEPARTMENT_POSTS = _posts(Role.APPROVER, Role.CHIEF_REP, Role.LEADER)
# Who heads a department's team at the center.
DEPARTMENT_HEADS = _posts(Role.LEADER, Role.CHIEF_REP)
# The center's management and the supervisors: urging, forcing, the hall's figures.
OVERSEERS = _posts(Role.SUPERVISOR, Role.CENTER_ADMIN)
# Who may take a seat at a window.
WINDOW_STAFF = _posts(Role.CLERK, Role.CHIEF_REP, Role.AGENT, Role.APPROVER)
# Who reads the audit trail of their scope, and uses the Django admin for reference data.
AUDIT_READERS = _posts(Role.SUPERVISOR, Role.CENTER_ADMIN, Role.GOV_OFFICE)
ADMIN_SITE = AUDIT_READERS

# Roles whose work is tied to a center, a department, or a region (a staff profile of one
# of them must name it).
NEEDS_CENTER = _posts(Role.CENTER_ADMIN, Role.CLERK, Role.AGENT)
NEEDS_DEPARTMENT = _posts(Role.APPROVER, Role.CHIEF_REP)
NEEDS_REGION = _posts(Role.GOV_OFFICE, Role.LEGALITY_REVIEWER, Role.FINAL_REVIEWER, Role.SUPERVISOR)

# What part of the network each role sees (core/scope.py).
SCOPE_REGION = _posts(Role.SUPERVISOR, Role.GOV_OFFICE, Role.LEGALITY_REVIEWER, Role.FINAL_REVIEWER)
SCOPE_CENTER_NETWORK = _posts(Role.CENTER_ADMIN)
SCOPE_CENTER = _posts(Role.CLERK, Role.AGENT)
SCOPE_DEPARTMENT = BACK_OFFICE


# --- who may do what --------------------------------------------------------------------------

PERMISSIONS: dict[str, frozenset[str]] = {
    # catalog: matters, guides, process changes, listings, change requests
    "catalog.edit_department": DEPARTMENT_POSTS,
    "catalog.edit_region": _posts(Role.CENTER_ADMIN, Role.GOV_OFFICE),
    "catalog.request_change": DEPARTMENT_POSTS | {Role.CENTER_ADMIN},
    "catalog.excel": DEPARTMENT_POSTS | {Role.CENTER_ADMIN},
    "catalog.review_legality": _posts(Role.LEGALITY_REVIEWER),
    "catalog.review_final": _posts(Role.FINAL_REVIEWER),
    "catalog.approve_request": _posts(Role.GOV_OFFICE),
    "catalog.bundle": _posts(Role.CENTER_ADMIN, Role.GOV_OFFICE),
    # hall
    "hall.window": WINDOW_STAFF,
    "hall.stats": OVERSEERS,
    # cases: the steps of the life (cases/states.py names the office of each)
    "case.front": FRONT_OFFICE,
    "case.back": BACK_OFFICE,
    "case.online_queue": FRONT_OFFICE | OVERSEERS,
    "case.board": OVERSEERS | {Role.LEADER},
    "case.queue": DEPARTMENT_POSTS | OVERSEERS,
    "case.backups": DEPARTMENT_POSTS | OVERSEERS | {Role.CLERK},
    "case.urge": OVERSEERS,
    "case.force": OVERSEERS,
    "case.answer_urging": DEPARTMENT_HEADS,
    "case.hand_over": DEPARTMENT_HEADS,
    "case.archive": _posts(Role.CLERK, Role.CHIEF_REP, Role.CENTER_ADMIN),
    "pledge.record": BACK_OFFICE,
    "pledge.queue": BACK_OFFICE | OVERSEERS,
    "pledge.read_records": _posts(Role.SUPERVISOR, Role.CENTER_ADMIN, Role.CHIEF_REP),
    "assisted.manage": _posts(Role.AGENT, Role.CENTER_ADMIN),
    "assisted.read": _posts(Role.AGENT, Role.CENTER_ADMIN, Role.SUPERVISOR),
    # evaluation (好差评)
    "review.center": _posts(Role.CENTER_ADMIN),
    "review.department": DEPARTMENT_POSTS,
    "review.spot_check": _posts(Role.SUPERVISOR),
    "review.own_only": SCOPE_CENTER,
    # complaints and consultation
    "complaint.center": _posts(Role.CLERK, Role.CENTER_ADMIN),
    "complaint.department": BACK_OFFICE,
    "complaint.approve_extension": _posts(Role.CENTER_ADMIN),
    "complaint.identity": _posts(Role.CLERK, Role.CENTER_ADMIN, Role.SUPERVISOR),
    "inquiry.staff": FRONT_OFFICE | DEPARTMENT_POSTS | {Role.CENTER_ADMIN},
    # the organisation, the audit trail, the admin site
    "org.manage": _posts(Role.CENTER_ADMIN),
    "org.team_head": DEPARTMENT_HEADS,
    "staff.reveal_id": OVERSEERS,
    "audit.read": AUDIT_READERS,
    "admin.site": ADMIN_SITE,
    "calendar.manage": _posts(Role.CENTER_ADMIN),
    # the workspace: who sees the link to a page (the page checks its own activity)
    "workspace.hall_setup": _posts(Role.CENTER_ADMIN),
    "workspace.prereview": _posts(Role.CLERK, Role.CHIEF_REP, Role.CENTER_ADMIN),
    "workspace.case_queue": DEPARTMENT_POSTS,
    "workspace.false_pledges": OVERSEERS,
    "workspace.backups": DEPARTMENT_HEADS | {Role.CENTER_ADMIN},
    "workspace.review_stats": OVERSEERS | DEPARTMENT_HEADS,
    "workspace.review_pads": _posts(Role.CENTER_ADMIN),
    "workspace.hot_topics": OVERSEERS | {Role.LEADER},
    # indicators/dashboard: the departments' indicators and thresholds, the talk list,
    # case statistics and the directors' dashboard (R-SUP-2, R-SUP-4, R-EVAL-3)
    "assessment.read": OVERSEERS | _posts(Role.GOV_OFFICE, Role.LEADER, Role.CHIEF_REP),
    "assessment.thresholds": _posts(Role.CENTER_ADMIN),
    "assessment.talks": OVERSEERS | _posts(Role.GOV_OFFICE),
    "dashboard.view": OVERSEERS | _posts(Role.GOV_OFFICE, Role.LEADER, Role.CHIEF_REP),
    "case_stats.read": OVERSEERS | _posts(Role.GOV_OFFICE, Role.LEADER, Role.CHIEF_REP),
    # --- leader duty, facilities, guidance (R-SUP-1, R-SUP-3, R-HALL-8, R-HALL-9, §18) ---
    # duty.sit: sign in at a center's duty desk, record problems and walks (a leader on
    # the center's roster); duty.manage: rosters, the desk, signing at the admin desk;
    # duty.read: rosters, sittings, problems and compliance, read-only in scope.
    "duty.sit": DEPARTMENT_HEADS,
    "duty.manage": _posts(Role.CENTER_ADMIN),
    "duty.read": OVERSEERS | _posts(Role.GOV_OFFICE, Role.LEADER, Role.CHIEF_REP),
    "duty.county_setting": _posts(Role.CENTER_ADMIN, Role.GOV_OFFICE),
    # the owners of items found on duty: their own items
    "duty.items": _posts(Role.APPROVER, Role.CHIEF_REP, Role.CLERK, Role.AGENT, Role.LEADER),
    "facility.manage": _posts(Role.CENTER_ADMIN),
    "facility.check": _posts(Role.CENTER_ADMIN, Role.CLERK, Role.AGENT),
    "facility.read": OVERSEERS | _posts(Role.CLERK, Role.AGENT),
    "guidance.record": _posts(Role.CENTER_ADMIN, Role.CLERK, Role.AGENT),
    "guidance.read": OVERSEERS | _posts(Role.GOV_OFFICE),
    "complaint_channels.edit": _posts(Role.CENTER_ADMIN),
    "workspace.duty_admin": _posts(Role.CENTER_ADMIN, Role.SUPERVISOR, Role.GOV_OFFICE),
    "workspace.facilities": OVERSEERS | _posts(Role.CLERK, Role.AGENT),
    # the accountability list (R-SUP-3): supervisors only, in their scope
    "accountability.read": _posts(Role.SUPERVISOR),
    # --- window planning (R-HALL-4): who reads the plan, who applies a live suggestion
    "planning.view": OVERSEERS,
    "planning.apply": _posts(Role.CENTER_ADMIN),
    # --- staffing: stationed staff, the center's teams, training, conduct (R-STAFF-1/2/4)
    # read the staff roster and a person's page (supervisors and department heads read
    # only, each in their scope: a department head sees their department's people)
    "staff.read": OVERSEERS | DEPARTMENT_HEADS,
    # keep the records: establishment, postings, training, recruitment, contracts, and
    # decide the changes and secondments filed
    "staff.manage": _posts(Role.CENTER_ADMIN),
    # file a change, recall or secondment, declare "no other work of the unit"
    "staff.file": DEPARTMENT_HEADS | {Role.CENTER_ADMIN},
    "staff.spot_check": OVERSEERS,
    "workspace.staff": OVERSEERS | DEPARTMENT_HEADS,
    # --- staff scores (R-STAFF-3) and the accountability list's findings (R-SUP-3) ---
    # read the scores of a center's staff in scope (a department head: their people);
    # set the weights, publish the month's 服务之星/红旗窗口, decide the year's grades;
    # see one's own score; record an abuse (乱作为) finding
    "staff_scores.read": OVERSEERS | DEPARTMENT_HEADS,
    "staff_scores.manage": _posts(Role.CENTER_ADMIN),
    "staff_scores.own": WINDOW_STAFF,
    "accountability.record": _posts(Role.SUPERVISOR),
    "workspace.staff_scores": OVERSEERS | DEPARTMENT_HEADS | WINDOW_STAFF,
    # --- lower levels (R-SUP-3): the prefecture scores its counties' networks, a county
    # its townships'; weights per year (center admins and supervisors of the assessing
    # level, in scope); the monthly red and black list (红黑榜) published
    "levels.read": OVERSEERS | _posts(Role.GOV_OFFICE),
    "levels.weights": OVERSEERS,
    "levels.publish": OVERSEERS,
    # --- entrusted matters (委托事项) and the register of separate halls (只进一扇门) ---
    # record and revoke a department's entrustment of a matter (the catalog's admins,
    # each in scope); keep the register of departments' own halls (a center admin keeps
    # its own level's) and read it (overseers and the government office, in scope)
    "catalog.entrust": _posts(Role.CENTER_ADMIN, Role.GOV_OFFICE),
    "separate_hall.manage": _posts(Role.CENTER_ADMIN),
    "separate_hall.read": OVERSEERS | _posts(Role.GOV_OFFICE, Role.LEADER),
    # --- messages (R-MSG-1): the parked messages of a center, sent again by its admins
    "message.manage": _posts(Role.CENTER_ADMIN),
    # --- online consultation (网上咨询, R-CASE-8): the department's head (or the
    # center's admin) decides whether an answered question is published as a FAQ;
    # the workspace's tile to the consultations' queue
    "inquiry.faq_review": DEPARTMENT_HEADS | {Role.CENTER_ADMIN},
    "workspace.inquiries": FRONT_OFFICE | DEPARTMENT_POSTS | {Role.CENTER_ADMIN},
    # --- electronic licences (电子证照, R-MSG-2): issued on an approved case by the
    # delivery window or the deciding department, revoked or replaced by the department
    # or the center's administrator; the visits per matter (最多跑一次) read by overseers
    "licence.issue": FRONT_OFFICE | BACK_OFFICE | {Role.CENTER_ADMIN},
    "licence.revoke": BACK_OFFICE | DEPARTMENT_HEADS | {Role.CENTER_ADMIN},
    "licence.visits": OVERSEERS | DEPARTMENT_HEADS | {Role.GOV_OFFICE},
    # --- the provincial exchange (R-MSG-3): the reconciliation of what the province has
    # acknowledged, read by the center's (and the prefecture's) administrators in scope
    "exchange.read": _posts(Role.CENTER_ADMIN),
}


def holders(activity: str) -> frozenset[str]:
    """The roles that may carry out an activity (a KeyError names a missing entry)."""
    return PERMISSIONS[activity]


def roles_of(user) -> frozenset[str]:
    """The role codes of a user's active staff profile (none without one)."""
    profile = getattr(user, "staff_profile", None)
    return profile.roles if profile is not None and profile.active else frozenset()


def may(user, activity: str) -> bool:
    """Whether a signed-in user holds a role of the activity (the superuser always does).
    Scope (which records) is a separate question: ``core/scope.py``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or roles_of(user) & holders(activity))


def has_any(roles, activity: str) -> bool:
    """Whether a set of role codes (a profile's) includes one of the activity's."""
    return bool(frozenset(roles) & holders(activity))
