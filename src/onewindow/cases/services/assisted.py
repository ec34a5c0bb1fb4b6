"""Assisted service (帮办代办, R-CASE-10).

An agency team of a center takes on a major project of an enterprise: its agent guides
the enterprise before intake (notes, append-only), links the enterprise's cases at the
center to the project once they are taken in and follows them to the end, then closes
the project with a note. States: guiding → following (the first case linked) → done.
A project is seen within the center's scope only; the enterprise sees who its agent is
on the public progress page of a case of the project.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from onewindow.cases.models import Applicant, AssistedProject, Case, ProjectNote
from onewindow.cases.selectors.assisted import (
    agents_of,
    may_create_projects,
    project_not_found,
)
from onewindow.cases.services.steps import event
from onewindow.cases.services.steps import lock as lock_case
from onewindow.core.audit import audit_record, snapshot
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.core.text import join_messages
from onewindow.org.models import CenterUnit

# Who creates projects and links cases, who reads them: ``assisted.*`` in ``core/roles.py``.
MAX_NOTE = 2000


def _in_scope(actor, project: AssistedProject) -> bool:
    return (
        actor.is_superuser
        or AssistedProject.objects.visible_to(scope_for(actor)).filter(pk=project.pk).exists()
    )


def _require_manager(actor, project: AssistedProject) -> None:
    """The project's agent, or an administrator of a center whose scope holds it."""
    if actor.is_superuser:
        return
    if not _in_scope(actor, project):
        raise project_not_found()
    roles = roles_of(actor)
    if project.agent_id == actor.pk or Role.CENTER_ADMIN in roles:
        return
    raise Forbidden("project.not_agent", "只有该项目的代办员或中心管理员可以办理。")


def _lock(project: AssistedProject) -> AssistedProject:
    locked = (
        for_update(AssistedProject.objects)
        .select_related("center", "applicant", "agent")
        .filter(pk=project.pk)
        .first()
    )
    if locked is None:
        raise project_not_found()
    return locked


def _investment(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        message = "总投资须为不小于0的数字（万元）。"
        raise InvalidInput("project.investment", message, {"investment": message})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def project_create(
    *,
    actor,
    applicant: Applicant,
    name: str,
    team: str,
    agent,
    description: str = "",
    investment=None,
    center=None,
) -> AssistedProject:
    """Take on a major project of an enterprise at the actor's center, with its agent."""
    if not actor.is_superuser:
        profile = getattr(actor, "staff_profile", None)
        if not may_create_projects(actor):
            raise Forbidden("project.not_manager", "只有中心的帮办代办员或中心管理员可以建立项目。")
        center = profile.center
    if center is None:
        raise InvalidInput("project.center", "请选择中心。", {"center": "请选择中心。"})
    fields = {}
    name = (name or "").strip()
    if not name or len(name) > 200:
        fields["name"] = "请填写项目名称（不超过200字）。"
    if team not in AssistedProject.Team.values:
        fields["team"] = "请选择代办团队。"
    if applicant is None or applicant.kind != Applicant.Kind.ENTERPRISE:
        fields["applicant"] = "帮办代办项目的项目单位须为企业或组织。"
    if agent is None or not agents_of(center).filter(pk=agent.pk).exists():
        fields["agent"] = "代办员须为本中心在岗的帮办代办员。"
    description = (description or "").strip()
    if len(description) > MAX_NOTE:
        fields["description"] = f"项目概况不能超过{MAX_NOTE}字。"
    if fields:
        raise InvalidInput("project.invalid", join_messages(fields.values()), fields)
    amount = _investment(investment)
    project = AssistedProject.objects.create(
        name=name,
        applicant=applicant,
        center=center,
        unit=CenterUnit.objects.filter(center=center, kind=CenterUnit.Kind.AGENCY).first(),
        team=team,
        agent=agent,
        description=description,
        investment=amount,
    )
    audit_record(
        actor=actor,
        action="project.create",
        target=project,
        center=center,
        after=snapshot(project),
    )
    return project


@transaction.atomic
def project_note_add(*, actor, project: AssistedProject, text: str) -> ProjectNote:
    """A step of guidance before intake, or of follow-up after it."""
    project = _lock(project)
    _require_manager(actor, project)
    if project.state == AssistedProject.State.DONE:
        raise Conflict("project.done", "项目已办结，不能再添加记录。")
    text = (text or "").strip()
    if not text or len(text) > MAX_NOTE:
        message = f"请填写代办记录（不超过{MAX_NOTE}字）。"
        raise InvalidInput("project.note_required", message, {"text": message})
    note = ProjectNote.objects.create(project=project, author=actor, text=text)
    audit_record(
        actor=actor,
        action="project.note",
        target=project,
        center=project.center,
        after={"note": text},
    )
    return note


@transaction.atomic
def project_link_case(*, actor, project: AssistedProject, case: Case) -> Case:
    """Put a case of the project's enterprise at the project's center under the
    project; the first one moves the project from guidance to follow-up."""
    project = _lock(project)
    _require_manager(actor, project)
    if project.state == AssistedProject.State.DONE:
        raise Conflict("project.done", "项目已办结，不能再纳入办件。")
    case = lock_case(case)
    if (
        not actor.is_superuser
        and not Case.objects.visible_to(scope_for(actor)).filter(pk=case.pk).exists()
    ):
        raise NotFound("case.not_found", "未找到该办件。")
    if case.applicant_id != project.applicant_id:
        message = f"办件{case.number}的申请人不是项目单位“{project.applicant.name}”，不能纳入。"
        raise InvalidInput("project.other_applicant", message, {"case": message})
    if case.center_id != project.center_id:
        message = f"办件{case.number}不是在{project.center.name}受理的，不能纳入。"
        raise InvalidInput("project.other_center", message, {"case": message})
    if case.project_id == project.pk:
        raise Conflict("project.already_linked", f"办件{case.number}已在本项目中。")
    if case.project_id is not None:
        raise Conflict("project.other_project", f"办件{case.number}已纳入其他帮办代办项目。")
    case.project = project
    case.save(update_fields=["project"])
    before_state = project.state
    if project.state == AssistedProject.State.GUIDING:
        project.state = AssistedProject.State.FOLLOWING
        project.save(update_fields=["state"])
    event(
        case,
        "project_link",
        actor,
        before=case.state,
        note=f"纳入帮办代办项目“{project.name}”，代办员{project.agent}。",
        project=project.pk,
    )
    audit_record(
        actor=actor,
        action="project.link_case",
        target=project,
        center=project.center,
        before={"state": before_state},
        after={"state": project.state, "case": case.number},
    )
    return case


@transaction.atomic
def project_close(*, actor, project: AssistedProject, note: str) -> AssistedProject:
    """The agent closes the project, with a note, once its cases are followed through."""
    project = _lock(project)
    if not actor.is_superuser:
        if not _in_scope(actor, project):
            raise project_not_found()
        if project.agent_id != actor.pk:
            raise Forbidden("project.not_agent", "项目须由其代办员办结。")
    if project.state == AssistedProject.State.DONE:
        raise Conflict("project.done", "项目已办结。")
    if project.state == AssistedProject.State.GUIDING:
        raise Conflict("project.no_cases", "项目尚未纳入办件，仍在前期辅导，不能办结。")
    note = (note or "").strip()
    if not note or len(note) > MAX_NOTE:
        message = f"办结须写明办理结果（不超过{MAX_NOTE}字）。"
        raise InvalidInput("project.note_required", message, {"note": message})
    now = clock_now()
    ProjectNote.objects.create(project=project, author=actor, text=f"办结：{note}", at=now)
    project.state, project.closed_at = AssistedProject.State.DONE, now
    project.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=actor,
        action="project.close",
        target=project,
        center=project.center,
        before={"state": AssistedProject.State.FOLLOWING},
        after={"state": project.state},
        note=note,
    )
    return project


__all__ = [
    "project_close",
    "project_create",
    "project_link_case",
    "project_note_add",
]
