"""The assessment of lower levels (R-SUP-3): the month's scores of the counties (for the
prefecture) or the townships (for a county) with their ranks, a unit's indicators and
coverage, the year's view, the weights of the year and the publication of the red and
black list; and the public red and black list (no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.core.pages import attempt, back_to
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.indicators import parse_month
from onewindow.oversight.selectors import levels as sel
from onewindow.oversight.views.params import int_param


def _readable(request):
    if not may(request.user, "levels.read"):
        raise Http404


def _month(request):
    return parse_month(request.GET.get("month"), default=sel.last_finished_month())


@login_required
def levels_page(request):
    _readable(request)
    choices = sel.assessors(scope=request.scope)
    table = None
    if choices:
        table = sel.month_table(
            scope=request.scope, region_id=int_param(request, "region"), month=_month(request)
        )
    ctx = {
        "choices": choices,
        "table": table,
        "measures": sel.MEASURES,
        "can_publish": may(request.user, "levels.publish"),
        "can_weights": may(request.user, "levels.weights"),
        "finished": table is not None and table.month <= sel.last_finished_month(),
    }
    return render(request, "oversight/levels/page.html", ctx)


@login_required
def levels_unit(request, unit_id: int):
    _readable(request)
    month = _month(request)
    assessor, row = sel.unit_detail(scope=request.scope, unit_id=unit_id, month=month)
    ctx = {"assessor": assessor, "row": row, "month": month}
    return render(request, "oversight/levels/unit.html", ctx)


@login_required
def levels_year(request):
    _readable(request)
    year = int_param(request, "year") or timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    assessor, weights, rows = sel.year_table(
        scope=request.scope, region_id=int_param(request, "region"), year=year
    )
    months = sel.year_months(year)
    ctx = {"assessor": assessor, "weights": weights, "rows": rows, "year": year, "months": months}
    ctx["choices"] = sel.assessors(scope=request.scope)
    return render(request, "oversight/levels/year.html", ctx)


@login_required
def levels_weights(request):
    if not may(request.user, "levels.weights"):
        raise Http404
    region = sel.assessor_get(scope=request.scope, region_id=int_param(request, "region"))
    year = int_param(request, "year") or timezone.localdate().year
    current, error, posted = sel.weights_for(region, year), None, None
    if request.method == "POST":
        posted = {m.code: request.POST.get(m.code, "")[:10] for m in sel.MEASURES}
        outcome = attempt(
            services.level_weights_set,
            actor=request.user,
            region_id=region.pk,
            year=year,
            weights=posted,
            annual_points=request.POST.get("annual_points", "")[:10],
        )
        if outcome.ok:
            messages.success(request, f"已保存{region.name}{year}年下级考核权重。")
            return redirect(f"{request.path}?region={region.pk}&year={year}")
        error = outcome.error
    rows = [(m, (posted or {}).get(m.code, w)) for m, w in current.rows]
    ctx = {"region": region, "year": year, "weights": current, "rows": rows, "error": error}
    ctx["choices"] = sel.assessors(scope=request.scope)
    ctx["annual"] = request.POST.get("annual_points", "")[:10] if posted else current.annual_points
    return render(request, "oversight/levels/weights.html", ctx, status=400 if error else 200)


@login_required
@require_POST
def levels_publish(request):
    region_id = int_param(request, "region", source=request.POST) or 0
    month = parse_month(request.POST.get("month"), default=sel.last_finished_month())
    url = back_to(request, f"{reverse('oversight:levels')}?region={region_id}&month={month:%Y-%m}")
    listing = services.red_black_publish(actor=request.user, region_id=region_id, month=month)
    messages.success(request, f"{listing.region.name}{listing.month:%Y年%m月}红黑榜已发布。")
    return redirect(url)


def red_black_public(request):
    """Public: the published red and black lists of a month (counties, townships)."""
    months = sel.published_months()
    month = sel.month_param(request.GET.get("month"), months)
    lists = sel.published_lists(month) if month else []
    ctx = {"months": months, "month": month, "lists": lists}
    return render(request, "oversight/levels/public.html", ctx)
