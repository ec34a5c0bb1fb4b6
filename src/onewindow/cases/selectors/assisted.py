"""Reads of assisted service (帮办代办, R-CASE-10): the projects of a reader's scope, the
cases a project may take in, the agents of a center, who may read or manage projects
(``core/roles.py``: ``assisted.*``), and what an enterprise sees of its agent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from onewindow.cases.models import AssistedProject, Case
from onewindow.core.errors import NotFound
from onewindow.core.roles import Role, may


def project_not_found() -> NotFound:
    return NotFound("project.not_found", "未找到该帮办代办项目。")


def may_see_projects(user) -> bool:
    return may(user, "assisted.read")


def may_create_projects(user) -> bool:
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None)
    return may(user, "assisted.manage") and profile is not None and bool(profile.center_id)


def agents_of(center) -> QuerySet:
    """The active agents (帮办代办员) of a center, who may be given a project."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.AGENT,
            staff_profile__center=center,
            staff_profile__active=True,
        )
        .select_related("staff_profile")
        .order_by("staff_profile__staff_no")
        .distinct()
    )


def projects_for(*, scope) -> QuerySet[AssistedProject]:
    return AssistedProject.objects.visible_to(scope).select_related(
        "applicant", "center", "agent", "agent__staff_profile", "unit"
    )


def project_get_for(*, scope, project_id: int) -> AssistedProject:
    project = projects_for(scope=scope).filter(pk=project_id).first()
    if project is None:
        raise project_not_found()
    return project


def linkable_cases(project: AssistedProject) -> QuerySet[Case]:
    """Cases of the project's enterprise at its center not yet under a project."""
    return (
        Case.objects.filter(
            applicant_id=project.applicant_id, center_id=project.center_id, project__isnull=True
        )
        .select_related("matter")
        .order_by("-received_at")
    )


def project_agent_for_case(case: Case) -> dict | None:
    """What the enterprise sees of its agent on a public page: the agent's name, staff
    number and the center's phone (never a personal phone)."""
    if not case.project_id:
        return None
    project = (
        AssistedProject.objects.select_related("agent__staff_profile", "center")
        .filter(pk=case.project_id)
        .first()
    )
    if project is None:
        return None
    profile = getattr(project.agent, "staff_profile", None)
    return {
        "project": project.name,
        "team": project.get_team_display(),
        "name": project.agent.get_full_name(),
        "staff_no": profile.staff_no if profile else "",
        "phone": project.center.phone,
        "center": project.center.name,
    }
