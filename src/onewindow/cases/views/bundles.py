"""Staff pages for "one thing" bundle applications (R-CASE-7): intake at the window with
the merged form and the deduplicated material checklist, the application's page with
each part and the whole, and its actions (accept together, one notice, the reply, one
delivery), each a POST that redirects back with a message."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.cases import services, states
from onewindow.cases.models import Applicant, BundleApplication
from onewindow.cases.selectors import pages
from onewindow.cases.selectors.actions import is_front_at
from onewindow.cases.selectors.bundle_plan import bundle_choices, bundle_plan
from onewindow.cases.selectors.bundles import bundle_get_for, bundle_overview, bundles_for
from onewindow.cases.services import bundles
from onewindow.core import idnumber
from onewindow.core.errors import InvalidInput
from onewindow.core.pages import attempt, back_to
from onewindow.core.roles import has_any, roles_of

DOC_CHOICES = [("", "未交"), ("paper", "纸质"), ("electronic", "电子"), ("pledge", "告知承诺")]


def _shown(value):
    """Identity numbers in a form are shown masked, as everywhere else."""
    text = str(value or "")
    return idnumber.mask_text(text) if idnumber.holds_number(text) else value


def _front_center(request):
    """The center of a window clerk (the only place they take a bundle in)."""
    profile = getattr(request.user, "staff_profile", None)
    if (
        profile is None
        or not profile.center_id
        or not has_any(roles_of(request.user), "case.front")
    ):
        raise Http404
    return profile.center


def _doc_options(post, ids) -> dict[int, dict]:
    chosen = {}
    for mid in ids:
        value = post.get(f"doc_{mid}", "")
        if value == "paper":
            chosen[mid] = {}
        elif value == "electronic":
            chosen[mid] = {"electronic": True}
        elif value == "pledge":
            chosen[mid] = {"by_pledge": True}
    return chosen


def _form_values(post, fields) -> dict:
    values = {}
    for item in fields:
        if item.get("produced_by"):
            continue  # produced by a matter of the bundle, not asked of the applicant
        raw = (post.get(f"form_{item['key']}") or "").strip()
        if raw:
            values[item["key"]] = raw[:500]
    return values


def _chosen(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


@login_required
def bundle_list(request):
    apps = pages.latest_bundle_applications(bundles_for(scope=request.scope))
    profile = getattr(request.user, "staff_profile", None)
    can_take_in = bool(
        profile and profile.center_id and has_any(roles_of(request.user), "case.front")
    )
    return render(
        request,
        "cases/bundles/list.html",
        {
            "apps": apps,
            "can_take_in": can_take_in,
            "catalog": pages.active_bundles() if can_take_in else [],
        },
    )


def _take_in(request, bundle, center, chosen, plan):
    post = request.POST
    form_data = _form_values(post, plan.fields)
    applicant = services.applicant_record(
        kind=post.get("kind") or Applicant.Kind.PERSON,
        name=post.get("name", ""),
        phone=post.get("phone", ""),
        id_number=post.get("id_number", "").strip(),
        credit_code=post.get("credit_code", "").strip(),
        address=post.get("address", ""),
        profile=form_data,
    )
    return bundles.bundle_intake(
        actor=request.user,
        bundle=bundle,
        center=center,
        applicant=applicant,
        matters=chosen,
        materials=_doc_options(post, [item.field_id for item in plan.materials]),
        form_data=form_data,
    )


@login_required
def bundle_intake(request):
    """收件 of a bundle: the matters (required ones and the chosen optional ones), the
    applicant once, the merged form, each material once."""
    center = _front_center(request)
    data = request.POST if request.method == "POST" else request.GET
    code = (data.get("bundle") or "").strip()[:60]
    context = {
        "center": center,
        "catalog": pages.active_bundles(),
        "doc_choices": DOC_CHOICES,
        "post": request.POST,
        "errors": {},
    }
    if not code:
        return render(request, "cases/bundles/intake.html", context)
    bundle = pages.active_bundle(code)
    if bundle is None:
        raise Http404
    chosen = _chosen(data.getlist("matter"))
    context.update(
        bundle=bundle,
        chosen=chosen,
        choices=bundle_choices(bundle=bundle, center=center),
    )
    planned = attempt(bundle_plan, bundle=bundle, center=center, matters=chosen)
    if not planned.ok:
        context["error"] = planned.error.message
        return render(request, "cases/bundles/intake.html", context)
    context["plan"] = planned.value
    if request.method == "POST":
        outcome = attempt(_take_in, request, bundle, center, chosen, planned.value)
        if outcome.ok:
            app = outcome.value
            messages.success(
                request,
                f"已收件，一件事申请编号 {app.number}，共 {pages.part_count(app)} 个事项。"
                "材料齐全的请一并受理，不齐的出具一次性补正告知。",
            )
            return redirect("cases:bundle_detail", app_id=app.pk)
        context["error"] = outcome.error.message
        context["errors"] = outcome.error.fields
    return render(request, "cases/bundles/intake.html", context)


@login_required
def bundle_detail(request, app_id: int):
    app = bundle_get_for(scope=request.scope, app_id=app_id)
    app = bundles.bundle_refresh(app=app)  # the parts may have moved since it was stored
    overview = bundle_overview(app)
    is_front = is_front_at(request.user, app.center_id)
    parts_in_intake = [c for c in overview.parts if c.state == states.INTAKE]
    labels = {
        f.get("key"): f.get("label") or f.get("key")
        for c in overview.parts
        for f in c.guide_version.form_fields or []
    }
    return render(
        request,
        "cases/bundles/detail.html",
        {
            "app": app,
            "o": overview,
            "form_rows": [(labels.get(k, k), _shown(v)) for k, v in app.form_data.items()],
            "is_front": is_front,
            "can_accept": is_front
            and app.state == BundleApplication.State.OPEN
            and parts_in_intake
            and not overview.correcting,
            "can_correct": is_front and bool(parts_in_intake) and not overview.correcting,
            "can_deliver": is_front and overview.ready,
            "doc_choices": DOC_CHOICES,
            "default_due": timezone.localdate() + dt.timedelta(days=10),
        },
    )


def _act(request, app_id: int, do, done: str):
    app = bundle_get_for(scope=request.scope, app_id=app_id)
    back = back_to(request, reverse("cases:bundle_detail", args=[app.pk]))
    do(app)
    messages.success(request, done)
    return redirect(back)


def _parse_due(raw) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except (TypeError, ValueError):
        raise InvalidInput(
            "correction.due", "补正期限格式不正确。", {"due": "请选择日期。"}
        ) from None


@login_required
@require_POST
def bundle_accept(request, app_id: int):
    return _act(
        request,
        app_id,
        lambda app: bundles.bundle_accept(actor=request.user, app=app),
        "已一并受理，各事项分送承办部门并联办理。",
    )


@login_required
@require_POST
def bundle_correction(request, app_id: int):
    post = request.POST

    def do(app):
        notes = {
            int(k[5:]): v.strip()[:200]
            for k, v in post.items()
            if k.startswith("note_") and k[5:].isdigit()
        }
        bundles.bundle_ask_correction(
            actor=request.user,
            app=app,
            due=_parse_due(post.get("due")),
            notes=notes,
            other_note=(post.get("other_note") or "")[:300],
        )

    return _act(request, app_id, do, "已出具一次性补正告知。")


@login_required
@require_POST
def bundle_reply(request, app_id: int):
    post = request.POST

    def do(app):
        ids = [int(k[4:]) for k in post if k.startswith("doc_") and k[4:].isdigit()]
        bundles.bundle_correction_reply(
            actor=request.user, app=app, materials=_doc_options(post, ids)
        )

    return _act(request, app_id, do, "已登记补正材料，请一并受理。")


@login_required
@require_POST
def bundle_deliver(request, app_id: int):
    post = request.POST
    return _act(
        request,
        app_id,
        lambda app: bundles.bundle_deliver(
            actor=request.user,
            app=app,
            method=post.get("method", "window"),
            tracking_number=post.get("tracking_number", ""),
        ),
        "已统一出件，各事项结果一次送达。",
    )
