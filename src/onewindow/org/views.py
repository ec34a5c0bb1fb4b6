"""Staff pages of the organisation: thin, through the scoped selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from onewindow.core.errors import DomainError
from onewindow.core.pages import attempt
from onewindow.core.roles import has_any
from onewindow.org import selectors, services
from onewindow.org.forms import StaffCreateForm, StaffDeactivateForm, StaffRolesForm
from onewindow.org.models import Level


def _is_manager(user) -> bool:
    profile = getattr(user, "staff_profile", None)
    return user.is_superuser or (profile is not None and has_any(profile.roles, "org.manage"))


def _apply_domain_error(form, exc: DomainError) -> None:
    placed = False
    for field, message in exc.fields.items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _search_text(request) -> str:
    # A NUL character cannot be sent to PostgreSQL; it is never part of a name.
    return (request.GET.get("q") or "").replace("\x00", "").strip()[:100]


@login_required
def center_list(request):
    level = request.GET.get("level") or None
    if level not in (None, *Level.values):
        level = None
    q = _search_text(request)
    centers = selectors.center_list(scope=request.scope, level=level, name=q)
    page = Paginator(centers, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "org/center_list.html",
        {
            "page": page,
            "levels": Level.choices,
            "level": level or "",
            "q": q,
        },
    )


@login_required
def center_detail(request, center_id: int):
    center = selectors.center_get(scope=request.scope, center_id=center_id)
    return render(
        request,
        "org/center_detail.html",
        {
            "center": center,
            "units": center.units.all(),
            "departments": selectors.department_list(scope=request.scope, center=center),
            "counts": selectors.center_detail_counts(center),
        },
    )


@login_required
def department_detail(request, department_id: int):
    dept = selectors.department_get(scope=request.scope, department_id=department_id)
    return render(
        request,
        "org/department_detail.html",
        {
            "department": dept,
            "upper": dept.upper,
            "staff": selectors.staff_list(scope=request.scope, department=dept),
        },
    )


@login_required
def staff_list(request):
    q = _search_text(request)
    staff = selectors.staff_list(scope=request.scope, search=q)
    page = Paginator(staff, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "org/staff_list.html",
        {
            "page": page,
            "q": q,
            "can_manage": _is_manager(request.user),
        },
    )


@login_required
def staff_create(request):
    if not _is_manager(request.user):
        raise Http404
    form = StaffCreateForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            services.staff_create,
            actor=request.user,
            username=data["username"],
            full_name=data["full_name"],
            password=data["password"] or None,
            roles=set(data["roles"]),
            staff_no=data["staff_no"],
            center=data["center"],
            department=data["department"],
            region=data["region"],
            employer_kind=data["employer_kind"],
            employer_name=data["employer_name"],
            title=data["title"],
            id_number=data["id_number"],
            phone=data["phone"],
            posting_started=data["posting_started"],
        )
        if not outcome.ok:
            _apply_domain_error(form, outcome.error)
        else:
            profile = outcome.value
            messages.success(request, f"已新增工作人员：{profile.user}")
            return redirect("org:staff_detail", profile_id=profile.pk)
    return render(request, "org/staff_form.html", {"form": form})


def _reveal(request, profile, ctx):
    outcome = attempt(
        services.staff_reveal_id_number,
        actor=request.user,
        profile_id=profile.pk,
        reason=request.POST.get("reason", ""),
    )
    if outcome.ok:
        ctx["revealed"] = outcome.value
    else:
        messages.error(request, outcome.error.message)


def _set_roles(request, profile, ctx):
    ctx["roles_form"] = form = StaffRolesForm(request.POST)
    if not form.is_valid():
        return None
    outcome = attempt(
        services.staff_set_roles,
        actor=request.user,
        profile=profile,
        roles=set(form.cleaned_data["roles"]),
    )
    if not outcome.ok:
        messages.error(request, outcome.error.message)
        return None
    messages.success(request, "角色已更新。")
    return redirect("org:staff_detail", profile_id=profile.pk)


def _deactivate(request, profile, ctx):
    ctx["deactivate_form"] = form = StaffDeactivateForm(request.POST)
    if not form.is_valid():
        return None
    outcome = attempt(
        services.staff_deactivate,
        actor=request.user,
        profile=profile,
        reason=form.cleaned_data["reason"],
    )
    if not outcome.ok:
        messages.error(request, outcome.error.message)
        return None
    messages.success(request, "已办理离岗。")
    return redirect("org:staff_detail", profile_id=profile.pk)


# action → (only for managers, handler): a handler answers a redirect when done, or None
# to show the page again (with its form, the message it flashed, what it revealed).
STAFF_ACTIONS = {
    "reveal": (False, _reveal),
    "roles": (True, _set_roles),
    "deactivate": (True, _deactivate),
}


@login_required
def staff_detail(request, profile_id: int):
    profile = selectors.staff_get(scope=request.scope, profile_id=profile_id)
    can_manage = _is_manager(request.user)
    ctx = {
        "profile": profile,
        "revealed": None,
        "can_manage": can_manage,
        "roles_form": StaffRolesForm(initial={"roles": sorted(profile.roles)}),
        "deactivate_form": StaffDeactivateForm(),
    }
    if request.method == "POST":
        managers_only, handler = STAFF_ACTIONS.get(
            request.POST.get("action", "reveal"), (False, None)
        )
        if handler is not None and (can_manage or not managers_only):
            done = handler(request, profile, ctx)
            if done is not None:
                return done
    return render(request, "org/staff_detail.html", ctx)
