"""Staff pages of the catalog: thin, through the scoped selectors; every write through
``catalog.services``; a domain error becomes a Chinese message on the page.

- the department's matters and their versions, with the before/after of every
  applied process change (R-CAT-8);
- the review queues of the legality and final reviewers;
- change requests of listings and the government office's queue (R-CAT-4).

The guide draft editor is in ``views_editor``; the entry rate and compression
reports are in ``views_reports``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render

from onewindow.catalog import forms as cforms
from onewindow.catalog import selectors, services
from onewindow.catalog.models import (
    ChangeRequest,
    GuideVersion,
    Listing,
    Matter,
    ProcessChange,
    ReviewState,
)
from onewindow.catalog.views_editor import _or_404, lint_items
from onewindow.catalog.views_public import (
    OUTSIDE_REASONS,
    compression_facts,
    guide_context,
    process_comparison,
)
from onewindow.core.errors import DomainError
from onewindow.core.roles import Role, roles_of
from onewindow.org.models import Center, Department

REQUESTER_ROLES = frozenset({Role.CENTER_ADMIN, Role.APPROVER, Role.CHIEF_REP, Role.LEADER})


def _has_role(user, role: str) -> bool:
    return user.is_superuser or role in roles_of(user)


def _search_text(request) -> str:
    return (request.GET.get("q") or "").replace("\x00", "").strip()[:100]


def _apply_domain_error(form, exc: DomainError) -> None:
    placed = False
    for field, message in exc.fields.items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed or exc.message not in exc.fields.values():
        form.add_error(None, exc.message)


# --- home and matter pages --------------------------------------------------------------------------


@login_required
def home(request):
    scope = request.scope
    matters = selectors.matters_for_staff(scope=scope).order_by("code")
    q = _search_text(request)
    if q:
        matters = matters.filter(Q(name__icontains=q) | Q(code__icontains=q))
    page = Paginator(matters, 30).get_page(request.GET.get("page"))
    open_versions = {}
    for v in GuideVersion.objects.filter(
        matter__in=[m.pk for m in page],
        status__in=[GuideVersion.Status.DRAFT, GuideVersion.Status.IN_REVIEW],
    ):
        open_versions[v.matter_id] = v
    for m in page:
        m.open_version = open_versions.get(m.pk)
    user = request.user
    queue = {}
    if _has_role(user, Role.LEGALITY_REVIEWER):
        queue["legality"] = selectors.process_changes_for(
            scope=scope, state=ReviewState.LEGALITY_REVIEW
        ).count()
    if _has_role(user, Role.FINAL_REVIEWER):
        queue["final"] = selectors.process_changes_for(
            scope=scope, state=ReviewState.FINAL_REVIEW
        ).count()
    if _has_role(user, Role.GOV_OFFICE):
        queue["requests"] = sum(
            1
            for r in selectors.change_requests_for(scope=scope, state=ChangeRequest.State.SUBMITTED)
            if services.can_decide(user, r)
        )
    return render(request, "catalog/staff/home.html", {"page": page, "q": q, "queue": queue})


@login_required
def matter_staff(request, matter_id: int):
    matter = _or_404(selectors.matter_get_for_staff, scope=request.scope, matter_id=matter_id)
    versions = list(
        matter.versions.order_by("-number").select_related("created_by", "published_by")
    )
    changes = list(
        ProcessChange.objects.filter(matter=matter)
        .select_related("base", "proposed", "submitted_by", "legality_by", "final_by")
        .order_by("-submitted_at", "-id")
    )
    for change in changes:
        change.rows = process_comparison(change.before, change.after)
    open_version = next(
        (
            v
            for v in versions
            if v.status in (GuideVersion.Status.DRAFT, GuideVersion.Status.IN_REVIEW)
        ),
        None,
    )
    listings = (
        Listing.objects.visible_to(request.scope)
        .filter(matter=matter)
        .select_related("center", "department")
    )
    current = matter.current_version
    return render(
        request,
        "catalog/staff/matter.html",
        {
            "matter": matter,
            "versions": versions,
            "changes": changes,
            "open_version": open_version,
            "can_edit": services.can_edit_matter(request.user, matter),
            "listings": listings,
            "current": current,
            "compression": compression_facts(current) if current else None,
        },
    )


# --- process-change reviews (R-CAT-8) ----------------------------------------------------------------


def _can_review(user, change: ProcessChange) -> bool:
    if change.state == ReviewState.LEGALITY_REVIEW:
        return _has_role(user, Role.LEGALITY_REVIEWER)
    if change.state == ReviewState.FINAL_REVIEW:
        return _has_role(user, Role.FINAL_REVIEWER)
    return False


@login_required
def review_queue(request):
    scope, user = request.scope, request.user
    queues = []
    if _has_role(user, Role.LEGALITY_REVIEWER):
        queues.append(
            (
                "合法性审核（司法部门）",
                "legality",
                selectors.process_changes_for(scope=scope, state=ReviewState.LEGALITY_REVIEW),
            )
        )
    if _has_role(user, Role.FINAL_REVIEWER):
        queues.append(
            (
                "终审（审改部门）",
                "final",
                selectors.process_changes_for(scope=scope, state=ReviewState.FINAL_REVIEW),
            )
        )
    recent = selectors.process_changes_for(scope=scope).select_related("submitted_by")[:50]
    return render(request, "catalog/staff/review_queue.html", {"queues": queues, "recent": recent})


@login_required
def review_detail(request, change_id: int):
    change = _or_404(selectors.process_change_get, scope=request.scope, change_id=change_id)
    version = selectors.guide_with_parts(change.proposed_id)
    can_review = _can_review(request.user, change)
    form = cforms.ReviewForm(request.POST or None)
    if request.method == "POST" and can_review and form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        try:
            if change.state == ReviewState.LEGALITY_REVIEW:
                services.process_change_legality_review(
                    actor=request.user, change=change, approve=approve, opinion=data["opinion"]
                )
                done = "合法性审核通过，已转审改部门终审。" if approve else "已退回修改。"
            else:
                services.process_change_final_review(
                    actor=request.user,
                    change=change,
                    approve=approve,
                    opinion=data["opinion"],
                    accept_exception=data["accept_exception"],
                )
                done = (
                    f"终审通过，第{version.number}版办事指南已发布实施。"
                    if approve
                    else "已退回修改。"
                )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("catalog:review_queue")
    elif request.method == "POST" and not can_review:
        form = cforms.ReviewForm()
        messages.error(request, "该申请不在您可办理的审核环节。")
    base = selectors.guide_with_parts(change.base_id) if change.base_id else None
    return render(
        request,
        "catalog/staff/review_detail.html",
        {
            "change": change,
            **guide_context(version),
            "base": base,
            "form": form,
            "can_review": can_review,
            "rows": process_comparison(change.before, change.after),
            "show_exception": change.state == ReviewState.FINAL_REVIEW
            and not version.meets_compression,
            "lint": lint_items(version),
        },
    )


# --- listings and change requests (R-CAT-4) -------------------------------------------------------------

LISTING_LABELS = {
    f: str(Listing._meta.get_field(f).verbose_name) for f in services.LISTING_LOCAL_FIELDS
}


def _listings(scope):
    return Listing.objects.visible_to(scope).select_related("matter", "center", "department")


@login_required
def listing_list(request):
    listings = _listings(request.scope).order_by("center__region__path", "matter__code")
    q = _search_text(request)
    if q:
        listings = listings.filter(Q(matter__name__icontains=q) | Q(code__icontains=q))
    status = request.GET.get("status") or ""
    if status in Listing.Status.values:
        listings = listings.filter(status=status)
    page = Paginator(listings, 30).get_page(request.GET.get("page"))
    open_ids = set(
        ChangeRequest.objects.filter(
            listing__in=[item.pk for item in page], state=ChangeRequest.State.SUBMITTED
        ).values_list("listing_id", flat=True)
    )
    for item in page:
        item.has_open_request = item.pk in open_ids
        item.outside_reason_label = OUTSIDE_REASONS.get(item.outside_reason, "")
    return render(
        request,
        "catalog/staff/listing_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": Listing.Status.choices,
            "can_request": request.user.is_superuser
            or bool(roles_of(request.user) & REQUESTER_ROLES),
        },
    )


@login_required
def listing_enter(request):
    if not (request.user.is_superuser or roles_of(request.user) & REQUESTER_ROLES):
        raise Http404
    scope = request.scope
    form = cforms.ListingEntryForm(
        request.POST or None,
        matters=Matter.objects.active().filter(current_version__isnull=False).order_by("code"),
        centers=Center.objects.visible_to(scope).filter(is_active=True).select_related("region"),
        departments=Department.objects.visible_to(scope),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        local = {
            k: data[k]
            for k in (
                "place",
                "hours",
                "phone",
                "complaint_phone",
                "windows",
                "handled_outside",
                "outside_reason",
                "outside_note",
            )
        }
        try:
            change = services.listing_request_entry(
                actor=request.user,
                matter=data["matter"],
                center=data["center"],
                department=data["department"],
                code=data["code"],
                reason=data["reason"],
                **local,
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"进驻申请已提交{change.approver_region.name}人民政府办公室审批，批准后生效。",
            )
            return redirect("catalog:request_detail", request_id=change.pk)
    return render(request, "catalog/staff/listing_enter.html", {"form": form})


@login_required
def listing_request(request, listing_id: int):
    listing = _listings(request.scope).filter(pk=listing_id).first()
    if listing is None:
        raise Http404
    initial = {
        f: getattr(listing, f)
        for f in (
            "place",
            "hours",
            "phone",
            "complaint_phone",
            "windows",
            "outside_reason",
            "outside_note",
        )
    }
    form = cforms.ListingRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        payload = {}
        if kind == ChangeRequest.Kind.CHANGE:
            payload = {
                f: data[f]
                for f in ("place", "hours", "phone", "complaint_phone", "windows")
                if data[f] != getattr(listing, f)
            }
        elif kind == ChangeRequest.Kind.WITHDRAW:
            payload = {
                "outside_reason": data["outside_reason"],
                "outside_note": data["outside_note"],
            }
        if kind == ChangeRequest.Kind.CHANGE and not payload:
            form.add_error(None, "本地信息没有变化，请填写要变更的内容。")
        else:
            try:
                change = services.listing_request_change(
                    actor=request.user, listing=listing, kind=kind, reason=data["reason"], **payload
                )
            except DomainError as exc:
                _apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    f"申请已提交{change.approver_region.name}人民政府办公室审批，批准后生效。",
                )
                return redirect("catalog:request_detail", request_id=change.pk)
    return render(request, "catalog/staff/listing_request.html", {"listing": listing, "form": form})


@login_required
def request_list(request):
    scope, user = request.scope, request.user
    queue = [
        r
        for r in selectors.change_requests_for(scope=scope, state=ChangeRequest.State.SUBMITTED)
        if services.can_decide(user, r)
    ]
    requests = selectors.change_requests_for(scope=scope).select_related("submitted_by")
    state = request.GET.get("state") or ""
    if state in ChangeRequest.State.values:
        requests = requests.filter(state=state)
    page = Paginator(requests, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/staff/request_list.html",
        {
            "queue": queue,
            "page": page,
            "state": state,
            "states": ChangeRequest.State.choices,
            "is_gov_office": _has_role(user, Role.GOV_OFFICE),
        },
    )


@login_required
def request_detail(request, request_id: int):
    change = _or_404(selectors.change_request_get, scope=request.scope, request_id=request_id)
    can_decide = change.state == ChangeRequest.State.SUBMITTED and services.can_decide(
        request.user, change
    )
    form = cforms.DecideForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            messages.error(request, "该申请已审批，或须由其他政府办公室审批。")
            return redirect("catalog:request_detail", request_id=change.pk)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.change_request_decide(
                    actor=request.user,
                    request=change,
                    approve=approve,
                    opinion=form.cleaned_data["opinion"],
                )
            except DomainError as exc:
                _apply_domain_error(form, exc)
            else:
                messages.success(
                    request, "已批准，变更即时生效。" if approve else "已作出不予批准的决定。"
                )
                return redirect("catalog:request_list")
    listing = change.listing
    rows = [
        {
            "label": LISTING_LABELS.get(k, k),
            "current": getattr(listing, k, ""),
            "proposed": OUTSIDE_REASONS.get(v, v) if k == "outside_reason" else v,
        }
        for k, v in (change.payload or {}).items()
    ]
    return render(
        request,
        "catalog/staff/request_detail.html",
        {
            "change": change,
            "listing": listing,
            "rows": rows,
            "form": form,
            "can_decide": can_decide,
        },
    )
