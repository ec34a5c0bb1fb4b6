"""Evaluation pages: the window's pad, the QR/progress-page review, the public review
and ranking pages, the reviewer's follow-up link; in the workspace the rectification
queue and page, appeals, spot checks, pads, reviews and statistics. Thin: parse, call a
service or selector, render. Domain errors become a Chinese message; out of scope is 404.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.cases.models import Case
from onewindow.catalog.models import Listing
from onewindow.core import xlsx
from onewindow.core.errors import DomainError, InvalidInput, NotFound
from onewindow.core.links import public_reverse
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.evaluation import scheme, selectors, services, states
from onewindow.evaluation.models import Appeal, Review
from onewindow.files import storage
from onewindow.hall import selectors as hall_selectors
from onewindow.hall.models import Window
from onewindow.hall.services import open_session
from onewindow.org import names
from onewindow.org.models import Center, Department
from onewindow.planning import charts as stats_charts

PAD_COOKIE = "ow_pad_{}"
# The public general review page is a web page: its form is the web channel's.
GENERAL_CHANNEL = "web"


def _or_404(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


def _form_input(post, form: scheme.ReviewForm) -> dict:
    codes = form.indicators
    return {
        "level": post.get("level"),
        "indicators": {c: post.get(f"ind_{c}") for c in codes if post.get(f"ind_{c}")},
        "reasons": [r[:30] for r in post.getlist("reasons")[:20]],
        "text": (post.get("text") or "")[:2000],
        "contact_name": (post.get("contact_name") or "")[:100],
        "contact_phone": (post.get("contact_phone") or "")[:30],
    }


def _form_context(form: scheme.ReviewForm, values=None, errors=None) -> dict:
    """The form's levels, indicators and reasons: exactly what the service accepts."""
    return {
        "levels": list(scheme.LEVELS.items()),
        "indicators": form.indicator_choices,
        "bad_reasons": form.bad_reasons,
        "good_reasons": form.good_reasons,
        "values": values or {},
        "errors": errors or {},
    }


def _staff_session(request) -> bool:
    return services._is_staff_session(request.user)


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=2, title="扫码跟踪整改")


def _thanks(request, review: Review, back_url: str = ""):
    follow = None
    if hasattr(review, "rectification") and review.is_bad:
        follow = public_reverse(
            "evaluation:reviewer", request=request, args=[review.rectification.reviewer_token]
        )
    return render(
        request,
        "evaluation/thanks.html",
        {"review": review, "follow": follow, "qr": _qr(follow) if follow else "", "back": back_url},
    )


# --- the pad (一次一评 at the window) ----------------------------------------------------------


def _pad_from(request, window_id):
    key = request.GET.get("key") or request.COOKIES.get(PAD_COOKIE.format(window_id), "")
    return _or_404(services.pad_for, window_id=window_id, key=key), key


def _clerk_card(window):
    session = open_session(window)
    if session is None:
        return None
    return {"name": names.person_name(session.clerk), "staff_no": names.staff_no_of(session.clerk)}


@require_http_methods(["GET", "POST"])
def pad(request, window_id):
    pad_device, key = _pad_from(request, window_id)
    if request.GET.get("key"):
        response = redirect("evaluation:pad", window_id=window_id)
        response.set_cookie(
            PAD_COOKIE.format(window_id),
            key,
            max_age=3600 * 24 * 365,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    window = pad_device.window
    ticket = services.pad_ticket(window)
    form = services.form_for_visit()
    ctx = {
        "window": window,
        "center": window.center,
        "clerk": _clerk_card(window),
        "ticket": ticket,
        "staff_session": _staff_session(request),
        **_form_context(form),
    }
    status = 200
    if request.method == "POST":
        values = _form_input(request.POST, form)
        try:
            review = services.review_from_pad(
                actor=request.user,
                window_id=window.pk,
                key=key,
                ticket_id=request.POST.get("ticket", ""),
                **values,
            )
        except DomainError as exc:
            ctx.update(_form_context(form, values, exc.fields))
            ctx["error"] = exc.message
            status = exc.status
        else:
            return _thanks(request, review, reverse("evaluation:pad", args=[window.pk]))
    return render(request, "evaluation/pad.html", ctx, status=status)


@require_GET
def pad_feed(request, window_id):
    try:
        pad_device, _ = _pad_from(request, window_id)
    except Http404:
        return JsonResponse({"code": "evaluation.pad_not_paired"}, status=404)
    ticket = services.pad_ticket(pad_device.window)
    return JsonResponse(
        {
            "ticket": {"id": ticket.pk, "code": ticket.code} if ticket else None,
            "clerk": _clerk_card(pad_device.window),
        },
        headers={"Cache-Control": "no-store"},
    )


# --- by QR code or the progress page (一次一评 / 一事一评) --------------------------------------


def _subject_of(token: str):
    if "." in token:
        return "ticket", _or_404(hall_selectors.ticket_by_token, token=token)
    case = (
        Case.objects.select_related("matter", "center").filter(token=(token or "")[:40]).first()
        if token
        else None
    )
    if case is None:
        raise Http404
    return "case", case


@require_http_methods(["GET", "POST"])
def by_token(request, token):
    kind, subject = _subject_of(token)
    form = services.form_for_visit() if kind == "ticket" else services.form_for_case(subject)
    existing = Review.objects.filter(**{kind: subject, "stage": ""}).first()
    if kind == "ticket":
        ready = subject.state == "done"
    else:
        ready = subject.state in services.CONCLUDED
    ctx = {
        "kind": kind,
        "subject": subject,
        "existing": existing,
        "ready": ready,
        "staff_session": _staff_session(request),
        **_form_context(form),
    }
    status = 200
    if request.method == "POST":
        values = _form_input(request.POST, form)
        try:
            if kind == "ticket":
                review = services.review_visit(
                    actor=request.user, ticket=subject, channel="qr", **values
                )
            else:
                review = services.review_case(
                    actor=request.user, case=subject, channel="web", **values
                )
        except DomainError as exc:
            ctx.update(_form_context(form, values, exc.fields))
            ctx["error"] = exc.message
            status = exc.status
        else:
            return _thanks(request, review)
    return render(request, "evaluation/by_token.html", ctx, status=status)


# --- the reviewer's follow-up link ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reviewer(request, token):
    rect = _or_404(services.rectification_for_reviewer, token=token)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.rectification_reviewer_answer(
                actor=request.user,
                token=token,
                accepts=request.POST.get("accepts") == "1",
                comment=(request.POST.get("comment") or "")[:2000],
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, "感谢您的反馈，服务中心将核查后办结。")
            return redirect("evaluation:reviewer", token=token)
    public_steps = [
        e
        for e in rect.events.order_by("at", "id")
        if e.action in states.ACTIONS or e.action == "open"
    ]
    return render(
        request,
        "evaluation/reviewer.html",
        {
            "rect": rect,
            "review": rect.review,
            "steps": public_steps,
            "error": error,
            "staff_session": _staff_session(request),
            "may_answer": rect.state == states.REPORTED,
        },
        status=status,
    )


# --- unsolicited review and the public ranking -----------------------------------------------------


def _pick(model_qs, value):
    return model_qs.filter(pk=int(value)).first() if str(value or "").isdigit() else None


@require_http_methods(["GET", "POST"])
def unsolicited(request):
    centers = (
        Center.objects.filter(is_active=True).select_related("region").order_by("region__path")
    )
    data = request.POST if request.method == "POST" else request.GET
    center = _pick(centers, data.get("center"))
    ctx = {"centers": centers, "center": center, "subjects": list(scheme.SUBJECTS.items())}
    ctx["subject"] = data.get("subject") if data.get("subject") in scheme.SUBJECTS else "center"
    if center is not None:
        ctx["departments"] = Department.objects.filter(center=center).order_by("name")
        ctx["windows"] = Window.objects.filter(center=center, is_active=True).order_by("number")
        ctx["listings"] = (
            Listing.objects.public().filter(center=center).select_related("matter")[:300]
        )
    form = services.form_for_general(GENERAL_CHANNEL)
    ctx.update(_form_context(form))
    status = 200
    if request.method == "POST":
        values = _form_input(request.POST, form)
        values.pop("indicators")
        try:
            from onewindow.catalog.models import Matter

            review = services.review_unsolicited(
                actor=request.user,
                subject=ctx["subject"],
                center=center,
                department=_pick(Department.objects.all(), data.get("department")),
                window=_pick(Window.objects.all(), data.get("window")),
                matter=_pick(Matter.objects.all(), data.get("matter")),
                channel=GENERAL_CHANNEL,
                **values,
            )
        except DomainError as exc:
            ctx.update(_form_context(form, values, exc.fields))
            ctx["error"] = exc.message
            status = exc.status
        else:
            return _thanks(request, review)
    ctx["staff_session"] = _staff_session(request)
    return render(request, "evaluation/unsolicited.html", ctx, status=status)


def _month(text: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (text or "").split("-")[:2]
        value = date(int(year), int(month), 1)
        if not 2000 <= value.year <= 2100:
            raise ValueError
        return value
    except (ValueError, TypeError):
        return today.replace(day=1)


@require_GET
def public(request):
    month = _month(request.GET.get("month"))
    rows = selectors.public_ranking(month)
    prev = (month.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    nxt = (month + timezone.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "evaluation/public.html",
        {
            "month": month,
            "rows": rows,
            "prev": prev,
            "next": nxt if nxt <= timezone.localdate() else None,
        },
    )


# --- workspace: rectifications ------------------------------------------------------------------------


def _require_staff(request):
    if not (request.user.is_superuser or getattr(request.user, "staff_profile", None)):
        raise Http404


@login_required
def rectification_list(request):
    _require_staff(request)
    rects = selectors.rectifications_for(user=request.user)
    show = request.GET.get("show") or "open"
    if show == "open":
        rects = rects.filter(state__in=sorted(states.OPEN))
    elif show == "overdue":
        rects = rects.filter(state__in=sorted(states.OPEN), overdue=True)
    elif show != "all":
        show = "open"
        rects = rects.filter(state__in=sorted(states.OPEN))
    rects = rects.order_by("rectify_deadline__due", "opened_at")
    page = Paginator(rects, 30).get_page(request.GET.get("page"))
    appeals = selectors.appeals_for(user=request.user).filter(state=Appeal.State.PENDING)[:50]
    return render(
        request,
        "evaluation/rectification_list.html",
        {
            "page": page,
            "show": show,
            "appeals": appeals,
            "today": timezone.localdate(),
            "is_center": request.user.is_superuser or Role.CENTER_ADMIN in roles_of(request.user),
        },
    )


@login_required
def rectification_detail(request, rect_id):
    _require_staff(request)
    rect = _or_404(selectors.rectification_get_for, user=request.user, rectification_id=rect_id)
    mine = _or_404(services.roles_on, actor=request.user, rect=rect)
    actions = [
        spec
        for spec in states.ACTIONS.values()
        if rect.state in spec.sources and spec.by & mine and spec.name not in ("appeal_upheld",)
    ]
    appeals = list(rect.review.appeals.select_related("filed_by", "decided_by"))
    return render(
        request,
        "evaluation/rectification_detail.html",
        {
            "rect": rect,
            "review": rect.review,
            "actions": actions,
            "events": rect.events.select_related("actor"),
            "contact": selectors.rectification_contact(user=request.user, rectification=rect),
            "may_appeal": states.DEPARTMENT in mine
            and not rect.review.excluded
            and not any(a.state == Appeal.State.PENDING for a in appeals),
            "may_decide": states.CENTER in mine,
            "appeals": appeals,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def rectification_action(request, rect_id, action):
    _require_staff(request)
    rect = _or_404(selectors.rectification_get_for, user=request.user, rectification_id=rect_id)
    try:
        services.rectification_step(
            actor=request.user,
            rectification=rect,
            action=action[:20],
            text=(request.POST.get("text") or "")[:3000],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{states.label(action)}。")
    return redirect("evaluation:rectification", rect_id=rect.pk)


@csrf_exempt
def appeal_file(request, rect_id):
    """The upload handlers are set before the body is read, so an evidence file past
    the limit is dropped while it streams in; the CSRF check runs right after."""
    if request.method == "POST":
        storage.limit_uploads(request)
    return _appeal_file(request, rect_id)


@csrf_protect
@login_required
@require_POST
def _appeal_file(request, rect_id):
    _require_staff(request)
    rect = _or_404(selectors.rectification_get_for, user=request.user, rectification_id=rect_id)
    try:
        storage.check_request(request)
        services.appeal_file(
            actor=request.user,
            review=rect.review,
            reason=(request.POST.get("reason") or "")[:3000],
            evidence=request.FILES.get("evidence"),
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "申诉已提交，等待服务中心裁定。")
    return redirect("evaluation:rectification", rect_id=rect.pk)


@login_required
def appeal_evidence(request, appeal_id):
    """The evidence of an appeal, only to those who see the appeal."""
    _require_staff(request)
    appeal = (
        selectors.appeals_for(user=request.user)
        .filter(pk=int(appeal_id) if str(appeal_id).isdigit() else 0)
        .select_related("evidence")
        .first()
    )
    if appeal is None or appeal.evidence is None:
        raise Http404
    try:
        return storage.file_response(appeal.evidence)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def appeal_decide(request, appeal_id):
    _require_staff(request)
    appeal = (
        selectors.appeals_for(user=request.user)
        .filter(pk=int(appeal_id) if str(appeal_id).isdigit() else 0)
        .first()
    )
    if appeal is None:
        raise Http404
    rect = appeal.review.rectification
    try:
        services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            upheld=request.POST.get("upheld") == "1",
            decision=(request.POST.get("decision") or "")[:3000],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "申诉已裁定。")
    return redirect("evaluation:rectification", rect_id=rect.pk)


# --- workspace: reviews, spot checks, pads ----------------------------------------------------------


@login_required
def review_list(request):
    _require_staff(request)
    reviews = selectors.reviews_for(user=request.user)
    level = request.GET.get("level") or ""
    if level == "bad":
        reviews = reviews.filter(level__lte=2)
    elif level == "default":
        reviews = reviews.filter(is_default=True)
    elif level.isdigit() and int(level) in scheme.LEVELS:
        reviews = reviews.filter(level=int(level))
    else:
        level = ""
    page = Paginator(reviews, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/review_list.html",
        {"page": page, "level": level, "levels": list(scheme.LEVELS.items())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def spot_check(request):
    if not (request.user.is_superuser or Role.SUPERVISOR in roles_of(request.user)):
        raise Http404
    centers = Center.objects.visible_to(request.scope).select_related("region")
    data = request.POST if request.method == "POST" else request.GET
    center = _pick(centers, data.get("center"))
    ctx = {"centers": centers, "center": center, "subjects": list(scheme.SUBJECTS.items())}
    ctx["subject"] = data.get("subject") if data.get("subject") in scheme.SUBJECTS else "center"
    if center is not None:
        ctx["departments"] = Department.objects.filter(center=center).order_by("name")
        ctx["windows"] = Window.objects.filter(center=center).order_by("number")
        ctx["listings"] = Listing.objects.public().filter(center=center).select_related("matter")
    form = services.form_for_spot_check()
    ctx.update(_form_context(form))
    status = 200
    if request.method == "POST":
        values = _form_input(request.POST, form)
        try:
            from onewindow.catalog.models import Matter

            services.review_spot_check(
                actor=request.user,
                subject=ctx["subject"],
                center=center,
                department=_pick(Department.objects.all(), data.get("department")),
                window=_pick(Window.objects.all(), data.get("window")),
                matter=_pick(Matter.objects.all(), data.get("matter")),
                level=values["level"],
                reasons=values["reasons"],
                text=values["text"],
            )
        except DomainError as exc:
            ctx.update(_form_context(form, values, exc.fields))
            ctx["error"] = exc.message
            status = exc.status
        else:
            messages.success(request, "监督查评已录入。")
            return redirect("evaluation:reviews")
    return render(request, "evaluation/spot_check.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pads(request):
    if not (request.user.is_superuser or Role.CENTER_ADMIN in roles_of(request.user)):
        raise Http404
    windows = scope_for(request.user).filter(
        Window.objects.select_related("center"), center="center", department=None
    )
    paired = None
    if request.method == "POST":
        window = _pick(windows, request.POST.get("window"))
        if window is None:
            raise Http404
        try:
            _, key = services.pad_pair(actor=request.user, window=window)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            url = public_reverse("evaluation:pad", request=request, args=[window.pk])
            paired = {"window": window, "url": f"{url}?{urlencode({'key': key})}"}
    return render(
        request,
        "evaluation/pads.html",
        {"windows": windows.order_by("center__region__path", "number")[:300], "paired": paired},
    )


# --- statistics ------------------------------------------------------------------------------------


def _stats_context(request):
    _require_staff(request)
    scope = request.scope
    centers = list(Center.objects.visible_to(scope).select_related("region"))
    center_id = request.GET.get("center") or ""
    if center_id and not any(str(c.pk) == center_id for c in centers):
        raise Http404
    ctx = {
        "centers": centers,
        "center_id": int(center_id) if center_id else None,
        "start_text": (request.GET.get("start") or "").replace("\x00", "")[:20],
        "end_text": (request.GET.get("end") or "").replace("\x00", "")[:20],
        "error": "",
        "stats": None,
    }
    try:
        start, end = selectors.stats_range(request.GET.get("start"), request.GET.get("end"))
    except InvalidInput as exc:
        ctx["error"] = exc.message
        return ctx
    ctx.update(start_text=start.isoformat(), end_text=end.isoformat())
    ctx["stats"] = selectors.evaluation_stats(
        scope=scope, start=start, end=end, center_id=ctx["center_id"]
    )
    query = {"start": start, "end": end}
    if ctx["center_id"]:
        query["center"] = ctx["center_id"]
    ctx["export_query"] = urlencode(query)
    return ctx


def _pct_chart(rows, title, desc):
    items = [(r.label, r.satisfaction_pct, None, "") for r in rows if r.total]
    return stats_charts.bar_chart(items, unit="%", title=title, desc=desc)


@login_required
def stats(request):
    ctx = _stats_context(request)
    s = ctx["stats"]
    if s is not None:
        ctx["month_chart"] = _pct_chart(
            s.by_month,
            "各月满意度",
            "每月实际评价中“满意”及以上所占比例（%），默认好评和申诉成立的差评不计入。",
        )
        ctx["dept_chart"] = _pct_chart(
            s.by_department[:12], "各部门满意度", "各部门实际评价中“满意”及以上所占比例（%）。"
        )
        ctx["level_chart"] = stats_charts.bar_chart(
            [(label, float(n), None, "low" if lv <= 2 else "") for lv, label, n in s.by_level],
            unit="条",
            title="评价等级分布",
            desc="实际评价（不含默认好评和申诉成立的差评）按五个等级的条数。",
        )
    return render(request, "evaluation/stats.html", ctx, status=400 if ctx["error"] else 200)


@login_required
def stats_export(request):
    from onewindow.evaluation.stats_export import stats_workbook

    ctx = _stats_context(request)
    s = ctx["stats"]
    if s is None:
        return render(request, "evaluation/stats.html", ctx, status=400)
    return xlsx.response(stats_workbook(s), f"好差评统计-{s.start:%Y-%m-%d}至{s.end:%Y-%m-%d}.xlsx")
