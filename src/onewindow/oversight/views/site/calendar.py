"""The work calendar page (R-CASE-4): status of years, a month of working days, a
deadline calculator, and for administrators loading a year's official schedule and
adding local overrides. Thin: parse, call ``onewindow.core.calendar``, render.

A POST names its action; ``ACTIONS`` says who may take each and which handler does it.
A handler answers a redirect when done, or None to show the page again with its form
and the message it flashed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onewindow.core import calendar as cal
from onewindow.core.models import Deadline
from onewindow.core.pages import attempt
from onewindow.core.text import form_errors_text
from onewindow.core.workcalendar import DAY_KIND_LABELS, LimitUnit, Pause
from onewindow.oversight.selectors import calendar as sel
from onewindow.oversight.views.site.calendar_forms import (
    WEEKDAYS,
    CalculatorForm,
    OverrideForm,
    ScheduleForm,
    ViewForm,
)


@dataclass
class Forms:
    """The two management forms of the page, bound by the action that failed."""

    schedule: ScheduleForm
    override: OverrideForm


# --- the actions ------------------------------------------------------------------------


def _load_year(request, access: sel.CalendarAccess, forms: Forms):
    forms.schedule = ScheduleForm(request.POST, request.FILES, prefix="load")
    if not forms.schedule.is_valid():
        messages.error(request, form_errors_text(forms.schedule))
        return None
    d = forms.schedule.cleaned_data
    outcome = attempt(
        cal.calendar_year_load,
        actor=request.user,
        year=d["year"],
        text=d["text"],
        source=d["source"],
    )
    if not outcome.ok:
        messages.error(request, outcome.error.message)
        return None
    loaded = outcome.value
    messages.success(
        request,
        f"{loaded.year}年节假日安排已载入（{loaded.days.count()}天），"
        f"重新计算了{loaded.recomputed}个时限。",
    )
    return redirect(reverse("calendar"))


def _add_override(request, access: sel.CalendarAccess, forms: Forms):
    forms.override = OverrideForm(
        request.POST,
        prefix="ovr",
        regions=sel.regions_managed(request.scope, access),
        allow_prefecture=access.can_load,
    )
    if not forms.override.is_valid():
        messages.error(request, form_errors_text(forms.override))
        return None
    d = forms.override.cleaned_data
    outcome = attempt(
        cal.calendar_override_create,
        actor=request.user,
        date=d["date"],
        is_workday=d["kind"] == "open",
        reason=d["reason"],
        region=d["region"],
    )
    if not outcome.ok:
        messages.error(request, outcome.error.message)
        return None
    messages.success(request, "本地调整已添加。")
    return redirect(f"{reverse('calendar')}?month={d['date']:%Y-%m}")


def _delete_override(request, access: sel.CalendarAccess, forms: Forms):
    override = cal.calendar_override_find(
        actor=request.user, override_id=request.POST.get("override_id", "")
    )
    if override is None:
        messages.error(request, "未找到该本地调整。")
        return None
    outcome = attempt(cal.calendar_override_delete, actor=request.user, override_id=override.pk)
    if not outcome.ok:
        messages.error(request, outcome.error.message)
        return None
    messages.success(request, "本地调整已删除。")
    return redirect(reverse("calendar"))


ACTIONS = {
    "load_year": (lambda access: access.can_load, _load_year),
    "add_override": (lambda access: access.can_manage, _add_override),
    "delete_override": (lambda access: access.can_manage, _delete_override),
}


def _act(request, access: sel.CalendarAccess, forms: Forms):
    allowed, handler = ACTIONS.get(request.POST.get("action"), (None, None))
    if handler is None or not allowed(access):
        messages.error(request, "无法识别的操作，或您没有进行此操作的权限。")
        return None
    return handler(request, access, forms)


# --- what to show ---------------------------------------------------------------------------


def _month(request, today: date) -> dict:
    """The month and the place asked for (else this month, the person's own place)."""
    view_form = ViewForm(request.GET or None, regions=sel.regions_visible(request.scope))
    year, month = today.year, today.month
    region = sel.home_region(request.user)
    if view_form.is_bound:
        if view_form.is_valid():
            if view_form.cleaned_data["month"]:
                year, month = view_form.cleaned_data["month"]
            if "region" in request.GET:
                region = view_form.cleaned_data["region"]
        else:
            messages.error(request, form_errors_text(view_form))
    region = sel.region_shown(request.scope, region)
    work = cal.calendar_for(region=region)
    weeks = work.month(year, month)
    first = date(year, month, 1)
    return {
        "work": work,
        "view_form": view_form,
        "region": region,
        "year": year,
        "month": month,
        "weeks": weeks,
        "prev_month": (first - timedelta(days=1)).strftime("%Y-%m"),
        "next_month": (first + timedelta(days=32)).replace(day=1).strftime("%Y-%m"),
        "month_provisional": any(d and d.provisional for w in weeks for d in w),
    }


def _calculator(request, work, today: date) -> dict:
    """The deadline calculator's form and, when it was filled in, its answer."""
    calc_form = CalculatorForm(
        request.GET if "start" in request.GET else None,
        initial={"start": today, "days": 20, "unit": LimitUnit.WORKING},
    )
    if not calc_form.is_bound:
        return {"calc_form": calc_form, "result": None}
    if not calc_form.is_valid():
        messages.error(request, form_errors_text(calc_form))
        return {"calc_form": calc_form, "result": None}
    d = calc_form.cleaned_data
    pauses = [Pause(d["pause_start"], d.get("pause_end"))] if d.get("pause_start") else []
    try:
        due = work.due(d["start"], d["days"], d["unit"], pauses)
    except (ValueError, OverflowError):
        messages.error(request, "时限过长，无法计算截止日。")
        return {"calc_form": calc_form, "result": None}
    result = {
        "due": due,
        "data": d,
        "unit_label": dict(Deadline.Unit.choices)[d["unit"]],
        "weekday": WEEKDAYS[due.date.weekday()] if due.date else "",
    }
    return {"calc_form": calc_form, "result": result}


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    if not sel.is_staff(request.user):
        raise Http404
    today = timezone.localdate()
    access = sel.CalendarAccess.of(request.user, request.scope)
    forms = Forms(
        schedule=ScheduleForm(prefix="load", initial={"year": today.year + 1}),
        override=OverrideForm(
            prefix="ovr",
            regions=sel.regions_managed(request.scope, access),
            allow_prefecture=access.can_load,
        ),
    )
    if request.method == "POST":
        done = _act(request, access, forms)
        if done is not None:
            return done
    month = _month(request, today)
    calculator = _calculator(request, month.pop("work"), today)
    return render(
        request,
        "core/calendar.html",
        {
            **month,
            **calculator,
            "today": today,
            "warning": cal.calendar_warning(today),
            "status": cal.calendar_status(today),
            "weekdays": WEEKDAYS,
            "kind_labels": DAY_KIND_LABELS,
            "can_manage": access.can_manage,
            "can_load": access.can_load,
            "schedule_form": forms.schedule,
            "override_form": forms.override,
            "overrides": sel.overrides_shown(request.user, request.scope, access, today),
        },
    )
