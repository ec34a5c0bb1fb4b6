"""The accountability list (R-SUP-3): for the supervisors only, in their scope; a
supervisor records an abuse (乱作为) finding with the records it rests on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from onewindow.core.pages import attempt
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.indicators import parse_month
from onewindow.oversight.selectors.accountability import abuse_form_choices, accountability_list

ABUSE_FIELDS = (
    "center_id",
    "person_id",
    "department_id",
    "finding",
    "case_numbers",
    "complaint_numbers",
    "review_ids",
)


@login_required
def accountability_page(request):
    if not may(request.user, "accountability.read"):
        raise Http404
    found = accountability_list(scope=request.scope, month=parse_month(request.GET.get("month")))
    return render(
        request,
        "oversight/accountability.html",
        {
            "found": found,
            "sections": [(k, found.of(k.code)) for k in found.kinds],
            "can_record": may(request.user, "accountability.record"),
        },
    )


@login_required
def abuse_new(request):
    if not (
        may(request.user, "accountability.read") and may(request.user, "accountability.record")
    ):
        raise Http404
    values = {name: request.POST.get(name, "") for name in ABUSE_FIELDS}
    error, errors = "", {}
    if request.method == "POST":
        outcome = attempt(services.abuse_finding_record, actor=request.user, **values)
        if outcome.ok:
            messages.success(request, "乱作为认定已登记，列入问责线索清单。")
            return redirect("oversight:accountability")
        error, errors = outcome.error.message, outcome.error.fields or {}
    return render(
        request,
        "oversight/abuse_new.html",
        {"values": values, "error": error, "errors": errors, **abuse_form_choices(request.scope)},
    )
