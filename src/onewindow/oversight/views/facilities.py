"""The hall's facilities pages (R-HALL-8): the day's checklist, faults and their fix,
zones and facilities, free services counted per day. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.core import clock
from onewindow.core.pages import back_to
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.models import FacilityKind, FreeService
from onewindow.oversight.selectors import duty as duty_sel
from onewindow.oversight.selectors import facilities as sel
from onewindow.oversight.selectors.guidance import month_of


def _center(request, center_id):
    if not (may(request.user, "facility.read") or may(request.user, "facility.check")):
        raise Http404
    return duty_sel.center_pick(scope=request.scope, user=request.user, center_id=center_id)


def _back(request) -> str:
    return back_to(
        request, f"{reverse('oversight:facilities')}?center={request.POST.get('center', '')}"
    )


@login_required
def home(request):
    center = _center(request, request.GET.get("center"))
    today = timezone.localdate(clock.now())
    ctx = {
        "center": center,
        "centers": duty_sel.centers(scope=request.scope),
        "today": today,
        "can_check": may(request.user, "facility.check"),
        "manage": may(request.user, "facility.manage"),
    }
    if center is not None:
        scope = request.scope
        done = sel.free_services_today(scope=scope, center=center, day=today)
        ctx.update(
            check=sel.check_of_day(scope=scope, center=center, day=today),
            facilities=sel.facilities(scope=scope, center=center),
            zones=sel.zones(scope=scope, center=center),
            open_faults=sel.faults(scope=scope, center=center, state="open"),
            fixed=sel.faults(scope=scope, center=center, state="fixed", limit=8),
            summary=sel.fault_summary(scope=scope, center=center),
            checks=sel.recent_checks(scope=scope, center=center, limit=5),
            free=[(v, label, done.get(v, 0)) for v, label in FreeService.choices],
            kinds=FacilityKind.choices,
        )
    return render(request, "oversight/facilities/home.html", ctx)


@login_required
@require_POST
def check_record(request):
    url = _back(request)
    problems = {
        key.removeprefix("problem_"): value
        for key, value in request.POST.items()
        if key.startswith("problem_") and value.strip()
    }
    check = services.facility_check_record(
        actor=request.user,
        center_id=request.POST.get("center"),
        problems=problems,
        note=request.POST.get("note", ""),
    )
    wrong = sum(1 for i in check.items.all() if not i.ok)
    messages.success(
        request, f"已登记今日设施检查：{check.items.count()} 项，发现问题 {wrong} 项（已报修）。"
    )
    return redirect(url)


@login_required
@require_POST
def fault_report(request):
    url = _back(request)
    fault = services.facility_fault_report(
        actor=request.user,
        facility_id=request.POST.get("facility"),
        description=request.POST.get("description"),
    )
    messages.success(request, f"已报修：{fault.facility}。")
    return redirect(url)


@login_required
@require_POST
def fault_fix(request, fault_id):
    url = _back(request)
    fault = services.facility_fault_fix(
        actor=request.user, fault_id=fault_id, fix_note=request.POST.get("fix_note")
    )
    messages.success(request, f"已登记修复：{fault.facility}，用时 {fault.hours_to_fix:.1f} 小时。")
    return redirect(url)


@login_required
@require_POST
def zone_add(request):
    url = _back(request)
    zone = services.hall_zone_add(
        actor=request.user, center_id=request.POST.get("center"), name=request.POST.get("name")
    )
    messages.success(request, f"已新增功能区：{zone.name}。")
    return redirect(url)


@login_required
@require_POST
def facility_add(request):
    url = _back(request)
    facility = services.facility_add(
        actor=request.user,
        zone_id=request.POST.get("zone"),
        kind=request.POST.get("kind", ""),
        name=request.POST.get("name", ""),
        quantity=request.POST.get("quantity") or 1,
    )
    messages.success(request, f"已新增设施：{facility}。")
    return redirect(url)


@login_required
@require_POST
def free_add(request):
    url = _back(request)
    row = services.free_service_add(
        actor=request.user,
        center_id=request.POST.get("center"),
        service=request.POST.get("service", ""),
        count=request.POST.get("count") or 1,
    )
    messages.success(request, f"{row.get_service_display()}：今日已登记 {row.count} 次。")
    return redirect(url)


@login_required
def free_services(request):
    center = _center(request, request.GET.get("center"))
    year, month = month_of(request.GET.get("month"), today=timezone.localdate(clock.now()))
    table = (
        sel.free_services_month(scope=request.scope, center=center, year=year, month=month)
        if center
        else None
    )
    ctx = {
        "center": center,
        "centers": duty_sel.centers(scope=request.scope),
        "table": table,
        "month": f"{year}-{month:02d}",
    }
    return render(request, "oversight/facilities/free.html", ctx)
