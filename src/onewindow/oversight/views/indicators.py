"""The departments' indicators of a month (R-SUP-2, R-EVAL-3): each indicator's formula
next to its value, per department and center in the reader's scope; the thresholds the
center administrator sets; the talk list (约谈名单); the Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onewindow.core import xlsx
from onewindow.core.pages import back_to
from onewindow.core.roles import may
from onewindow.org.models import Department
from onewindow.oversight import services
from onewindow.oversight.exports.indicators import indicators_workbook
from onewindow.oversight.indicators import (
    BY_CODE,
    INDICATORS,
    indicator_report,
    parse_month,
    report_centers,
    talk_list,
)
from onewindow.oversight.views.params import int_param


def _report(request):
    if not may(request.user, "assessment.read"):
        raise Http404
    month = parse_month(request.GET.get("month"))
    center_id = int_param(request, "center")
    profile = getattr(request.user, "staff_profile", None)
    if "center" not in request.GET and profile is not None and profile.center_id:
        # a center's own people start with their own center; 全部 is one choice away
        own = report_centers(scope=request.scope).filter(pk=profile.center_id).exists()
        center_id = profile.center_id if own else None
    return indicator_report(scope=request.scope, month=month, center_id=center_id)


@login_required
def indicators_page(request):
    report = _report(request)
    scope = request.scope
    talks = None
    if may(request.user, "assessment.talks"):
        depts = Department.objects.visible_to(scope).select_related("center")
        if report.center:
            depts = depts.filter(center=report.center)
        talks = talk_list(depts, report.month)
    return render(
        request,
        "oversight/indicators/page.html",
        {
            "report": report,
            "month_text": f"{report.month:%Y-%m}",
            "centers": report_centers(scope=scope),
            "talks": talks,
            "can_set": may(request.user, "assessment.thresholds"),
            "threshold_centers": report_centers(scope=scope)
            if report.center is None
            else [report.center],
            "indicators": INDICATORS,
        },
    )


@login_required
def indicators_export(request):
    report = _report(request)
    return xlsx.response(indicators_workbook(report), f"部门考核指标-{report.month:%Y-%m}.xlsx")


@login_required
@require_POST
def threshold_set(request):
    center_id = int_param(request, "center", source=request.POST)
    code = (request.POST.get("indicator") or "")[:40]
    month = parse_month(request.POST.get("month"))
    url = back_to(request, f"{reverse('oversight:indicators')}?month={month:%Y-%m}")
    services.threshold_set(
        actor=request.user,
        center_id=center_id or 0,
        indicator=code,
        value=(request.POST.get("value") or "")[:20],
    )
    messages.success(request, f"已设置“{BY_CODE[code].name}”的阈值。")
    return redirect(url)
