"""Pages of the back office under supervision: the department's queue, its backup roles
(AB角) and queue handover, the supervision board, and the case page's special
procedure and force-step forms (each a POST that returns to the case page)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.cases import selectors
from onewindow.cases.selectors import queues
from onewindow.cases.services import supervision
from onewindow.core.errors import DomainError, InvalidInput, NotFound
from onewindow.core.roles import Role, roles_of
from onewindow.org import services as org_services
from onewindow.org.models import Center, StaffProfile

BOARD_ROLES = frozenset({Role.SUPERVISOR, Role.CENTER_ADMIN, Role.LEADER})
QUEUE_ROLES = frozenset(
    {Role.APPROVER, Role.CHIEF_REP, Role.LEADER, Role.CENTER_ADMIN, Role.SUPERVISOR}
)


def _case(request, case_id: int):
    try:
        return selectors.case_get_for(scope=request.scope, case_id=case_id)
    except NotFound:
        raise Http404 from None


def _date(raw: str, field: str, label: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        message = f"{label}格式不正确。"
        raise InvalidInput("form.bad_date", message, {field: message}) from None


def _user(raw) -> object | None:
    raw = str(raw or "").strip()
    if not raw.isdigit():
        return None
    return get_user_model().objects.filter(pk=int(raw)).first()


def _back_to_case(request, case, done: str, fn, **kwargs):
    try:
        fn(actor=request.user, case=case, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("cases:case_detail", case_id=case.pk)


# --- the case page's forms --------------------------------------------------------------------


@login_required
@require_POST
def special_start(request, case_id: int):
    case = _case(request, case_id)
    try:
        planned_end = _date(request.POST.get("planned_end"), "planned_end", "预计结束日期")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("cases:case_detail", case_id=case.pk)
    return _back_to_case(
        request,
        case,
        "已进入特别程序，承诺时限和法定时限暂停计时。",
        supervision.case_special_start,
        kind=request.POST.get("kind", ""),
        reason=request.POST.get("reason", ""),
        planned_end=planned_end,
    )


@login_required
@require_POST
def special_end(request, case_id: int):
    case = _case(request, case_id)
    return _back_to_case(
        request,
        case,
        "特别程序已结束，恢复计时。",
        supervision.case_special_end,
        result=request.POST.get("result", ""),
    )


@login_required
@require_POST
def force(request, case_id: int):
    case = _case(request, case_id)
    step = request.POST.get("step", "")
    spec = supervision.FORCE_STEPS.get(step)
    return _back_to_case(
        request,
        case,
        f"已{spec.label}，理由已记入办理记录。" if spec else "已完成。",
        supervision.case_force,
        step=step,
        reason=request.POST.get("reason", ""),
        to_user=_user(request.POST.get("to_user")),
    )


# --- the department queue ----------------------------------------------------------------------


def _own_profile(request) -> StaffProfile | None:
    profile = getattr(request.user, "staff_profile", None)
    return profile if profile is not None and profile.active else None


def _chosen_department(request, departments):
    raw = request.GET.get("department") or request.POST.get("department") or ""
    if str(raw).isdigit():
        found = departments.filter(pk=int(raw)).first()
        if found is None:
            raise Http404
        return found
    profile = _own_profile(request)
    if profile is not None and profile.department_id:
        return departments.filter(pk=profile.department_id).first()
    return None


@login_required
def queue(request):
    """我的待办 / 本部门办件: the department's open back-office cases by deadline."""
    if not (request.user.is_superuser or roles_of(request.user) & QUEUE_ROLES):
        raise Http404
    departments = queues.queue_departments(request.scope)
    department = _chosen_department(request, departments)
    if request.method == "POST" and department is not None:
        return _handover(request, department)
    profile = _own_profile(request)
    member = profile is not None and department is not None
    member = member and profile.department_id == department.pk
    counts = (
        queues.queue_counts(request.scope, department.pk, user=request.user)
        if department is not None
        else {}
    )
    who = request.GET.get("who") or queues.opening_tab(counts, member=member)
    if who not in queues.WHO:
        who = "all"
    page = None
    staff, away = [], {}
    if department is not None:
        cases = queues.department_queue(request.scope, department.pk, user=request.user, who=who)
        page = Paginator(cases, 30).get_page(request.GET.get("page"))
        staff = list(queues.department_staff(department.pk))
        away = queues.away_handlers(department.pk)
        for case in page.object_list:
            case.away = away.get(case.assignee_id)
    query = request.GET.copy()
    query.pop("page", None)
    choices = list(departments.order_by("region__path", "line__code")[:200])
    return render(
        request,
        "cases/supervision/queue.html",
        {
            "department": department,
            "departments": choices if len(choices) > 1 else [],
            "who": who,
            "whos": queues.WHO,
            "counts": counts,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "title": queues.WHO[who],
            "away": [
                {"user": p.user, "until": p.away_until, "handler": away[p.user_id]["handler"]}
                for p in staff
                if p.user_id in away
            ],
            "can_hand_over": department is not None
            and supervision.can_hand_over(request.user, department),
            "receivers": [p for p in staff if p.roles & {Role.APPROVER, Role.CHIEF_REP}],
            "staff": staff,
        },
    )


def _handover(request, department):
    post = request.POST
    source = post.get("from_user", "")
    from_user = None if source == "none" else _user(source)
    try:
        if source != "none" and from_user is None:
            raise InvalidInput("queue.bad_source", "请选择要移交谁的办件。")
        moved = supervision.queue_handover(
            actor=request.user,
            department=department,
            from_user=from_user,
            to_user=_user(post.get("to_user")),
            reason=post.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已移交{moved}件办件，每件均记入办理记录。")
    return redirect(f"{request.path}?department={department.pk}&who=all")


# --- backup roles (AB角) ------------------------------------------------------------------------


@login_required
def backups(request):
    """The AB roles of a department (or a center's window staff): who stands in for
    whom, who is away until when; heads and center administrators change them here."""
    if not (request.user.is_superuser or roles_of(request.user) & (QUEUE_ROLES | {Role.CLERK})):
        raise Http404
    scope = request.scope
    center = None
    department = None
    raw_center = request.GET.get("center") or request.POST.get("center") or ""
    if str(raw_center).isdigit():
        center = Center.objects.visible_to(scope).filter(pk=int(raw_center)).first()
        if center is None:
            raise Http404
    else:
        department = _chosen_department(request, queues.queue_departments(scope))
    if center is None and department is None:
        profile = _own_profile(request)
        if profile is not None and profile.center_id:
            center = Center.objects.visible_to(scope).filter(pk=profile.center_id).first()
    if center is None and department is None:
        raise Http404
    staff = list(
        queues.department_staff(department.pk)
        if department
        else queues.center_window_staff(center.pk)
    )
    visible = set(
        StaffProfile.objects.visible_to(scope)
        .filter(pk__in=[p.pk for p in staff])
        .values_list("pk", flat=True)
    )
    staff = [p for p in staff if p.pk in visible]
    if request.method == "POST":
        here = (
            f"{request.path}?department={department.pk}"
            if department
            else f"{request.path}?center={center.pk}"
        )
        profile = next((p for p in staff if str(p.pk) == request.POST.get("profile")), None)
        if profile is None:
            messages.error(request, "未找到该工作人员。")
            return redirect(here)
        _backup_action(request, profile, staff)
        return redirect(here)
    return render(
        request,
        "cases/supervision/backups.html",
        {
            "department": department,
            "center": center,
            "rows": [
                {
                    "profile": p,
                    "can_manage": org_services.can_manage_backups(request.user, p),
                    "handler": queues.handler_for(p.user) if p.away else None,
                    "candidates": [c for c in staff if c.pk != p.pk],
                }
                for p in staff
            ],
            "today": timezone.localdate(),
        },
    )


def _backup_action(request, profile, staff) -> None:
    post = request.POST
    action = post.get("action", "")
    try:
        if action == "backup":
            raw = post.get("backup", "")
            backup = next((p for p in staff if str(p.pk) == raw), None)
            if raw and backup is None:
                raise InvalidInput("staff.bad_backup", "B角须与A角属于同一部门或同一中心。")
            org_services.staff_set_backup(actor=request.user, profile=profile, backup=backup)
            messages.success(request, f"已为{profile.user}设置B角。" if backup else "已取消B角。")
        elif action == "away":
            org_services.staff_set_away(
                actor=request.user,
                profile=profile,
                away=True,
                until=_date(post.get("until"), "until", "预计返岗日期"),
                reason=post.get("reason", ""),
            )
            messages.success(request, f"{profile.user}已登记离岗，其办件由B角办理。")
        elif action == "back":
            org_services.staff_set_away(actor=request.user, profile=profile, away=False)
            messages.success(request, f"{profile.user}已返岗，办件回到本人名下。")
        else:
            raise InvalidInput("form.unknown_action", "未知的操作。")
    except DomainError as exc:
        messages.error(request, exc.message)


# --- the supervision board ----------------------------------------------------------------------


@login_required
def board(request):
    """督查看板: warned and overdue cases, late urgings, special procedures, late
    pre-reviews and cases deemed accepted, within the user's scope."""
    if not (request.user.is_superuser or roles_of(request.user) & BOARD_ROLES):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "cases/supervision/board.html",
        {"board": queues.supervision_board(scope=request.scope, today=today), "today": today},
    )
