"""The center administrator's hall set-up pages (R-HALL-1, R-HALL-5, R-HALL-6): windows,
service categories, opening hours and the clerks' authorisations. Thin: parse a form,
call ``hall.services.setup`` or ``hall.hours``, render; a domain error becomes a Chinese
message on the page and changes nothing. Centers outside the administrator's region,
and every page for someone who is not a center administrator, answer 404 (R-NET-3).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onewindow.core.errors import NotFound
from onewindow.core.pages import attempt, back_to
from onewindow.hall import hours
from onewindow.hall.appointments import center_for_admin
from onewindow.hall.appointments import selectors as appt_selectors
from onewindow.hall.forms import apply_error
from onewindow.hall.forms_setup import (
    CategoryForm,
    GrantForm,
    PeriodFormSet,
    SummerForm,
    WindowForm,
)
from onewindow.hall.selectors import setup as selectors_setup
from onewindow.hall.services import setup

# --- helpers ------------------------------------------------------------------------------------


def _center(request, center_id):
    return center_for_admin(actor=request.user, center_id=center_id)


def _overview(center):
    return redirect("hall:setup_center", center_id=center.pk)


# --- pages ---------------------------------------------------------------------------------------


@login_required
def setup_home(request):
    centers = appt_selectors.centers_by_region(request.user)
    if not centers.exists():
        raise NotFound("center.not_found", "未找到该服务中心。")
    return render(request, "hall/setup/home.html", {"centers": centers})


@login_required
def setup_center(request, center_id: int):
    center = _center(request, center_id)
    return render(
        request,
        "hall/setup/center.html",
        {
            "center": center,
            "hours_lines": hours.hours_lines(center),
            "has_schedule": hours.stored_schedule(center) is not None,
            **selectors_setup.center_setup(center),
        },
    )


def _window_page(request, center, window=None):
    initial = {}
    if window is not None:
        initial = {f: getattr(window, f) for f in setup.WINDOW_FIELDS}
        initial["categories"] = list(window.categories.all())
    form = WindowForm(request.POST or None, center=center, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["domain"] = data["domain"].strip()
            data["single_reason"] = data["single_reason"].strip()
            if window is None:
                outcome = attempt(setup.window_create, actor=request.user, center=center, **data)
                done = f"已新增{data['number']}号窗口。"
            else:
                outcome = attempt(setup.window_update, actor=request.user, window=window, **data)
                done = f"{data['number']}号窗口已保存。"
            if outcome.ok:
                messages.success(request, done)
                return _overview(center)
            apply_error(form, outcome.error)
            status = outcome.error.status
        else:
            status = 422
    return render(
        request,
        "hall/setup/form.html",
        {
            "center": center,
            "form": form,
            "title": f"修改{window}" if window else "新增窗口",
        },
        status=status,
    )


@login_required
def window_new(request, center_id: int):
    return _window_page(request, _center(request, center_id))


@login_required
def window_edit(request, center_id: int, window_id: int):
    center = _center(request, center_id)
    window = selectors_setup.window_of(center, window_id)
    return _window_page(request, center, window)


@login_required
@require_POST
def window_active(request, center_id: int, window_id: int):
    center = _center(request, center_id)
    window = selectors_setup.window_of(center, window_id)
    active = request.POST.get("active") == "1"
    back_to(request, reverse("hall:setup_center", args=[center.pk]))
    setup.window_set_active(actor=request.user, window=window, active=active)
    messages.success(request, f"{window}已{'启用' if active else '停用'}。")
    return _overview(center)


def _category_page(request, center, category=None):
    initial = {}
    if category is not None:
        initial = {f: getattr(category, f) for f in setup.CATEGORY_FIELDS}
        initial["is_active"] = category.is_active
        initial["matters"] = list(category.matters.all())
    form = CategoryForm(request.POST or None, center=center, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            if category is None:
                data.pop("is_active")
                outcome = attempt(setup.category_create, actor=request.user, center=center, **data)
            else:
                outcome = attempt(
                    setup.category_update, actor=request.user, category=category, **data
                )
            if outcome.ok:
                messages.success(request, f"业务类别“{data['name']}”已保存。")
                return _overview(center)
            apply_error(form, outcome.error)
            status = outcome.error.status
        else:
            status = 422
    return render(
        request,
        "hall/setup/form.html",
        {
            "center": center,
            "form": form,
            "title": f"修改业务类别：{category.name}" if category else "新增业务类别",
        },
        status=status,
    )


@login_required
def category_new(request, center_id: int):
    return _category_page(request, _center(request, center_id))


@login_required
def category_edit(request, center_id: int, category_id: int):
    center = _center(request, center_id)
    category = selectors_setup.category_of(center, category_id)
    return _category_page(request, center, category)


def _grant_or_revoke(request, clerk, form):
    """Revoke the posted authorisation, or grant the form's; the outcome, or None when
    the form does not hold."""
    if request.POST.get("action") == "revoke":
        found = selectors_setup.authorization_of(clerk, request.POST.get("matter"))
        outcome = attempt(
            setup.authorization_revoke, actor=request.user, clerk=clerk, matter=found.matter
        )
        if outcome.ok:
            messages.success(request, f"已收回“{found.matter.name}”的授权。")
        return outcome
    if not form.is_valid():
        return None
    d = form.cleaned_data
    outcome = attempt(
        setup.authorization_grant,
        actor=request.user,
        clerk=clerk,
        matter=d["matter"],
        may_decide=d["may_decide"],
    )
    if outcome.ok:
        label = "受理并当场办结" if d["may_decide"] else "受理"
        messages.success(request, f"已授权{clerk}{label}“{d['matter'].name}”。")
    return outcome


@login_required
def clerk_authorizations(request, center_id: int, user_id: int):
    center = _center(request, center_id)
    clerk = selectors_setup.clerk_of(center, user_id)
    form = GrantForm(request.POST or None, center=center)
    status = 200
    if request.method == "POST":
        outcome = _grant_or_revoke(request, clerk, form)
        if outcome is not None and outcome.ok:
            return redirect(request.path)
        status = 422 if outcome is None else outcome.error.status
        if outcome is not None:
            apply_error(form, outcome.error)
    return render(
        request,
        "hall/setup/clerk.html",
        {
            "center": center,
            "clerk": clerk,
            "form": form,
            "authorizations": selectors_setup.authorizations_of(clerk),
        },
        status=status,
    )


def _hours_initial(center, sched, found) -> tuple[list[dict], dict]:
    """The stored periods and summer dates as the forms' initial data."""
    numbers = selectors_setup.window_pks_by_number(center)
    periods = [
        {
            "weekdays": [str(d) for d in sorted(p.weekdays)],
            "season": p.season,
            "start": p.start,
            "end": p.end,
            "extended": p.extended,
            "categories": sorted(p.categories),
            "windows": [numbers[n] for n in sorted(p.windows) if n in numbers],
        }
        for p in sched.periods
    ]
    summer = (
        {
            "summer_start": f"{found.summer_start_month:02d}-{found.summer_start_day:02d}",
            "summer_end": f"{found.summer_end_month:02d}-{found.summer_end_day:02d}",
        }
        if found
        else {}
    )
    return periods, summer


def _periods(formset) -> list:
    return [
        hours.PeriodInput(
            start=f.cleaned_data["start"],
            end=f.cleaned_data["end"],
            weekdays=frozenset(int(d) for d in f.cleaned_data["weekdays"]),
            season=f.cleaned_data["season"],
            extended=f.cleaned_data["extended"],
            categories=tuple(f.cleaned_data["categories"]),
            windows=tuple(f.cleaned_data["windows"]),
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
def hours_edit(request, center_id: int):
    center = _center(request, center_id)
    found = hours.stored_schedule(center)
    sched = hours.schedule_for(center)
    initial, summer_initial = _hours_initial(center, sched, found)
    data = request.POST if request.method == "POST" else None
    summer = SummerForm(data, initial=summer_initial)
    # A posted form is read as typed (not compared with the stored periods), so a
    # period left as it was is kept, and a blank one is left out.
    formset = PeriodFormSet(data, initial=None if data is not None else initial, prefix="p")
    formset.center = center
    status = 200
    if request.method == "POST":
        status = 422
        if summer.is_valid() and formset.is_valid():
            outcome = attempt(
                hours.hall_schedule_set,
                actor=request.user,
                center=center,
                periods=_periods(formset),
                summer_start=summer.cleaned_data["summer_start"],
                summer_end=summer.cleaned_data["summer_end"],
            )
            if outcome.ok:
                messages.success(
                    request, "办公时间已保存。取号、预约时段和公开页面均按新的办公时间。"
                )
                return _overview(center)
            summer.add_error(None, outcome.error.message)
            status = outcome.error.status
    return render(
        request,
        "hall/setup/hours.html",
        {
            "center": center,
            "summer": summer,
            "formset": formset,
            "hours_lines": hours.hours_lines(center, sched=sched),
            "has_schedule": found is not None,
        },
        status=status,
    )
