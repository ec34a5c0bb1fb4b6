"""The center administrator's appointment pages (R-HALL-6): the slots of a day (from a
template or one by one, capacity, duty roster), its bookings, no-shows and suspensions,
and the home-visit queue. The public booking pages live in ``portal/views/hall``."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from onewindow.core.errors import NotFound
from onewindow.core.pages import attempt, back_to
from onewindow.core.text import form_errors_text
from onewindow.hall import appointments as appt
from onewindow.hall import home_visit_states as hv
from onewindow.hall.appointments import selectors as appt_selectors
from onewindow.hall.forms import (
    VISIT_FORMS,
    AssignForm,
    HomeVisitForm,
    SlotForm,
    SlotUpdateForm,
    TemplateForm,
    apply_error,
)


def _parse_day(raw) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


@login_required
def staff_home(request):
    centers = appt.centers_for_admin(request.user)
    if not centers.exists():
        raise NotFound("center.not_found", "未找到该服务中心。")
    return render(request, "hall/appointments/staff_home.html", {"centers": centers})


# --- the slots of a day ----------------------------------------------------------------------


def _day_url(center, day) -> str:
    return f"{reverse('hall:appointments_staff', args=[center.pk])}?day={day}"


def _make_from_template(request, center, day, form):
    d = form.cleaned_data
    outcome = attempt(
        appt.slots_create_from_template,
        actor=request.user,
        center=center,
        category=d["category"],
        day=day,
        template=d["template"],
        capacity=d["capacity"],
        duty_staff=d["duty_staff"],
    )
    if outcome.ok:
        messages.success(request, f"已生成{len(outcome.value)}个时段（已有的时段保持不变）。")
    return outcome


def _make_slot(request, center, day, form):
    d = form.cleaned_data
    outcome = attempt(
        appt.slots_create,
        actor=request.user,
        center=center,
        category=d["category"],
        day=day,
        start=d["start"],
        end=d["end"],
        capacity=d["capacity"],
        extended=d["extended"],
        duty_staff=d["duty_staff"],
    )
    if outcome.ok:
        messages.success(request, "时段已添加。")
    return outcome


SLOT_MAKERS = {
    "template": (TemplateForm, "t", _make_from_template),
    "slot": (SlotForm, "s", _make_slot),
}


def _update_slot(request, center, day):
    back_to(request, _day_url(center, day))
    slot = appt_selectors.slot_at(center, request.POST.get("slot"))
    form = SlotUpdateForm(request.POST, center=center, prefix=f"u{slot.pk}")
    if form.is_valid():
        appt.slot_update(
            actor=request.user,
            slot=slot,
            capacity=form.cleaned_data["capacity"],
            duty_staff=form.cleaned_data["duty_staff"],
        )
        messages.success(request, f"{slot.start:%H:%M}时段已更新。")
    else:
        messages.error(request, form_errors_text(form))
    return redirect(_day_url(center, day))


def _staff_day_page(request, center, day, forms: dict, status: int = 200):
    today = timezone.localdate()
    data = appt_selectors.staff_day(center, day, today)
    for slot in data["slots"]:
        slot.form = SlotUpdateForm(
            center=center,
            prefix=f"u{slot.pk}",
            initial={
                "capacity": slot.capacity,
                "duty_staff": [u.pk for u in slot.duty_staff.all()],
            },
        )
    context = {
        "center": center,
        "day": day,
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        **data,
        "template_form": forms.get("template") or TemplateForm(center=center, prefix="t"),
        "slot_form": forms.get("slot") or SlotForm(center=center, prefix="s"),
        "today": today,
    }
    return render(request, "hall/appointments/staff_day.html", context, status=status)


@login_required
def staff_day(request, center_id: int):
    center = appt.center_for_admin(actor=request.user, center_id=center_id)
    day = _parse_day(request.GET.get("day") or request.POST.get("day")) or timezone.localdate()
    if request.method != "POST":
        return _staff_day_page(request, center, day, {})
    action = request.POST.get("action")
    if action == "update":
        return _update_slot(request, center, day)
    if action not in SLOT_MAKERS:
        raise NotFound("appointment.action", "不支持的操作。")
    form_class, prefix, make = SLOT_MAKERS[action]
    form = form_class(request.POST, center=center, prefix=prefix)
    if not form.is_valid():
        return _staff_day_page(request, center, day, {action: form}, status=422)
    outcome = make(request, center, day, form)
    if outcome.ok:
        return redirect(_day_url(center, day))
    apply_error(form, outcome.error)
    return _staff_day_page(request, center, day, {action: form}, status=outcome.error.status)


# --- home visits -------------------------------------------------------------------------------


def _visit_step(request, visit, action: str, data: dict):
    """Run one step of a home visit's life (hall/home_visit_states.py)."""
    actor = request.user
    if action == "assign":
        return attempt(
            appt.home_visit_assign,
            actor=actor,
            visit=visit,
            staff=data["staff"],
            visit_on=data["visit_on"],
        )
    if action == "visit":
        return attempt(appt.home_visit_mark_visited, actor=actor, visit=visit)
    if action == "mail":
        return attempt(
            appt.home_visit_mark_mailed,
            actor=actor,
            visit=visit,
            tracking_number=data["tracking_number"],
        )
    return attempt(appt.home_visit_cancel, actor=actor, visit=visit, reason=data["reason"])


def _visit_form(form_class, center, prefix: str, data=None, initial=None):
    if form_class is None:
        return None
    kwargs = {"center": center} if form_class is AssignForm else {}
    return form_class(data, prefix=prefix, initial=initial or {}, **kwargs)


def _home_visits_page(request, center, intake, forms_by_visit: dict, status: int = 200):
    open_visits, closed = appt_selectors.home_visits_of(center)
    for visit in open_visits:
        visit.action_forms = []
        for t in hv.actions_from(visit.state):
            form = forms_by_visit.get((visit.pk, t.action))
            if form is None:
                initial = (
                    {"staff": visit.staff_id, "visit_on": visit.visit_on}
                    if t.action == "assign"
                    else {}
                )
                form = _visit_form(
                    VISIT_FORMS[t.action], center, f"{t.action}{visit.pk}", None, initial
                )
            visit.action_forms.append((t, form))
    context = {"center": center, "open_visits": open_visits, "closed": closed, "intake": intake}
    return render(request, "hall/appointments/staff_home_visits.html", context, status=status)


def _visit_intake(request, center):
    intake = HomeVisitForm(request.POST, center=center, prefix="n")
    if not intake.is_valid():
        return _home_visits_page(request, center, intake, {}, status=422)
    outcome = attempt(
        appt.home_visit_request, center=center, actor=request.user, **intake.cleaned_data
    )
    if not outcome.ok:
        apply_error(intake, outcome.error)
        return _home_visits_page(request, center, intake, {}, status=outcome.error.status)
    messages.success(request, "已登记上门服务申请。")
    return redirect("hall:home_visits_staff", center_id=center.pk)


def _visit_action(request, center, action: str):
    visit = appt_selectors.home_visit_at(center, request.POST.get("visit"))
    form = _visit_form(VISIT_FORMS[action], center, f"{action}{visit.pk}", request.POST)
    intake = HomeVisitForm(center=center, prefix="n")
    forms_by_visit = {(visit.pk, action): form} if form is not None else {}
    if form is not None and not form.is_valid():
        return _home_visits_page(request, center, intake, forms_by_visit, status=422)
    outcome = _visit_step(request, visit, action, form.cleaned_data if form is not None else {})
    if outcome.ok:
        messages.success(request, f"{visit.name}：已{hv.TRANSITIONS[action].label}。")
        return redirect("hall:home_visits_staff", center_id=center.pk)
    if form is not None:
        apply_error(form, outcome.error)
    else:
        messages.error(request, outcome.error.message)
    return _home_visits_page(request, center, intake, forms_by_visit, status=outcome.error.status)


@login_required
def staff_home_visits(request, center_id: int):
    center = appt.center_for_admin(actor=request.user, center_id=center_id)
    if request.method != "POST":
        return _home_visits_page(request, center, HomeVisitForm(center=center, prefix="n"), {})
    action = request.POST.get("action")
    if action == "request":
        return _visit_intake(request, center)
    if action in VISIT_FORMS:
        return _visit_action(request, center, action)
    raise NotFound("home_visit.action", "不支持的操作。")
