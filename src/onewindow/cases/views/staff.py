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

from onewindow.cases import selectors, services, states
from onewindow.cases.models import Applicant, Case
from onewindow.cases.selectors import actions, pages
from onewindow.cases.services import files as file_services
from onewindow.cases.services import forms as form_services
from onewindow.cases.services.archive import case_archive
from onewindow.cases.views import intake, panels
from onewindow.core.errors import InvalidInput
from onewindow.core.pages import attempt
from onewindow.core.roles import may

DOC_CHOICES = [("", "未交"), ("paper", "纸质"), ("electronic", "电子"), ("pledge", "告知承诺")]


@login_required
def case_list(request):
    group = request.GET.get("state") or "open"
    if group not in pages.STATE_GROUPS:
        group = "open"
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    profile = getattr(request.user, "staff_profile", None)
    mine = request.GET.get("mine") and profile is not None and profile.department_id
    cases = pages.staff_cases(
        scope=request.scope, group=group, q=q, department_id=profile.department_id if mine else None
    )
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/staff/list.html",
        {
            "page": page,
            "filters": pages.STATE_FILTERS,
            "group": group,
            "q": q,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def _doc_options(post, version) -> dict[int, dict]:
    chosen = {}
    for material in pages.guide_materials(version):
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


def _intake_page(request, profile) -> dict:
    """The intake page: the listings this clerk may take in (the rule ``case_intake``
    applies), the one chosen (or why it may not be), the called ticket, the form."""
    listings = pages.listings_with_guides(actions.intake_listings(request.user))
    center_id = profile.center_id if profile is not None else None
    listing_id = request.GET.get("listing") or request.POST.get("listing")
    listing = pages.intake_listing(listings, listing_id)
    refused = ""
    if listing is None:
        other = pages.listing_at_center(listing_id, center_id)
        if other is not None:  # listed here, but not for this clerk
            refused = services.not_authorized_message(other)
    ticket = None
    if profile is not None:
        ticket = pages.center_ticket(
            request.GET.get("ticket") or request.POST.get("ticket"), center_id
        )
    context = {
        "listings": pages.listing_choices(listings),
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
        context["materials"] = pages.own_materials(version)
        context["shared"] = pages.shared_materials(version)
        context["handling"] = pages.intake_handling(listing)
        # One form and reuse (R-CASE-6): the known applicant's data, their stored files.
        context.update(intake.intake_context(request, version, ticket))
    return context


@login_required
def case_intake(request):
    """收件: choose the listing, take the applicant's information once, tick the materials."""
    if not may(request.user, "case.front"):
        raise Http404
    context = _intake_page(request, getattr(request.user, "staff_profile", None))
    listing = context["listing"]
    if request.method == "POST" and listing is not None and "lookup" not in request.POST:
        outcome = attempt(_take_in, request, listing, context["ticket"], context["version"])
        if outcome.ok:
            messages.success(
                request,
                f"已收件，办件编号 {outcome.value.number}。请当场决定：受理、不予受理或一次性告知补正。",
            )
            return redirect("cases:case_detail", case_id=outcome.value.pk)
        context["error"] = outcome.error.message
        context["errors"] = outcome.error.fields
    return render(request, "cases/staff/intake.html", context)


@transaction.atomic  # a refused intake leaves no applicant behind
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
        reuse=intake.reuse_choice(post, version),
        ticket=ticket,
        decide_here={"here": True, "forward": False}.get(post.get("handling", "")),
    )


def _default_due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=10)


@login_required
def case_detail(request, case_id: int):
    case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    revealed = None
    if request.method == "POST" and request.POST.get("action") == "reveal_id":
        # The full identity numbers are shown on this answer only, never kept.
        outcome = attempt(
            form_services.case_reveal_id_numbers,
            actor=request.user,
            case=case,
            reason=request.POST.get("reason", ""),
        )
        if not outcome.ok:
            messages.error(request, outcome.error.message)
        revealed = outcome.value
    elif request.method == "POST":
        outcome = attempt(_act, request, case, request.POST.get("action", ""))
        if outcome.ok:
            return redirect("cases:case_detail", case_id=case.pk)
        messages.error(request, outcome.error.message)
        case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    return render(request, "cases/staff/detail.html", _detail_context(request, case, revealed))


def _detail_context(request, case: Case, revealed: dict | None) -> dict:
    user = request.user
    form = (
        selectors.case_form(case, revealed=revealed)
        if form_services.can_read_form(user, case)
        else None
    )
    facts = pages.case_facts(case)
    return {
        "case": case,
        "version": case.guide_version,
        "materials": facts.materials,
        "missing": selectors.missing_materials(case),
        "events": facts.events,
        "corrections": facts.corrections,
        "open_correction": facts.open_correction,
        "actions": actions.case_actions(user, case),
        "doc_choices": DOC_CHOICES,
        "default_due": _default_due(),
        "notices": facts.notices,
        "urgings": facts.urgings,
        "form": form,
        "can_reveal": form is not None
        and (any(f["secret"] for f in form) or bool(case.applicant.id_number_cipher)),
        "revealed": revealed,
        "applicant_id_number": (revealed or {}).get("applicant", ""),
        "clocks": selectors.case_clocks(case),
        "can_urge": facts.is_open and may(user, "case.urge"),
        **panels.case_panels(request, case),
    }


def _parse_due(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise InvalidInput(
            "correction.due", "补正期限格式不正确。", {"due": "请选择日期。"}
        ) from None


def _correction_items(post) -> list[dict]:
    items = [{"material_id": int(mid)} for mid in post.getlist("material") if mid.isdigit()]
    notes = {
        int(k[5:]): v.strip() for k, v in post.items() if k.startswith("note_") and k[5:].isdigit()
    }
    for item in items:
        item["note"] = notes.get(item["material_id"], "")
    extra = (post.get("other_note") or "").strip()
    if extra:
        items.append({"material_id": None, "note": extra})
    return items


def _act(request, case: Case, action: str) -> None:
    user, post = request.user, request.POST
    if action == "accept":
        services.case_accept(actor=user, case=case)
    elif action == "refuse":
        services.case_refuse(actor=user, case=case, reason=post.get("reason", ""))
    elif action in ("ask_correction_intake", "ask_correction"):
        services.case_ask_correction(
            actor=user, case=case, items=_correction_items(post), due=_parse_due(post.get("due"))
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
        urging = pages.case_urging(case, post.get("urging"))
        if urging is None:  # told on the case page, as any refused step
            raise InvalidInput("urging.not_found", "未找到该督办。")
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
        raise InvalidInput("case.unknown_action", "未知的操作。")
    messages.success(
        request, f"已{states.ACTIONS[action].label}。" if action in states.ACTIONS else "已完成。"
    )
