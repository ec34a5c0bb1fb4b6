"""Pages of certification by pledge (R-CASE-5): the department's verification queue, a
verification and its result, and the record of false pledges."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.cases.models import PledgeCheck
from onewindow.cases.selectors import lists, panels, pledges
from onewindow.cases.services import pledges as pledge_services
from onewindow.core.pages import back_to

QUEUE_FILTERS = [("pending", "待核查"), ("done", "已核查"), ("false", "虚假承诺"), ("all", "全部")]


def _check_or_404(request, check_id: int) -> PledgeCheck:
    return pledges.pledge_check_get_for(scope=request.scope, check_id=check_id)


@login_required
def pledge_queue(request):
    """The verification queue of the department (or the scope), the earliest due first."""
    if not pledges.may_see_queue(request.user):
        raise Http404
    checks = pledges.pledge_checks_for(scope=request.scope)
    state = request.GET.get("state") or "pending"
    if state not in dict(QUEUE_FILTERS):
        state = "pending"
    checks = lists.checks_in(checks, state)
    today = timezone.localdate()
    page = Paginator(checks, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/pledges/queue.html",
        {
            "page": page,
            "rows": panels.check_rows(
                page, may_record=partial(pledges.can_record, request.user), today=today
            ),
            "filters": QUEUE_FILTERS,
            "state": state,
            "query": query.urlencode(),
            "overdue_count": lists.overdue_count(
                pledges.pledge_checks_for(scope=request.scope), today
            ),
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
            "overdue": lists.check_overdue(check, timezone.localdate()),
            "badge": panels.CHECK_BADGES.get(check.state, "bad"),
            "can_record": pledges.can_record(request.user, check),
            "false_count": pledges.false_pledge_count(check.case.applicant),
            "record": lists.false_pledge_record(check),
        },
    )


def _after_record(request, check: PledgeCheck, *, done: bool) -> str:
    """Where recording returns: the case page, the queue (once done), else the check."""
    back = request.POST.get("back")
    if back == "case":
        return reverse("cases:case_detail", args=[check.case_id])
    if back == "queue" and done:
        return reverse("cases:pledge_queue")
    return reverse("cases:pledge_check", args=[check.pk])


@login_required
@require_POST
def pledge_check_record(request, check_id: int):
    check = _check_or_404(request, check_id)
    result = request.POST.get("result", "")
    back_to(request, _after_record(request, check, done=False))
    if result not in ("true", "false"):
        messages.error(request, "请选择核查结论：承诺属实或虚假承诺。")
        return redirect(_after_record(request, check, done=False))
    pledge_services.pledge_check_record(
        actor=request.user,
        check=check,
        truthful=result == "true",
        note=request.POST.get("note", ""),
    )
    if result == "true":
        messages.success(request, f"已记录：“{check.material.name}”承诺属实，核查完成。")
    else:
        messages.success(
            request,
            f"已记录虚假承诺：“{check.material.name}”。已记入申请人信用记录，"
            "该申请人今后不再适用告知承诺；准予决定须依法复核。",
        )
    return redirect(_after_record(request, check, done=True))


@login_required
def false_pledges(request):
    """The record of false pledges within the reader's scope."""
    if not pledges.may_see_records(request.user):
        raise Http404
    applicant = request.GET.get("applicant", "")
    if not applicant.isdigit():
        applicant = ""
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    records = lists.false_pledge_search(
        pledges.false_pledges_for(scope=request.scope),
        applicant_id=int(applicant) if applicant else None,
        q=q,
    )
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/pledges/false_pledges.html",
        {"page": page, "q": q, "applicant": applicant, "query": query.urlencode()},
    )
