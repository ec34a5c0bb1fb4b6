"""Staff pages for cases: the list (the department's queue sorted by deadline), intake
at the front window, and a case's page with the actions its state allows."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from onewindow.cases import selectors, services, states, views_files
from onewindow.cases.models import Applicant, Case
from onewindow.cases.services import files as file_services
from onewindow.cases.services import forms as form_services
from onewindow.cases.services.archive import case_archive
from onewindow.catalog.models import Listing, Material
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.roles import Role, may, roles_of

STATE_FILTERS = [
    ("open", "办理中（全部未结）"),
    ("intake", "待受理"),
    ("review", "待审查/审查中"),
    ("correcting", "待补正"),
    ("ready", "待出件"),
    ("done", "已送达/已归档"),
]
STATE_GROUPS = states.LIST_GROUPS
DOC_CHOICES = [("", "未交"), ("paper", "纸质"), ("electronic", "电子"), ("pledge", "告知承诺")]


def _or_404(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


@login_required
def case_list(request):
    scope = request.scope
    group = request.GET.get("state") or "open"
    if group not in STATE_GROUPS:
        group = "open"
    cases = selectors.cases_for(scope=scope).filter(state__in=STATE_GROUPS[group])
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    if q:
        cases = cases.filter(number__startswith=q) | cases.filter(matter__name__icontains=q)
    profile = getattr(request.user, "staff_profile", None)
    if request.GET.get("mine") and profile is not None and profile.department_id:
        cases = cases.filter(department_id=profile.department_id)
    cases = cases.order_by("deadline__due", "received_at")
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/staff/list.html",
        {
            "page": page,
            "filters": STATE_FILTERS,
            "group": group,
            "q": q,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def _doc_options(post, version) -> dict[int, dict]:
    chosen = {}
    for material in version.materials.all():
        value = post.get(f"doc_{material.pk}", "")
        if value == "paper":
            chosen[material.pk] = {}
        elif value == "electronic":
            chosen[material.pk] = {"electronic": True}
        elif value == "pledge":
            chosen[material.pk] = {"by_pledge": True}
    return chosen


def _form_values(post, version) -> dict:
    values = {}
    for field in version.form_fields or []:
        key = field.get("key")
        if key and (post.get(f"form_{key}") or "").strip():
            values[key] = post.get(f"form_{key}").strip()[:500]
    return values


@login_required
def case_intake(request):
    """收件: choose the listing, take the applicant's information once, tick the materials."""
    profile = getattr(request.user, "staff_profile", None)
    if not (
        request.user.is_superuser
        or (profile and roles_of(request.user) & {Role.CLERK, Role.CHIEF_REP, Role.AGENT})
    ):
        raise Http404
    # Only what this clerk may accept here (the rule case_intake applies).
    listings = services.intake_listings(request.user).select_related(
        "matter", "matter__current_version"
    )
    listing = None
    refused = ""
    listing_id = request.GET.get("listing") or request.POST.get("listing")
    if listing_id and str(listing_id).isdigit() and len(str(listing_id)) < 12:
        listing = listings.filter(pk=int(listing_id)).first()
        if listing is None and profile is not None and profile.center_id:
            other = (
                Listing.objects.public()
                .select_related("matter")
                .filter(pk=int(listing_id), center_id=profile.center_id)
                .first()
            )
            if other is not None:  # listed here, but not for this clerk
                refused = services.not_authorized_message(other)
    ticket = None
    ticket_id = request.GET.get("ticket") or request.POST.get("ticket")
    if ticket_id and str(ticket_id).isdigit() and profile is not None:
        from onewindow.hall.models import Ticket

        ticket = Ticket.objects.filter(pk=int(ticket_id), center_id=profile.center_id).first()
    context = {
        "listings": listings.order_by("matter__name")[:300],
        "listing": listing,
        "ticket": ticket,
        "doc_choices": DOC_CHOICES,
        "post": request.POST,
        "errors": {},
        "initial_phone": request.POST.get("phone") or (ticket.phone if ticket else ""),
        "error": refused,
    }
    if listing is not None:
        version = listing.matter.current_version
        context["version"] = version
        context["materials"] = version.materials.exclude(source=Material.Source.SHARED).order_by(
            "order"
        )
        context["shared"] = version.materials.filter(source=Material.Source.SHARED)
        # One form and reuse (R-CASE-6): the known applicant's data, their stored files.
        context.update(views_files.intake_context(request, version, ticket))
    if request.method == "POST" and listing is not None and "lookup" not in request.POST:
        try:
            with transaction.atomic():  # a refused intake leaves no applicant behind
                case = _take_in(request, listing, ticket, context["version"])
        except DomainError as exc:
            context["error"] = exc.message
            context["errors"] = exc.fields
        else:
            messages.success(
                request,
                f"已收件，办件编号 {case.number}。请当场决定：受理、不予受理或一次性告知补正。",
            )
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/staff/intake.html", context)


def _take_in(request, listing, ticket, version) -> Case:
    post = request.POST
    applicant = services.applicant_record(
        kind=post.get("kind") or Applicant.Kind.PERSON,
        name=post.get("name", ""),
        phone=post.get("phone", ""),
        id_number=post.get("id_number", "").strip(),
        credit_code=post.get("credit_code", "").strip(),
        address=post.get("address", ""),
        profile=_form_values(post, version),
    )
    return file_services.case_intake_with_reuse(
        actor=request.user,
        listing=listing,
        applicant=applicant,
        materials=_doc_options(post, version),
        form_data=_form_values(post, version),
        reuse=views_files.reuse_choice(post, version),
        ticket=ticket,
    )


def _default_due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=10)


@login_required
def case_detail(request, case_id: int):
    case = _or_404(selectors.case_get_for, scope=request.scope, case_id=case_id)
    revealed = None
    if request.method == "POST" and request.POST.get("action") == "reveal_id":
        # The full identity numbers are shown on this answer only, never kept.
        try:
            revealed = form_services.case_reveal_id_numbers(
                actor=request.user, case=case, reason=request.POST.get("reason", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    elif request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _act(request, case, action)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("cases:case_detail", case_id=case.pk)
        case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    version = case.guide_version
    form = (
        selectors.case_form(case, revealed=revealed)
        if form_services.can_read_form(request.user, case)
        else None
    )
    given = {d.material_id: d for d in case.documents.select_related("material")}
    return render(
        request,
        "cases/staff/detail.html",
        {
            "case": case,
            "version": version,
            "materials": [(m, given.get(m.pk)) for m in version.materials.order_by("order")],
            "missing": services.missing_materials(case),
            "events": [
                {
                    "at": e.at,
                    "actor": e.actor_label,
                    "note": e.note,
                    "label": states.ACTIONS[e.action].label
                    if e.action in states.ACTIONS
                    else states.EVENT_LABELS.get(e.action, e.action),
                    "state": states.LABELS.get(e.to_state, e.to_state),
                }
                for e in case.events.order_by("at", "id")
            ],
            "corrections": case.corrections.order_by("-issued_at"),
            "open_correction": case.corrections.filter(state="open").first(),
            "actions": _actions_for(request.user, case),
            "doc_choices": DOC_CHOICES,
            "default_due": _default_due(),
            "notices": _notices(case),
            "urgings": case.urgings.select_related("sent_by", "answered_by"),
            "form": form,
            "can_reveal": form is not None
            and (any(f["secret"] for f in form) or bool(case.applicant.id_number_cipher)),
            "revealed": revealed,
            "applicant_id_number": (revealed or {}).get("applicant", ""),
            "clocks": selectors.case_clocks(case),
            "can_urge": case.state in states.OPEN and may(request.user, "case.urge"),
        },
    )


def _actions_for(user, case: Case) -> list[str]:
    """The steps of the case's state this user's post may take: the front window's
    (and the applicant's, which the window registers) or the department's."""
    offices = set()
    if services.can_act_front(user, case):
        offices |= {states.FRONT, "applicant"}
    if services.can_act_back(user, case):
        offices.add(states.BACK)
    return sorted(
        a
        for a, spec in states.ACTIONS.items()
        if case.state in spec.sources and spec.office in offices
    )


def _notices(case: Case) -> list[tuple[str, str]]:
    found = []
    if case.accepted_at:
        found.append(("receipt", "受理通知书"))
    if case.refusal_reason:
        found.append(("refusal", "不予受理通知书"))
    if case.corrections.exists():
        found.append(("correction", "补正材料通知书"))
    if case.corrections.filter(state="lapsed").exists():
        found.append(("withdrawal", "视为撤回申请通知书"))
    if case.decided_at:
        found.append(("conclusion", "办结通知书"))
    return found


def _parse_due(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except (TypeError, ValueError):
        from onewindow.core.errors import InvalidInput

        raise InvalidInput(
            "correction.due", "补正期限格式不正确。", {"due": "请选择日期。"}
        ) from None


def _act(request, case: Case, action: str) -> None:
    user, post = request.user, request.POST
    if action == "accept":
        services.case_accept(actor=user, case=case)
    elif action == "refuse":
        services.case_refuse(actor=user, case=case, reason=post.get("reason", ""))
    elif action in ("ask_correction_intake", "ask_correction"):
        items = [{"material_id": int(mid)} for mid in post.getlist("material") if mid.isdigit()]
        notes = {
            int(k[5:]): v.strip()
            for k, v in post.items()
            if k.startswith("note_") and k[5:].isdigit()
        }
        for item in items:
            item["note"] = notes.get(item["material_id"], "")
        extra = (post.get("other_note") or "").strip()
        if extra:
            items.append({"material_id": None, "note": extra})
        services.case_ask_correction(
            actor=user, case=case, items=items, due=_parse_due(post.get("due"))
        )
    elif action in ("reply_intake", "reply"):
        services.case_correction_reply(
            actor=user, case=case, materials=_doc_options(post, case.guide_version)
        )
    elif action == "start_review":
        services.case_start_review(actor=user, case=case)
    elif action in ("approve", "deny"):
        services.case_decide(
            actor=user, case=case, approve=action == "approve", note=post.get("note", "")
        )
    elif action == "make_ready":
        services.case_make_ready(actor=user, case=case)
    elif action == "urge":
        services.case_urge(
            actor=user,
            case=case,
            message=post.get("message", ""),
            reply_by=_parse_due(post.get("reply_by")),
        )
    elif action == "urge_answer":
        urging = case.urgings.filter(
            pk=post.get("urging") if str(post.get("urging", "")).isdigit() else None
        ).first()
        if urging is None:
            raise NotFound("urging.not_found", "未找到该督办。")
        services.urging_answer(actor=user, urging=urging, answer=post.get("answer", ""))
    elif action == "archive":
        case_archive(actor=user, case=case)
    elif action == "deliver":
        services.case_deliver(
            actor=user,
            case=case,
            method=post.get("method", "window"),
            tracking_number=post.get("tracking_number", ""),
        )
    else:
        from onewindow.core.errors import InvalidInput

        raise InvalidInput("case.unknown_action", "未知的操作。")
    messages.success(
        request, f"已{states.ACTIONS[action].label}。" if action in states.ACTIONS else "已完成。"
    )
