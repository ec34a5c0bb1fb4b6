"""Staff pages of the catalog: thin, through the scoped selectors; every write through
``catalog.services``; a domain error becomes a Chinese message on the page.

- the department's matters and their versions, with the before/after of every
  applied process change (R-CAT-8);
- the guide draft editor: lint (R-CAT-6), direct publication of wording changes,
  submission of process changes for legality and final review;
- the review queues of the legality and final reviewers;
- change requests of listings and the government office's queue (R-CAT-4).

The entry rate and compression reports are in ``views_reports``.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html

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
from onewindow.catalog.views_public import (
    OUTSIDE_REASONS,
    compression_facts,
    guide_context,
    process_comparison,
)
from onewindow.core.errors import DomainError, NotFound
from onewindow.org.models import Center, Department
from onewindow.org.roles import Role

REQUESTER_ROLES = frozenset({Role.CENTER_ADMIN, Role.APPROVER, Role.CHIEF_REP, Role.LEADER})


def _roles(user) -> frozenset[str]:
    profile = getattr(user, "staff_profile", None)
    return profile.roles if profile is not None and profile.active else frozenset()


def _has_role(user, role: str) -> bool:
    return user.is_superuser or role in _roles(user)


def _or_404(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


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


# --- lint findings shown with the clause marked ------------------------------------------------


def lint_items(version: GuideVersion, findings=None) -> list[dict]:
    """Each finding with its field's label and the clause marked in its text."""
    texts = services.guide_texts(version)
    findings = services.guide_lint(version) if findings is None else findings
    items = []
    for f in findings:
        text = texts.get(f.field, "")
        start, end = max(0, f.start - 30), min(len(text), f.end + 30)
        excerpt = format_html(
            '{}{}<mark class="clause">{}</mark>{}{}',
            "…" if start > 0 else "",
            text[start : f.start],
            text[f.start : f.end],
            text[f.end : end],
            "…" if end < len(text) else "",
        )
        items.append(
            {
                "field": f.field,
                "label": services.field_label(f.field),
                "clause": f.clause,
                "message": f.message,
                "excerpt": excerpt,
                "blocking": f.blocking,
            }
        )
    return items


def _findings_by_row(items: list[dict]) -> dict[str, dict[int, list[dict]]]:
    """ "materials[2].name" → {"materials": {1: [item]}} (form index from 0)."""
    rows: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        head, _, rest = item["field"].partition("[")
        if rest:
            index = rest.partition("]")[0]
            if index.isdigit():
                rows[head][int(index) - 1].append(item)
        else:
            rows["fields"][head].append(item)
    return rows


# --- the editor ------------------------------------------------------------------------------------

GUIDE_FORM_FIELDS = tuple(cforms.GuideFieldsForm.base_fields)


def _material_row(m) -> dict:
    return {
        "name": m.name,
        "material_type": m.material_type.code if m.material_type_id else "",
        "form": m.form,
        "copies": m.copies,
        "requirement": m.requirement,
        "condition": m.condition,
        "source": m.source,
        "shared_from": m.shared_from,
        "pledge_allowed": m.pledge_allowed,
        "paper_needed": m.paper_needed,
        "note": m.note,
    }


def _step_row(s) -> dict:
    return {"name": s.name, "description": s.description, "days": s.days}


def _faq_rows(faq) -> list[dict]:
    return [
        {"question": str(i.get("question", "")), "answer": str(i.get("answer", ""))}
        for i in faq or []
    ]


def _form_field_rows(items) -> list[dict]:
    return [
        {
            "key": str(i.get("key", "")),
            "label": str(i.get("label", "")),
            "type": str(i.get("type", "text")),
            "required": bool(i.get("required", False)),
        }
        for i in items or []
    ]


def _editor_initial(version: GuideVersion | None, matter: Matter):
    if version is None:
        return {
            "limit_unit": "working",
            "online_depth": "pre_review",
            "visits": 1,
            "fees": "不收费",
            "is_free": True,
        }, {}
    fields = {f: getattr(version, f) for f in GUIDE_FORM_FIELDS}
    rows = {
        "materials": [_material_row(m) for m in version.materials.all()],
        "steps": [_step_row(s) for s in version.steps.all()],
        "faq": _faq_rows(version.faq),
        "form_fields": _form_field_rows(version.form_fields),
    }
    return fields, rows


def _rows_with_forms(formset) -> list[tuple]:
    pairs = []
    for form in formset.forms:
        if not form.has_changed() and form.empty_permitted:
            continue
        if formset._should_delete_form(form):
            continue
        pairs.append((form, {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}))
    return pairs


def _place_row_errors(exc: DomainError, fields_form, sets) -> bool:
    """Put a service's field errors ("materials[2].condition") on the editor's rows."""
    placed = False
    pairs = {name: _rows_with_forms(fs) for name, fs in sets.items()}
    for key, message in exc.fields.items():
        head, _, rest = key.partition("[")
        if rest:
            index, _, sub = rest.partition("]")
            sub = sub.lstrip(".")
            rows = pairs.get(head, [])
            if index.isdigit() and 0 < int(index) <= len(rows):
                form = rows[int(index) - 1][0]
                form.add_error(sub if sub in form.fields else None, message)
                placed = True
        elif key in fields_form.fields:
            fields_form.add_error(key, message)
            placed = True
    return placed


def _save_draft(
    actor, matter: Matter, version: GuideVersion | None, fields_form, sets
) -> GuideVersion:
    """Write what changed, all or nothing, through the services."""
    data = dict(fields_form.cleaned_data)
    faq = [dict(r) for r in sets["faq"].rows()]
    form_fields = [dict(r) for r in sets["form_fields"].rows()]
    materials = [dict(r) for r in sets["materials"].rows()]
    steps = [dict(r) for r in sets["steps"].rows()]
    with transaction.atomic():
        if version is None:
            version = services.guide_draft_create(
                actor=actor, matter=matter, faq=faq, form_fields=form_fields, **data
            )
            services.guide_materials_set(actor=actor, version=version, materials=materials)
            services.guide_steps_set(actor=actor, version=version, steps=steps)
            return version
        changed = {k: v for k, v in data.items() if getattr(version, k) != v}
        if faq != _faq_rows(version.faq):
            changed["faq"] = faq
        if form_fields != _form_field_rows(version.form_fields):
            changed["form_fields"] = form_fields
        if changed:
            services.guide_draft_update(actor=actor, version=version, **changed)
        if materials != [_material_row(m) for m in version.materials.all()]:
            services.guide_materials_set(actor=actor, version=version, materials=materials)
        if steps != [_step_row(s) for s in version.steps.all()]:
            services.guide_steps_set(actor=actor, version=version, steps=steps)
    return selectors.guide_with_parts(version.pk)


def _render_editor(
    request, matter, version, fields_form, sets, reason_form, *, findings=None, error=None
):
    lint = lint_items(version, findings) if version is not None and findings is not None else []
    by_row = _findings_by_row(lint)
    for name, fs in sets.items():
        for index, form in enumerate(fs.forms):
            form.lint = by_row.get(name, {}).get(index, [])
    for name in fields_form.fields:
        fields_form[name].lint = by_row.get("fields", {}).get(name, [])
    ctx = {
        "matter": matter,
        "version": version,
        "fields_form": fields_form,
        "sets": sets,
        "reason_form": reason_form,
        "lint": lint,
        "error": error,
    }
    if version is not None:
        ctx["process_changed"] = services.process_changed(version)
        ctx["compression"] = compression_facts(version)
    return render(request, "catalog/staff/draft_edit.html", ctx)


def _editor(request, matter: Matter, version: GuideVersion | None):
    if not services.can_edit_matter(request.user, matter):
        raise Http404
    if request.method != "POST":
        fields, rows = _editor_initial(version, matter)
        return _render_editor(
            request,
            matter,
            version,
            cforms.GuideFieldsForm(initial=fields),
            cforms.row_formsets(initial=rows),
            cforms.SubmitReasonForm(),
        )
    action = request.POST.get("action", "save")
    fields_form = cforms.GuideFieldsForm(request.POST)
    sets = cforms.row_formsets(request.POST)
    reason_form = cforms.SubmitReasonForm(request.POST)
    valid = (
        fields_form.is_valid()
        & all([fs.is_valid() for fs in sets.values()])
        & reason_form.is_valid()
    )
    if not valid:
        return _render_editor(
            request,
            matter,
            version,
            fields_form,
            sets,
            reason_form,
            error="请按提示修改标红的内容，草稿未保存。",
        )
    try:
        version = _save_draft(request.user, matter, version, fields_form, sets)
    except DomainError as exc:
        placed = _place_row_errors(exc, fields_form, sets)
        return _render_editor(
            request,
            matter,
            version,
            fields_form,
            sets,
            reason_form,
            error=("草稿未保存：" + exc.message)
            if not placed
            else "请按提示修改标红的内容，草稿未保存。",
        )

    def fresh(error=None, findings=None):
        fields, rows = _editor_initial(version, matter)
        return _render_editor(
            request,
            matter,
            version,
            cforms.GuideFieldsForm(initial=fields),
            cforms.row_formsets(initial=rows),
            cforms.SubmitReasonForm(initial=reason_form.cleaned_data),
            findings=findings,
            error=error,
        )

    try:
        if action == "lint":
            findings = services.guide_lint(version)
            if not findings:
                messages.success(request, "草稿已保存。检查完毕：未发现模糊或兜底表述。")
            return fresh(findings=findings)
        if action == "publish":
            published = services.guide_publish(actor=request.user, version=version)
            messages.success(request, f"已发布第{published.number}版办事指南。")
            return redirect("catalog:staff_matter", matter_id=matter.pk)
        if action == "submit":
            services.process_change_submit(
                actor=request.user,
                version=version,
                reason=reason_form.cleaned_data.get("reason", ""),
            )
            messages.success(
                request, f"第{version.number}版已提交流程再造审核，等待司法部门合法性审核。"
            )
            return redirect("catalog:staff_matter", matter_id=matter.pk)
    except DomainError as exc:
        verb = "发布" if action == "publish" else "提交审核"
        findings = services.guide_lint(version) if exc.code == "guide.lint" else None
        return fresh(error=f"草稿已保存，但未能{verb}：{exc.message}", findings=findings)
    messages.success(request, "草稿已保存。")
    return redirect("catalog:draft_edit", version_id=version.pk)


@login_required
def draft_edit(request, version_id: int):
    version = _or_404(selectors.version_get_for_staff, scope=request.scope, version_id=version_id)
    if version.status != GuideVersion.Status.DRAFT:
        messages.warning(request, "该版本已发布或正在审核，不能修改；如需修改请新建草稿版本。")
        return redirect("catalog:version_preview", version_id=version.pk)
    return _editor(request, version.matter, version)


@login_required
def draft_new(request, matter_id: int):
    matter = _or_404(selectors.matter_get_for_staff, scope=request.scope, matter_id=matter_id)
    open_version = matter.versions.filter(
        status__in=[GuideVersion.Status.DRAFT, GuideVersion.Status.IN_REVIEW]
    ).first()
    if open_version is not None:
        if open_version.status == GuideVersion.Status.DRAFT:
            return redirect("catalog:draft_edit", version_id=open_version.pk)
        messages.warning(request, f"第{open_version.number}版正在审核，审核结束前不能新建草稿。")
        return redirect("catalog:staff_matter", matter_id=matter.pk)
    if matter.current_version_id is None:
        return _editor(request, matter, None)
    if request.method != "POST":
        return redirect("catalog:staff_matter", matter_id=matter.pk)
    try:
        version = services.guide_draft_create(actor=request.user, matter=matter)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("catalog:staff_matter", matter_id=matter.pk)
    messages.success(request, f"已按现行版本新建第{version.number}版草稿。")
    return redirect("catalog:draft_edit", version_id=version.pk)


@login_required
def version_preview(request, version_id: int):
    version = _or_404(selectors.version_get_for_staff, scope=request.scope, version_id=version_id)
    return render(
        request,
        "catalog/staff/version_preview.html",
        {
            **guide_context(version),
            "lint": lint_items(version) if version.status == GuideVersion.Status.DRAFT else [],
            "change": ProcessChange.objects.filter(proposed=version).first(),
        },
    )


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
            or bool(_roles(request.user) & REQUESTER_ROLES),
        },
    )


@login_required
def listing_enter(request):
    if not (request.user.is_superuser or _roles(request.user) & REQUESTER_ROLES):
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
