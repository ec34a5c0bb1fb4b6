"""Pages of certification by pledge (R-CASE-5): the department's verification queue, a
verification and its result, and the record of false pledges."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.cases.models import PledgeCheck
from onewindow.cases.services import pledges
from onewindow.core.errors import DomainError, NotFound

QUEUE_FILTERS = [("pending", "待核查"), ("done", "已核查"), ("false", "虚假承诺"), ("all", "全部")]


def _check_or_404(request, check_id: int) -> PledgeCheck:
    try:
        return pledges.pledge_check_get_for(scope=request.scope, check_id=check_id)
    except NotFound:
        raise Http404 from None


@login_required
def pledge_queue(request):
    """The verification queue of the department (or the scope), the earliest due first."""
    if not pledges.may_see_queue(request.user):
        raise Http404
    checks = pledges.pledge_checks_for(scope=request.scope)
    state = request.GET.get("state") or "pending"
    if state not in dict(QUEUE_FILTERS):
        state = "pending"
    if state == "pending":
        checks = checks.filter(state=PledgeCheck.State.PENDING)
    elif state == "done":
        checks = checks.exclude(state=PledgeCheck.State.PENDING)
    elif state == "false":
        checks = checks.filter(state=PledgeCheck.State.FALSE)
    today = timezone.localdate()
    page = Paginator(checks, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/pledges/queue.html",
        {
            "page": page,
            "rows": [
                {
                    "check": c,
                    "overdue": c.state == PledgeCheck.State.PENDING and c.due < today,
                    "can_record": pledges.can_record(request.user, c),
                }
                for c in page
            ],
            "filters": QUEUE_FILTERS,
            "state": state,
            "query": query.urlencode(),
            "overdue_count": pledges.pledge_checks_for(scope=request.scope)
            .filter(state=PledgeCheck.State.PENDING, due__lt=today)
            .count(),
            "today": today,
        },
    )


@login_required
def pledge_check_detail(request, check_id: int):
    check = _check_or_404(request, check_id)
    return render(
        request,
        "cases/pledges/check.html",
        {
            "check": check,
            "case": check.case,
            "overdue": check.state == PledgeCheck.State.PENDING
            and check.due < timezone.localdate(),
            "can_record": pledges.can_record(request.user, check),
            "false_count": pledges.false_pledge_count(check.case.applicant),
            "record": getattr(check, "record", None)
            if check.state == PledgeCheck.State.FALSE
            else None,
        },
    )


@login_required
@require_POST
def pledge_check_record(request, check_id: int):
    check = _check_or_404(request, check_id)
    back = request.POST.get("back")
    result = request.POST.get("result", "")
    done = False
    try:
        if result not in ("true", "false"):
            messages.error(request, "请选择核查结论：承诺属实或虚假承诺。")
        else:
            pledges.pledge_check_record(
                actor=request.user,
                check=check,
                truthful=result == "true",
                note=request.POST.get("note", ""),
            )
            done = True
            if result == "true":
                messages.success(request, f"已记录：“{check.material.name}”承诺属实，核查完成。")
            else:
                messages.success(
                    request,
                    f"已记录虚假承诺：“{check.material.name}”。已记入申请人信用记录，"
                    "该申请人今后不再适用告知承诺；准予决定须依法复核。",
                )
    except DomainError as exc:
        messages.error(request, exc.message)
    if back == "case":
        return redirect("cases:case_detail", case_id=check.case_id)
    if back == "queue" and done:
        return redirect("cases:pledge_queue")
    return redirect("cases:pledge_check", check_id=check.pk)


@login_required
def false_pledges(request):
    """The record of false pledges within the reader's scope."""
    if not pledges.may_see_records(request.user):
        raise Http404
    records = pledges.false_pledges_for(scope=request.scope)
    applicant = request.GET.get("applicant", "")
    if applicant.isdigit():
        records = records.filter(applicant_id=int(applicant))
    else:
        applicant = ""
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    if q:
        records = records.filter(applicant__name__icontains=q) | records.filter(
            applicant__credit_code=q.upper()
        )
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/pledges/false_pledges.html",
        {"page": page, "q": q, "applicant": applicant, "query": query.urlencode()},
    )
