"""Pages of assisted service (帮办代办, R-CASE-10): the center's projects, a new project
for an enterprise, a project's guidance notes, its cases and their deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onewindow.cases.models import Applicant, AssistedProject
from onewindow.cases.selectors import assisted, lists, pages
from onewindow.cases.services import applicant_record
from onewindow.cases.services import assisted as service
from onewindow.core.errors import InvalidInput
from onewindow.core.pages import attempt, back_to
from onewindow.core.roles import Role, roles_of

STATE_FILTERS = [("open", "未办结"), *AssistedProject.State.choices, ("all", "全部")]


def _project_or_404(request, project_id: int) -> AssistedProject:
    if not assisted.may_see_projects(request.user):
        raise Http404
    return assisted.project_get_for(scope=request.scope, project_id=project_id)


@login_required
def project_list(request):
    if not assisted.may_see_projects(request.user):
        raise Http404
    state = request.GET.get("state") or "open"
    if state not in dict(STATE_FILTERS):
        state = "open"
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    projects = lists.project_search(
        assisted.projects_for(scope=request.scope),
        state=state,
        q=q,
        agent=request.user if request.GET.get("mine") else None,
    )
    page = Paginator(projects, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/assisted/list.html",
        {
            "page": page,
            "filters": STATE_FILTERS,
            "state": state,
            "q": q,
            "query": query.urlencode(),
            "can_create": assisted.may_create_projects(request.user),
        },
    )


@transaction.atomic
def _create(request, agent) -> AssistedProject:
    post = request.POST
    credit_code = post.get("credit_code", "").strip().upper()
    if not credit_code:
        raise InvalidInput(
            "applicant.invalid",
            "请填写项目单位的统一社会信用代码。",
            {"credit_code": "请填写统一社会信用代码。"},
        )
    applicant = applicant_record(
        kind=Applicant.Kind.ENTERPRISE,
        name=post.get("applicant_name", ""),
        phone=post.get("phone", ""),
        credit_code=credit_code,
        address=post.get("address", ""),
    )
    return service.project_create(
        actor=request.user,
        applicant=applicant,
        name=post.get("name", ""),
        team=post.get("team", ""),
        agent=agent,
        description=post.get("description", ""),
        investment=post.get("investment", ""),
    )


@login_required
def project_new(request):
    """Take on a project: the enterprise found (or registered) by its credit code."""
    if not assisted.may_create_projects(request.user) or request.user.is_superuser:
        # The superuser belongs to no center; projects are created by a center's staff.
        raise Http404
    center = request.user.staff_profile.center
    agents = assisted.agents_of(center)
    post = request.POST
    context = {
        "center": center,
        "agents": agents,
        "teams": AssistedProject.Team.choices,
        "post": post,
        "errors": {},
        "default_agent": request.user.pk,
    }
    if request.method == "POST":
        outcome = attempt(_create, request, pages.one_of(agents, post.get("agent")))
        if outcome.ok:
            project = outcome.value
            messages.success(
                request, f"已建立帮办代办项目“{project.name}”，代办员{project.agent}。"
            )
            return redirect("cases:project_detail", project_id=project.pk)
        context["error"] = outcome.error.message
        context["errors"] = outcome.error.fields
    return render(request, "cases/assisted/new.html", context)


@login_required
def project_detail(request, project_id: int):
    project = _project_or_404(request, project_id)
    user = request.user
    manages = (
        user.is_superuser or project.agent_id == user.pk or Role.CENTER_ADMIN in roles_of(user)
    )
    is_open = project.state != AssistedProject.State.DONE
    return render(
        request,
        "cases/assisted/detail.html",
        {
            "project": project,
            "cases": lists.project_cases(project),
            "notes": lists.project_notes(project),
            "can_note": manages and is_open,
            "can_link": manages and is_open,
            "can_close": (user.is_superuser or project.agent_id == user.pk)
            and project.state == AssistedProject.State.FOLLOWING,
            "linkable": assisted.linkable_cases(project)[:50] if manages and is_open else [],
        },
    )


def _back(request, project: AssistedProject, case=None) -> str:
    """Where an action on the project returns: the case page it came from, else the
    project's page (with the message of a refused action)."""
    if request.POST.get("back") == "case" and case is not None:
        return back_to(request, reverse("cases:case_detail", args=[case.pk]))
    return back_to(request, reverse("cases:project_detail", args=[project.pk]))


@login_required
@require_POST
def project_note(request, project_id: int):
    project = _project_or_404(request, project_id)
    back = _back(request, project)
    service.project_note_add(actor=request.user, project=project, text=request.POST.get("text"))
    messages.success(request, "已添加代办记录。")
    return redirect(back)


@login_required
@require_POST
def project_link(request, project_id: int):
    project = _project_or_404(request, project_id)
    raw_id = str(request.POST.get("case", "")).strip()
    number = (request.POST.get("number") or "").strip()[:32]
    case = pages.case_by_id_or_number(request.scope, raw_id=raw_id, number=number)
    back = _back(request, project, case)
    if case is None:
        if raw_id or number:  # told on the page it came from, as any refused step
            raise InvalidInput("case.not_found", "未找到该办件，请核对办件编号。")
        raise InvalidInput("project.case_required", "请选择或填写要纳入的办件。")
    service.project_link_case(actor=request.user, project=project, case=case)
    messages.success(request, f"已将办件{case.number}纳入项目“{project.name}”。")
    return redirect(back)


@login_required
@require_POST
def project_close(request, project_id: int):
    project = _project_or_404(request, project_id)
    back = _back(request, project)
    service.project_close(actor=request.user, project=project, note=request.POST.get("note"))
    messages.success(request, "项目已办结。")
    return redirect(back)
