"""Staff pages of the licences (R-MSG-2): a case's licences with issue, revoke and
replace; a licence's PDF; the visits per matter against the guides' promise."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.cases import selectors as case_selectors
from onewindow.core.pages import back_to
from onewindow.core.roles import may
from onewindow.licences import document, selectors, services, visits
from onewindow.licences import payload as payloads


@login_required
def case_licences(request, case_id: int):
    case = case_selectors.case_get_for(scope=request.scope, case_id=case_id)
    licences = selectors.licences_of_case(scope=request.scope, case=case)
    rows = [(lic, payloads.grouped(lic.code), lic.state == lic.State.VALID) for lic in licences]
    context = {
        "case": case,
        "rows": rows,
        "approved": selectors.approved(case),
        "has_valid": any(valid for _, _, valid in rows),
        "may_issue": may(request.user, services.ISSUE),
        "may_revoke": may(request.user, services.REVOKE),
        "visits": visits.visits_of(case),
        "promised": case.guide_version.visits,
    }
    return render(request, "licences/case.html", context)


@login_required
@require_POST
def issue(request, case_id: int):
    case = case_selectors.case_get_for(scope=request.scope, case_id=case_id)
    back_to(request, reverse("licences:case", args=[case.pk]))
    licence = services.licence_issue(actor=request.user, case=case)
    messages.success(request, f"已签发电子证照 {licence.number}。")
    return redirect("licences:case", case.pk)


@login_required
@require_POST
def revoke(request, licence_id: int):
    licence = selectors.licence_get_for(scope=request.scope, licence_id=licence_id)
    back_to(request, reverse("licences:case", args=[licence.case_id]))
    reason = request.POST.get("reason", "")
    if request.POST.get("replace"):
        new = services.licence_replace(actor=request.user, licence=licence, reason=reason)
        messages.success(request, f"已换发，新证照编号 {new.number}。")
    else:
        services.licence_revoke(actor=request.user, licence=licence, reason=reason)
        messages.success(request, f"电子证照 {licence.number} 已撤销。")
    return redirect("licences:case", licence.case_id)


@login_required
def licence_pdf(request, licence_id: int):
    licence = selectors.licence_get_for(scope=request.scope, licence_id=licence_id)
    return document.pdf_response(licence, request)


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat((text or "")[:10]) if text else default
    except ValueError:
        return default


@login_required
def visit_stats(request):
    if not may(request.user, "licence.visits"):
        raise Http404
    today = timezone.localdate()
    until = _day(request.GET.get("until"), today)
    since = _day(request.GET.get("since"), until - timedelta(days=365))
    error = "起始日期不能晚于截止日期。" if since > until else ""
    cases = visits.received_between(request.scope, since, until)
    rows = [] if error else visits.visits_by_matter(cases)
    totals = {
        "cases": sum(r.cases for r in rows),
        "within": sum(r.within for r in rows),
        "once": sum(r.cases for r in rows if r.promised <= 1),
    }
    context = {"rows": rows, "since": since, "until": until, "error": error, "totals": totals}
    return render(request, "licences/visits.html", context, status=400 if error else 200)
