"""The case page's assisted-service panel (R-CASE-10): the project a case belongs to,
or the open projects of its enterprise it may be linked to."""

from __future__ import annotations

from django import template

from onewindow.cases.models import AssistedProject
from onewindow.cases.services import assisted
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for

register = template.Library()


@register.simple_tag
def assisted_panel(case, user) -> dict:
    if case.project_id:
        project = (
            AssistedProject.objects.select_related("agent__staff_profile", "center")
            .filter(pk=case.project_id)
            .first()
        )
        return {"project": project, "visible": assisted.may_see_projects(user), "open": []}
    open_projects = []
    if user.is_superuser or roles_of(user) & {Role.AGENT, Role.CENTER_ADMIN}:
        projects = assisted.projects_for(scope=scope_for(user)).filter(
            applicant_id=case.applicant_id, center_id=case.center_id
        )
        projects = projects.exclude(state=AssistedProject.State.DONE)
        if not user.is_superuser and Role.CENTER_ADMIN not in roles_of(user):
            projects = projects.filter(agent=user)
        open_projects = list(projects[:10])
    return {"project": None, "visible": False, "open": open_projects}
