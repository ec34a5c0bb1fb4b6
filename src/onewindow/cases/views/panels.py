"""The panels of a case's page: the services answer what the reader may do on the case,
the selectors (``cases/selectors/panels.py``) read each panel with those answers."""

from __future__ import annotations

from functools import partial

from onewindow.cases.selectors import actions, assisted, panels, pledges
from onewindow.cases.selectors.files import reusable_documents
from onewindow.cases.services import files as file_services
from onewindow.core.roles import Role, may, roles_of


def case_panels(request, case) -> dict:
    """Each panel of the case page by the name its template reads."""
    user = request.user
    can_upload = (may(user, "case.front") or may(user, "case.back")) and (
        file_services.attach_allowed(case)
    )
    reusable = reusable_documents(case.applicant, case.guide_version) if can_upload else {}
    steps = actions.force_steps_for(case) if actions.can_force(user) else []
    return {
        "op": panels.online_panel(case),
        "fp": panels.files_panel(case, can_upload=can_upload, reusable=reusable),
        "sv": panels.supervision_panel(
            case, can_back=actions.can_act_back(user, case), steps=steps
        ),
        "pp": panels.pledge_panel(
            case,
            may_record=partial(pledges.can_record, user),
            false_count=pledges.false_pledge_count(case.applicant),
            may_see_records=pledges.may_see_records(user),
        ),
        "bp": panels.bundle_panel(case),
        "ap": _assisted(request, case),
    }


def _assisted(request, case) -> panels.AssistedPanel:
    user = request.user
    manages = may(user, "assisted.manage")
    whole_center = user.is_superuser or Role.CENTER_ADMIN in roles_of(user)
    return panels.assisted_panel(
        case,
        visible=assisted.may_see_projects(user),
        projects=assisted.projects_for(scope=request.scope) if manages else None,
        agent=None if whole_center else user,
    )
