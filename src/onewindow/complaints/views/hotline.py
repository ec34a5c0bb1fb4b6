"""The 12345 hotline's orders: import of the hotline's Excel file (all or nothing, every
bad row reported), its template, and the export of the answers in its layout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from onewindow.complaints import hotline, selectors, selectors_pages
from onewindow.core import xlsx
from onewindow.core.pages import attempt

MAX_UPLOAD = 10 * 1024 * 1024


@login_required
def hotline_page(request):
    user = request.user
    if not selectors_pages.registers(user):
        raise Http404
    centers = selectors_pages.registration_centers(scope=request.scope, user=user)
    context = {"centers": centers[:200], "report": None}
    if request.method == "POST":
        target = selectors_pages.center_by_id(centers, request.POST.get("center"))
        upload = request.FILES.get("file")
        if target is None or upload is None:
            context["error"] = "请选择中心并选择要导入的12345工单文件（.xlsx）。"
        elif upload.size > MAX_UPLOAD:
            context["error"] = "文件过大（不超过10MB）。"
        else:
            outcome = attempt(hotline.hotline_import, actor=user, center=target, source=upload)
            if not outcome.ok:
                context["error"] = outcome.error.message
            elif outcome.value.ok:
                messages.success(request, f"已导入12345工单 {len(outcome.value.created)} 条。")
                return redirect("complaints:hotline")
            else:
                context["report"] = outcome.value
    context["answered"] = selectors_pages.hotline_answered(scope=request.scope)
    return render(request, "complaints/staff/hotline.html", context)


@login_required
def hotline_template(request):
    return xlsx.response(hotline.template(), "12345工单导入模板.xlsx")


@login_required
def hotline_export(request):
    if not selectors_pages.registers(request.user):
        raise Http404
    if request.method != "POST":
        return redirect("complaints:hotline")
    data = hotline.hotline_answers_export(
        actor=request.user, queryset=selectors.complaints_for(scope=request.scope)
    )
    return xlsx.response(data, f"12345答复-{timezone.localdate().isoformat()}.xlsx")
