"""The workspace's review pages: the reviews the reader may see, a supervisor's spot
check (监督查评), pairing a pad (窗口评价器) to a window."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onewindow.core.links import public_reverse
from onewindow.core.pages import attempt
from onewindow.core.roles import may
from onewindow.evaluation import scheme, selectors_pages, services
from onewindow.evaluation.views.forms import form_context, form_failed, form_input, require_staff


@login_required
def review_list(request):
    require_staff(request)
    reviews, level = selectors_pages.reviews_by_level(
        user=request.user, level=request.GET.get("level") or ""
    )
    page = Paginator(reviews, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/review_list.html",
        {"page": page, "level": level, "levels": list(scheme.LEVELS.items())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def spot_check(request):
    if not may(request.user, "review.spot_check"):
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    centers = selectors_pages.scope_centers(request.scope)
    ctx = selectors_pages.subject_form(centers, data, public=False)
    form = services.form_for_spot_check()
    ctx.update(form_context(form))
    status = 200
    if request.method == "POST":
        values = form_input(request.POST, form)
        outcome = attempt(
            services.review_spot_check,
            actor=request.user,
            subject=ctx["subject"],
            center=ctx["center"],
            **selectors_pages.subject_targets(data),
            level=values["level"],
            reasons=values["reasons"],
            text=values["text"],
        )
        if outcome.ok:
            messages.success(request, "监督查评已录入。")
            return redirect("evaluation:reviews")
        status = form_failed(ctx, form, values, outcome.error)
    return render(request, "evaluation/spot_check.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pads(request):
    if not may(request.user, "review.center"):
        raise Http404
    paired = None
    if request.method == "POST":
        window = selectors_pages.pad_window(user=request.user, window_id=request.POST.get("window"))
        outcome = attempt(services.pad_pair, actor=request.user, window=window)
        if outcome.ok:
            _, key = outcome.value
            url = public_reverse("portal:review_pad", request=request, args=[window.pk])
            paired = {"window": window, "url": f"{url}?{urlencode({'key': key})}"}
        else:
            messages.error(request, outcome.error.message)
    return render(
        request,
        "evaluation/pads.html",
        {"windows": selectors_pages.pad_windows(user=request.user), "paired": paired},
    )
