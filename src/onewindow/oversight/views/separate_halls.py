"""只进一扇门 (seed 二(二)4): the register of departments' separate halls in the reader's
scope with its figure, and the pages where a center administrator records, changes
and closes its level's halls. Outside the scope: not found."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from onewindow.core import clock
from onewindow.core.pages import attempt
from onewindow.core.roles import may
from onewindow.org.models import Department
from onewindow.oversight import services
from onewindow.oversight.selectors import separate_halls as sel
from onewindow.oversight.selectors.dashboard import node_departments, node_get

FIELDS = ("name", "address", "matters_count", "matters_list", "reason", "plan", "planned_close")


class HallForm(forms.Form):
    department = forms.ModelChoiceField(
        label="部门",
        queryset=Department.objects.none(),
        error_messages={"required": "请选择部门。"},
    )
    name = forms.CharField(label="大厅名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200)
    matters_count = forms.IntegerField(label="仍在大厅办理的事项数", min_value=0, max_value=10000)
    matters_list = forms.CharField(
        label="仍在大厅办理的事项（可选）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label="单独设立的原因", widget=forms.Textarea(attrs={"rows": 2}))
    plan = forms.CharField(
        label="撤并计划", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_close = forms.DateField(
        label="计划撤并日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _readable(request):
    if not (may(request.user, "separate_hall.read") or may(request.user, "separate_hall.manage")):
        raise Http404


@login_required
def register(request):
    _readable(request)
    node = node_get(scope=request.scope, param=(request.GET.get("node") or "")[:20])
    depts = node_departments(scope=request.scope, node=node)
    today = timezone.localdate(clock.now())
    return render(
        request,
        "oversight/separate_halls/register.html",
        {
            "node": node,
            "figure": sel.halls_figure(scope=request.scope, departments=depts, day=today),
            "halls": sel.halls_for(scope=request.scope).filter(department__in=depts),
            "can_record": sel.kept_departments(request.user).exists(),
        },
    )


def _form(request, hall=None):
    initial = {f: getattr(hall, f) for f in FIELDS} if hall else {}
    form = HallForm(
        request.POST or None, initial={**initial, "department": hall and hall.department_id}
    )
    form.fields["department"].queryset = sel.kept_departments(request.user)
    if hall is not None:
        form.fields["department"].disabled = True
    return form


@login_required
def hall_new(request):
    form = _form(request)
    if not form.fields["department"].queryset.exists():
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            services.separate_hall_record,
            actor=request.user,
            department_id=data["department"].pk,
            **{f: data[f] for f in FIELDS},
        )
        if outcome.ok:
            messages.success(request, f"已登记：{outcome.value}")
            return redirect("oversight:separate_halls")
        form.add_error(None, outcome.error.message)
    return render(request, "oversight/separate_halls/form.html", {"form": form, "hall": None})


@login_required
def hall_edit(request, hall_id: int):
    _readable(request)
    hall = sel.hall_get(scope=request.scope, hall_id=hall_id)
    form = _form(request, hall)
    if request.method == "POST" and "close" in request.POST:
        outcome = attempt(services.separate_hall_close, actor=request.user, hall_id=hall.pk)
    elif request.method == "POST" and form.is_valid():
        outcome = attempt(
            services.separate_hall_update,
            actor=request.user,
            hall_id=hall.pk,
            **{f: form.cleaned_data[f] for f in FIELDS},
        )
    else:
        outcome = None
    if outcome is not None and outcome.ok:
        messages.success(request, f"已保存：{outcome.value}（{outcome.value.status_label}）")
        return redirect("oversight:separate_halls")
    if outcome is not None:
        form.add_error(None, outcome.error.message)
    return render(
        request,
        "oversight/separate_halls/form.html",
        {
            "form": form,
            "hall": hall,
            "can_keep": sel.can_keep(request.user, hall),
        },
    )
