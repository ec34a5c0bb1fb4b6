"""Staff pages of the organisation: thin, through the scoped selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from onewindow.core.errors import DomainError, NotFound
from onewindow.core.roles import Role
from onewindow.org import selectors, services
from onewindow.org.forms import StaffCreateForm, StaffDeactivateForm, StaffRolesForm
from onewindow.org.models import Level


def _is_manager(user) -> bool:
    profile = getattr(user, "staff_profile", None)
    return user.is_superuser or (profile is not None and Role.CENTER_ADMIN in profile.roles)


def _apply_domain_error(form, exc: DomainError) -> None:
    placed = False
    for field, message in exc.fields.items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _or_404(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


def _search_text(request) -> str:
    # A NUL character cannot be sent to PostgreSQL; it is never part of a name.
    return (request.GET.get("q") or "").replace("\x00", "").strip()[:100]


@login_required
def center_list(request):
    level = request.GET.get("level") or None
    if level not in (None, *Level.values):
        level = None
    q = _search_text(request)
    centers = selectors.center_list(scope=request.scope, level=level)
    if q:
        centers = centers.filter(name__icontains=q)
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
    center = _or_404(selectors.center_get, scope=request.scope, center_id=center_id)
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
    dept = _or_404(selectors.department_get, scope=request.scope, department_id=department_id)
    return render(
        request,
        "org/department_detail.html",
        {
            "department": dept,
            "upper": dept.upper,
            "staff": selectors.staff_list(scope=request.scope).filter(department=dept),
        },
    )


@login_required
def staff_list(request):
    staff = selectors.staff_list(scope=request.scope)
    q = _search_text(request)
    if q:
        staff = staff.filter(user__full_name__icontains=q) | staff.filter(staff_no__startswith=q)
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
        try:
            profile = services.staff_create(
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
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, f"已新增工作人员：{profile.user}")
            return redirect("org:staff_detail", profile_id=profile.pk)
    return render(request, "org/staff_form.html", {"form": form})


@login_required
def staff_detail(request, profile_id: int):
    profile = _or_404(selectors.staff_get, scope=request.scope, profile_id=profile_id)
    revealed = None
    can_manage = _is_manager(request.user)
    roles_form = StaffRolesForm(initial={"roles": sorted(profile.roles)})
    deactivate_form = StaffDeactivateForm()
    if request.method == "POST":
        action = request.POST.get("action", "reveal")
        try:
            if action == "reveal":
                revealed = services.staff_reveal_id_number(
                    actor=request.user, profile_id=profile.pk, reason=request.POST.get("reason", "")
                )
            elif action == "roles" and can_manage:
                roles_form = StaffRolesForm(request.POST)
                if roles_form.is_valid():
                    services.staff_set_roles(
                        actor=request.user,
                        profile=profile,
                        roles=set(roles_form.cleaned_data["roles"]),
                    )
                    messages.success(request, "角色已更新。")
                    return redirect("org:staff_detail", profile_id=profile.pk)
            elif action == "deactivate" and can_manage:
                deactivate_form = StaffDeactivateForm(request.POST)
                if deactivate_form.is_valid():
                    services.staff_deactivate(
                        actor=request.user,
                        profile=profile,
                        reason=deactivate_form.cleaned_data["reason"],
                    )
                    messages.success(request, "已办理离岗。")
                    return redirect("org:staff_detail", profile_id=profile.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "org/staff_detail.html",
        {
            "profile": profile,
            "revealed": revealed,
            "can_manage": can_manage,
            "roles_form": roles_form,
            "deactivate_form": deactivate_form,
        },
    )
