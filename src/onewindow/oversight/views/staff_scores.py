"""The staff scores (R-STAFF-3): a center's scores of a month, quarter or year with each
part and the formula in words; the center administrator's weights, the month's
服务之星 and 红旗窗口 to publish, and the year's grades within the quota; a person's own
score. Supervisors read in their scope, a department head their department's people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.core.pages import attempt
from onewindow.core.roles import may
from onewindow.org.models import Center
from onewindow.oversight import services
from onewindow.oversight.models.staff_scores import FIELDS
from onewindow.oversight.selectors import staff_scores as sel
from onewindow.planning import staff_scores as rule
from onewindow.staffing.access import center_in_scope


def _center(request, source=None):
    value = (source if source is not None else request.GET).get("center")
    if value:
        return center_in_scope(request.user, value)
    home = sel.home_center(getattr(request.user, "staff_profile", None))
    if home is not None and Center.objects.visible_to(request.scope).filter(pk=home.pk).exists():
        return home
    first = Center.objects.visible_to(request.scope).order_by("region__path", "code").first()
    if first is None:
        raise Http404
    return first


def _link(name: str, center, period: str = "") -> str:
    query = f"?center={center.pk}" + (f"&period={period}" if period else "")
    return reverse(f"oversight:{name}") + query


@login_required
def scores(request):
    if not may(request.user, "staff_scores.read"):
        if may(request.user, "staff_scores.own"):
            return redirect("oversight:my_score")
        raise Http404
    center = _center(request)
    period = sel.parse_period(request.GET.get("period"))
    found = sel.center_scores(center=center, period=period)
    published = None
    if period.kind == sel.MONTH:
        published = next((h for h in sel.honours(center=center) if h.month == period.first), None)
    rows = found.visible(request.scope)
    return render(
        request,
        "oversight/staff_scores/scores.html",
        {
            "found": found,
            "rows": rows,
            "preview_stars": [r for r in found.star_rows if r in rows],
            "center": center,
            "centers": Center.objects.visible_to(request.scope).order_by("region__path", "code"),
            "can_manage": may(request.user, "staff_scores.manage"),
            "published": published,
            "is_month": period.kind == sel.MONTH,
            "honours": sel.honours(center=center),
            "may_publish": period.kind == sel.MONTH
            and period.finished(timezone.localdate())
            and published is None,
        },
    )


@login_required
def my_score(request):
    profile = getattr(request.user, "staff_profile", None)
    center = sel.home_center(profile)
    if not may(request.user, "staff_scores.own") or center is None:
        raise Http404
    period = sel.parse_period(request.GET.get("period"))
    found = sel.center_scores(center=center, period=period)
    return render(
        request,
        "oversight/staff_scores/mine.html",
        {
            "found": found,
            "row": found.of(profile.pk),
            "center": center,
            "honours": sel.latest_honours(center),
        },
    )


@login_required
def settings_page(request):
    if not may(request.user, "staff_scores.manage"):
        raise Http404
    source = request.POST if request.method == "POST" else None
    center = _center(request, source)
    error, errors = "", {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FIELDS}
        outcome = attempt(
            services.score_settings_set, actor=request.user, center_id=center.pk, values=values
        )
        if outcome.ok:
            messages.success(request, "人员考核设置已保存。")
            return redirect(_link("staff_score_settings", center))
        error, errors = outcome.error.message, outcome.error.fields
    row = sel.settings_row(center)
    fields = [
        (name, row._meta.get_field(name).verbose_name, request.POST.get(name, getattr(row, name)))
        for name in FIELDS
    ]
    return render(
        request,
        "oversight/staff_scores/settings.html",
        {
            "center": center,
            "fields": fields,
            "error": error,
            "errors": errors or {},
            "formula": rule.formula_words(sel.weights_for(center)),
        },
    )


@login_required
@require_POST
def publish(request):
    center = _center(request, request.POST)
    period = request.POST.get("period", "")
    back = _link("staff_scores", center, period)
    honours = services.publish_month(actor=request.user, center=center, month=period)
    messages.success(request, f"已发布{honours.month:%Y年%-m月}服务之星和红旗窗口。")
    return redirect(back)


@login_required
def grades(request):
    if not may(request.user, "staff_scores.read"):
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    center = _center(request, source)
    year = sel.parse_period(source.get("year") or str(timezone.localdate().year))
    if year.kind != sel.YEAR:
        raise Http404
    page = sel.grades_page(center=center, year=year, scope=request.scope)
    if request.method == "POST":
        chosen = {pk: request.POST.get(f"grade_{pk}", "") for pk in page.people}
        outcome = attempt(
            services.year_grades_decide,
            actor=request.user,
            center=center,
            year=year.first.year,
            grades=chosen,
        )
        if outcome.ok:
            messages.success(request, f"{year.label}考核等次已确定。")
            return redirect(_link("staff_grades", center) + f"&year={year.code}")
        page = sel.grades_page(center=center, year=year, scope=request.scope, chosen=chosen)
        page.error = outcome.error.message
    return render(
        request,
        "oversight/staff_scores/grades.html",
        {
            "center": center,
            "page": page,
            "grade_labels": list(rule.GRADE_LABELS.items()),
            "can_manage": may(request.user, "staff_scores.manage"),
            "centers": Center.objects.visible_to(request.scope).order_by("region__path", "code"),
        },
    )
