"""Staff pages of the catalog: thin, through the scoped selectors; every write through
``catalog.services``; a service's error is shown on the form (``core/pages.attempt``).

- the department's matters and their versions, with the before/after of every
  applied process change (R-CAT-8);
- the review queues of the legality and final reviewers;
- the change requests of listings and the government office's queue (R-CAT-4).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from onewindow.catalog import forms as cforms
from onewindow.catalog import selectors, services
from onewindow.catalog.models import ChangeRequest, ProcessChange
from onewindow.core.pages import attempt
from onewindow.core.roles import may

# --- home and matter pages --------------------------------------------------------------------


@login_required
def home(request):
    scope = request.scope
    q = cforms.query_text(request, "q", 100)
    matters = selectors.matters_search_for_staff(scope=scope, q=q)
    page = Paginator(matters, 30).get_page(request.GET.get("page"))
    open_versions = selectors.open_versions_of(m.pk for m in page)
    for m in page:
        m.open_version = open_versions.get(m.pk)
    queue = selectors.review_queue_counts(actor=request.user, scope=scope)
    return render(request, "catalog/staff/home.html", {"page": page, "q": q, "queue": queue})


@login_required
def matter_staff(request, matter_id: int):
    matter, own = selectors.matter_get_for_listing_staff(scope=request.scope, matter_id=matter_id)
    return render(
        request,
        "catalog/staff/matter.html",
        {
            "matter": matter,
            **selectors.matter_staff_page(scope=request.scope, matter=matter, own=own),
            "can_edit": own and selectors.can_edit_matter(request.user, matter),
            "own": own,
            "entrustments": selectors.entrustments_for_staff(scope=request.scope, matter=matter),
            "can_entrust": may(request.user, "catalog.entrust"),
            "today": timezone.localdate(),
        },
    )


# --- process-change reviews (R-CAT-8) ----------------------------------------------------------


@login_required
def review_queue(request):
    scope = request.scope
    return render(
        request,
        "catalog/staff/review_queue.html",
        {
            "queues": selectors.review_queues(actor=request.user, scope=scope),
            "recent": selectors.recent_process_changes(scope=scope),
        },
    )


def _review(actor, change: ProcessChange, number: int, data: dict) -> str:
    """Record the reviewer's decision at the change's stage; the page's message."""
    approve = data["decision"] == "approve"
    if change.in_legality_review:
        services.process_change_legality_review(
            actor=actor, change=change, approve=approve, opinion=data["opinion"]
        )
        return "合法性审核通过，已转审改部门终审。" if approve else "已退回修改。"
    services.process_change_final_review(
        actor=actor,
        change=change,
        approve=approve,
        opinion=data["opinion"],
        accept_exception=data["accept_exception"],
    )
    return f"终审通过，第{number}版办事指南已发布实施。" if approve else "已退回修改。"


@login_required
def review_detail(request, change_id: int):
    change = selectors.process_change_get(scope=request.scope, change_id=change_id)
    version = selectors.guide_with_parts(change.proposed_id)
    can_review = selectors.can_review(request.user, change)
    form = cforms.ReviewForm(request.POST or None)
    if request.method == "POST" and not can_review:
        form = cforms.ReviewForm()
        messages.error(request, "该申请不在您可办理的审核环节。")
    elif request.method == "POST" and form.is_valid():
        outcome = attempt(_review, request.user, change, version.number, form.cleaned_data)
        if outcome.ok:
            messages.success(request, outcome.value)
            return redirect("catalog:review_queue")
        cforms.show_error(form, outcome.error)
    base = selectors.guide_with_parts(change.base_id) if change.base_id else None
    return render(
        request,
        "catalog/staff/review_detail.html",
        {
            "change": change,
            **selectors.guide_context(version),
            "base": base,
            "form": form,
            "can_review": can_review,
            "rows": selectors.process_comparison(change.before, change.after),
            "show_exception": change.in_final_review and not version.meets_compression,
            "lint": selectors.lint_items(version),
        },
    )


# --- change requests (R-CAT-4) ------------------------------------------------------------------


@login_required
def request_list(request):
    scope, user = request.scope, request.user
    state = request.GET.get("state") or ""
    requests = selectors.change_requests_in_state(scope=scope, state=state)
    page = Paginator(requests, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/staff/request_list.html",
        {
            "queue": selectors.decision_queue(actor=user, scope=scope),
            "page": page,
            "state": state,
            "states": ChangeRequest.State.choices,
            "is_gov_office": may(user, "catalog.approve_request"),
        },
    )


@login_required
def request_detail(request, request_id: int):
    change = selectors.change_request_get(scope=request.scope, request_id=request_id)
    can_decide = change.is_submitted and selectors.can_decide(request.user, change)
    form = cforms.DecideForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            messages.error(request, "该申请已审批，或须由其他政府办公室审批。")
            return redirect("catalog:request_detail", request_id=change.pk)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            outcome = attempt(
                services.change_request_decide,
                actor=request.user,
                request=change,
                approve=approve,
                opinion=form.cleaned_data["opinion"],
            )
            if outcome.ok:
                messages.success(
                    request, "已批准，变更即时生效。" if approve else "已作出不予批准的决定。"
                )
                return redirect("catalog:request_list")
            cforms.show_error(form, outcome.error)
    return render(
        request,
        "catalog/staff/request_detail.html",
        {
            "change": change,
            "listing": change.listing,
            "rows": selectors.change_request_rows(change),
            "form": form,
            "can_decide": can_decide,
        },
    )
