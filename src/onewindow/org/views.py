"""Staff pages of the organisation: thin, through the scoped selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from onewindow.core.errors import DomainError, NotFound
from onewindow.org import selectors, services
from onewindow.org.models import Level


def _or_404(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


@login_required
def center_list(request):
    level = request.GET.get("level") or None
    if level not in (None, *Level.values):
        level = None
    q = (request.GET.get("q") or "").strip()
    centers = selectors.center_list(scope=request.scope, level=level)
    if q:
        centers = centers.filter(name__icontains=q)
    page = Paginator(centers, 30).get_page(request.GET.get("page"))
    return render(request, "org/center_list.html", {
        "page": page, "levels": Level.choices, "level": level or "", "q": q,
    })


@login_required
def center_detail(request, center_id: int):
    center = _or_404(selectors.center_get, scope=request.scope, center_id=center_id)
    return render(request, "org/center_detail.html", {
        "center": center,
        "units": center.units.all(),
        "departments": selectors.department_list(scope=request.scope, center=center),
        "counts": selectors.center_detail_counts(center),
    })


@login_required
def department_detail(request, department_id: int):
    dept = _or_404(selectors.department_get, scope=request.scope, department_id=department_id)
    return render(request, "org/department_detail.html", {
        "department": dept,
        "upper": dept.upper,
        "staff": selectors.staff_list(scope=request.scope).filter(department=dept),
    })


@login_required
def staff_list(request):
    staff = selectors.staff_list(scope=request.scope)
    q = (request.GET.get("q") or "").strip()
    if q:
        staff = staff.filter(user__full_name__icontains=q) | staff.filter(staff_no__startswith=q)
    page = Paginator(staff, 30).get_page(request.GET.get("page"))
    return render(request, "org/staff_list.html", {"page": page, "q": q})


@login_required
def staff_detail(request, profile_id: int):
    profile = _or_404(selectors.staff_get, scope=request.scope, profile_id=profile_id)
    revealed = None
    if request.method == "POST":
        try:
            revealed = services.staff_reveal_id_number(
                actor=request.user, profile_id=profile.pk, reason=request.POST.get("reason", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "org/staff_detail.html", {"profile": profile, "revealed": revealed})
