"""Pages of the back office under supervision: the department's queue, its backup roles
(AB角) and queue handover, the supervision board, and the case page's special
procedure and force-step forms (each a POST that returns to the case page)."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.cases import selectors
from onewindow.cases.selectors import actions, pages, queue_page, queues
from onewindow.cases.services import supervision
from onewindow.core.errors import InvalidInput
from onewindow.core.pages import attempt, back_to
from onewindow.core.roles import has_any, may
from onewindow.org import services as org_services
from onewindow.org.models import StaffProfile


def _date(raw: str, field: str, label: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        message = f"{label}格式不正确。"
        raise InvalidInput("form.bad_date", message, {field: message}) from None


def _case_page(request, case_id: int):
    """The case (in the reader's scope) and its page, where the form returns."""
    case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    return case, back_to(request, reverse("cases:case_detail", args=[case.pk]))


# --- the case page's forms --------------------------------------------------------------------


@login_required
@require_POST
def special_start(request, case_id: int):
    case, back = _case_page(request, case_id)
    supervision.case_special_start(
        actor=request.user,
        case=case,
        kind=request.POST.get("kind", ""),
        reason=request.POST.get("reason", ""),
        planned_end=_date(request.POST.get("planned_end"), "planned_end", "预计结束日期"),
    )
    messages.success(request, "已进入特别程序，承诺时限和法定时限暂停计时。")
    return redirect(back)


@login_required
@require_POST
def special_end(request, case_id: int):
    case, back = _case_page(request, case_id)
    supervision.case_special_end(
        actor=request.user, case=case, result=request.POST.get("result", "")
    )
    messages.success(request, "特别程序已结束，恢复计时。")
    return redirect(back)


@login_required
@require_POST
def force(request, case_id: int):
    case, back = _case_page(request, case_id)
    step = request.POST.get("step", "")
    spec = supervision.FORCE_STEPS.get(step)
    supervision.case_force(
        actor=request.user,
        case=case,
        step=step,
        reason=request.POST.get("reason", ""),
        to_user=pages.user_by_id(request.POST.get("to_user")),
    )
    messages.success(request, f"已{spec.label}，理由已记入办理记录。" if spec else "已完成。")
    return redirect(back)


# --- the department queue ----------------------------------------------------------------------


def _own_profile(request) -> StaffProfile | None:
    profile = getattr(request.user, "staff_profile", None)
    return profile if profile is not None and profile.active else None


def _chosen_department(request, departments):
    raw = request.GET.get("department") or request.POST.get("department") or ""
    if str(raw).isdigit():
        found = pages.one_of(departments, raw)
        if found is None:
            raise Http404
        return found
    profile = _own_profile(request)
    if profile is not None and profile.department_id:
        return pages.one_of(departments, profile.department_id)
    return None


def _queue_page(request, department, who: str) -> dict:
    """The tab's page of cases after the cursor ``?after=`` (each with its away
    handler), the away people and the staff. A cursor this page never wrote shows the
    first page with a message."""
    page, staff, away = None, [], {}
    if department is not None:
        read = functools.partial(
            queue_page.department_queue_page,
            request.scope,
            department.pk,
            user=request.user,
            who=who,
        )
        outcome = attempt(read, after=request.GET.get("after") or None)
        page = outcome.value
        if outcome.error is not None:
            messages.error(request, outcome.error.message)
            page = read()
        staff = list(queues.department_staff(department.pk))
        away = queues.away_handlers(department.pk)
        for case in page.cases:
            case.away = away.get(case.assignee_id)
    return {
        "page": page,
        "away": [
            {"user": p.user, "until": p.away_until, "handler": away[p.user_id]["handler"]}
            for p in staff
            if p.user_id in away
        ],
        "receivers": [p for p in staff if has_any(p.roles, "case.back")],
        "staff": staff,
    }


@login_required
def queue(request):
    """我的待办 / 本部门办件: the department's open back-office cases by deadline."""
    if not may(request.user, "case.queue"):
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
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("after", None)
    choices = pages.department_choices(departments)
    return render(
        request,
        "cases/supervision/queue.html",
        {
            "department": department,
            "departments": choices if len(choices) > 1 else [],
            "who": who,
            "whos": queues.WHO,
            "counts": counts,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "title": queues.WHO[who],
            "can_hand_over": department is not None
            and actions.can_hand_over(request.user, department),
            **_queue_page(request, department, who),
        },
    )


def _handover(request, department):
    post = request.POST
    back = back_to(request, f"{request.path}?department={department.pk}&who=all")
    source = post.get("from_user", "")
    from_user = None if source == "none" else pages.user_by_id(source)
    if source != "none" and from_user is None:
        raise InvalidInput("queue.bad_source", "请选择要移交谁的办件。")
    moved = supervision.queue_handover(
        actor=request.user,
        department=department,
        from_user=from_user,
        to_user=pages.user_by_id(post.get("to_user")),
        reason=post.get("reason", ""),
    )
    messages.success(request, f"已移交{moved}件办件，每件均记入办理记录。")
    return redirect(back)


# --- backup roles (AB角) ------------------------------------------------------------------------


def _backup_place(request):
    """The department (or the center's window staff) whose AB roles the page shows."""
    scope = request.scope
    raw_center = request.GET.get("center") or request.POST.get("center") or ""
    if str(raw_center).isdigit():
        center = pages.visible_center(scope, raw_center)
        if center is None:
            raise Http404
        return None, center
    department = _chosen_department(request, queues.queue_departments(scope))
    if department is not None:
        return department, None
    profile = _own_profile(request)
    center = pages.visible_center(scope, profile.center_id) if profile is not None else None
    if center is None:
        raise Http404
    return None, center


@login_required
def backups(request):
    """The AB roles of a department (or a center's window staff): who stands in for
    whom, who is away until when; heads and center administrators change them here."""
    if not may(request.user, "case.backups"):
        raise Http404
    department, center = _backup_place(request)
    staff = pages.visible_staff(
        request.scope,
        queues.department_staff(department.pk)
        if department
        else queues.center_window_staff(center.pk),
    )
    if request.method == "POST":
        here = (
            f"{request.path}?department={department.pk}"
            if department
            else f"{request.path}?center={center.pk}"
        )
        back_to(request, here)
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


# --- the supervision board ----------------------------------------------------------------------


@login_required
def board(request):
    """督查看板: warned and overdue cases, late urgings, special procedures, late
    pre-reviews and cases deemed accepted, within the user's scope."""
    if not may(request.user, "case.board"):
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "cases/supervision/board.html",
        {"board": queues.supervision_board(scope=request.scope, today=today), "today": today},
    )
