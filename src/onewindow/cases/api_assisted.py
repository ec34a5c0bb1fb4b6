"""Assisted service through the API (帮办代办, R-CASE-10), the same services as the project
pages: the center's projects, a new project for an enterprise found (or registered) by
its credit code, a project's guidance notes, its cases, a case taken into it, and the
project closed by its agent. Outside the caller's scope (or without the right to read
projects) is 404; errors have the API's one shape."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.cases.api import CaseOut
from onewindow.cases.models import Applicant, AssistedProject
from onewindow.cases.selectors import assisted, lists, pages
from onewindow.cases.services import applicant_record
from onewindow.cases.services import assisted as service
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination

router = Router(tags=["帮办代办"], auth=AUTH)

STATES = ("open", *AssistedProject.State.values, "all")


class ProjectEnterpriseIn(Schema):
    name: str = Field(..., max_length=100, description="项目单位名称")
    credit_code: str = Field(..., max_length=18, description="统一社会信用代码")
    phone: str = Field(..., max_length=20)
    address: str = Field("", max_length=200)


class ProjectCreateIn(Schema):
    name: str = Field(..., max_length=200)
    team: str = Field(
        ..., description="、".join(f"{v}（{label}）" for v, label in AssistedProject.Team.choices)
    )
    agent_id: int = Field(..., ge=1, le=MAX_ID, description="代办员（本中心的帮办代办员）")
    enterprise: ProjectEnterpriseIn
    description: str = Field("", max_length=2000)
    investment: Decimal | None = Field(
        None, ge=0, le=Decimal("999999999999.99"), description="万元"
    )


class ProjectNoteIn(Schema):
    text: str = Field(..., max_length=2000)


class ProjectLinkIn(Schema):
    case_id: int | None = Field(None, ge=1, le=MAX_ID)
    number: str = Field("", max_length=32, description="或办件编号")


class ProjectCloseIn(Schema):
    note: str = Field(..., max_length=2000)


class ProjectOut(Schema):
    id: int
    name: str
    applicant: str
    credit_code: str
    center_id: int
    center: str
    team: str
    agent_id: int
    agent: str
    state: str
    state_label: str
    description: str
    investment: Decimal | None
    started_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_applicant(obj):
        return obj.applicant.name

    @staticmethod
    def resolve_credit_code(obj):
        return obj.applicant.credit_code

    @staticmethod
    def resolve_center(obj):
        return obj.center.name

    @staticmethod
    def resolve_agent(obj):
        return str(obj.agent)

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class ProjectNoteOut(Schema):
    id: int
    author: str
    text: str
    at: datetime

    @staticmethod
    def resolve_author(obj):
        return str(obj.author)


class ProjectDetailOut(ProjectOut):
    cases: list[CaseOut]
    notes: list[ProjectNoteOut]

    @staticmethod
    def resolve_cases(obj):
        return list(lists.project_cases(obj).select_related("guide_version", "statutory_deadline"))

    @staticmethod
    def resolve_notes(obj):
        return list(lists.project_notes(obj))


def _project(request, project_id: int) -> AssistedProject:
    if not assisted.may_see_projects(request.user):
        raise assisted.project_not_found()
    return assisted.project_get_for(scope=request_scope(request), project_id=project_id)


@transaction.atomic
def _create(request, payload: ProjectCreateIn) -> AssistedProject:
    """The enterprise is recorded with its project, or not at all (as the page)."""
    credit_code = payload.enterprise.credit_code.strip().upper()
    if not credit_code:
        raise InvalidInput(
            "applicant.invalid",
            "请填写项目单位的统一社会信用代码。",
            {"credit_code": "请填写统一社会信用代码。"},
        )
    applicant = applicant_record(
        kind=Applicant.Kind.ENTERPRISE,
        name=payload.enterprise.name,
        phone=payload.enterprise.phone,
        credit_code=credit_code,
        address=payload.enterprise.address,
    )
    agent = get_user_model().objects.filter(pk=payload.agent_id).first()
    return service.project_create(
        actor=request.user,
        applicant=applicant,
        name=payload.name,
        team=payload.team,
        agent=agent,
        description=payload.description,
        investment=payload.investment,
    )


@router.get("/projects", response=list[ProjectOut], summary="帮办代办项目（范围内）")
@paginate(Pagination)
def list_projects(request, state: str = "open", q: str = "", mine: bool = False):
    if not assisted.may_see_projects(request.user):
        raise NotFound("project.not_found", "未找到该帮办代办项目。")
    if state not in STATES:
        message = f"可选：{'、'.join(STATES)}"
        raise InvalidInput("project.bad_state", "状态不正确。", {"state": message})
    return lists.project_search(
        assisted.projects_for(scope=request_scope(request)),
        state=state,
        q=q.replace("\x00", "").strip()[:50],
        agent=request.user if mine else None,
    )


@router.post("/projects", response={201: ProjectDetailOut}, summary="建立帮办代办项目")
def create_project(request, payload: ProjectCreateIn):
    if not assisted.may_create_projects(request.user) or request.user.is_superuser:
        # as the page: projects are created by a center's own staff
        raise NotFound("project.not_found", "未找到该帮办代办项目。")
    project = _create(request, payload)
    return Status(201, _project(request, project.pk))


@router.get("/projects/{project_id}", response=ProjectDetailOut, summary="帮办代办项目详情")
def get_project(request, project_id: Id):
    return _project(request, project_id)


@router.post("/projects/{project_id}/notes", response={201: ProjectNoteOut}, summary="添加代办记录")
def add_project_note(request, project_id: Id, payload: ProjectNoteIn):
    note = service.project_note_add(
        actor=request.user, project=_project(request, project_id), text=payload.text
    )
    return Status(201, note)


@router.post("/projects/{project_id}/cases", response=ProjectDetailOut, summary="将办件纳入项目")
def link_project_case(request, project_id: Id, payload: ProjectLinkIn):
    project = _project(request, project_id)
    raw_id = str(payload.case_id or "")
    number = payload.number.strip()
    case = pages.case_by_id_or_number(request_scope(request), raw_id=raw_id, number=number)
    if case is None:
        if raw_id or number:
            raise NotFound("case.not_found", "未找到该办件，请核对办件编号。")
        message = "请选择或填写要纳入的办件。"
        raise InvalidInput("project.case_required", message, {"case_id": message})
    service.project_link_case(actor=request.user, project=project, case=case)
    return _project(request, project.pk)


@router.post("/projects/{project_id}/close", response=ProjectDetailOut, summary="项目办结")
def close_project(request, project_id: Id, payload: ProjectCloseIn):
    project = _project(request, project_id)
    service.project_close(actor=request.user, project=project, note=payload.note)
    return _project(request, project.pk)
