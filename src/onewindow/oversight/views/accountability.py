"""The accountability list (R-SUP-3): for the supervisors only, in their scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from onewindow.core.roles import may
from onewindow.oversight.indicators import parse_month
from onewindow.oversight.selectors.accountability import accountability_list


@login_required
def accountability_page(request):
    if not may(request.user, "accountability.read"):
        raise Http404
    found = accountability_list(scope=request.scope, month=parse_month(request.GET.get("month")))
    return render(
        request,
        "oversight/accountability.html",
        {"found": found, "sections": [(k, found.of(k.code)) for k in found.kinds]},
    )
