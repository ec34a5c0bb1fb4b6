"""Window planning pages (R-HALL-4): the forecast, the plan per half hour against
today's set-up, the what-ifs, and the live suggestion a center administrator applies
with one click (through ``hall.services.window_set_categories``, audited); the roster
of clerks per half hour a center administrator sets (``services.planning``)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.core.errors import InvalidInput
from onewindow.core.pages import back_to
from onewindow.core.roles import may
from onewindow.hall import services as hall_services
from onewindow.hall.models import ServiceCategory, Window
from onewindow.oversight.selectors import planning as sel
from onewindow.oversight.selectors import planning_panels as panels
from onewindow.oversight.services import planning as planning_services


def _day(text: str | None) -> dt.date:
    text = (text or "").replace("\x00", "").strip()[:20]
    if not text:
        return timezone.localdate()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("planning.bad_date", "日期格式不正确，请按“年-月-日”填写。") from None
    if not 2000 <= day.year <= 2100:  # the history before it would leave the calendar
        raise InvalidInput("planning.bad_date", "日期应在2000年至2100年之间。")
    return day


@login_required
def page(request):
    if not may(request.user, "planning.view"):
        raise Http404
    scope, q = request.scope, request.GET
    centers = list(sel.planning_centers(scope=scope))
    center = (
        sel.planning_center_get(scope=scope, center_id=q["center"])
        if q.get("center")
        else sel.planning_default_center(user=request.user, scope=scope)
    )
    ctx = {"centers": centers, "center": center, "day": _day(q.get("day"))}
    ctx["history_days"] = sel.HISTORY_DAYS
    ctx["target"] = sel.target_from(q.get("within"), q.get("share"))
    ctx["churn"] = sel.churn_from(q.get("churn"))
    if center is not None:
        dp = sel.day_plan(
            scope=scope, center_id=center.pk, day=ctx["day"], target=ctx["target"],
            churn=ctx["churn"],
        )  # fmt: skip
        rows, suggestion, over = sel.live_suggestion(
            scope=scope, center_id=center.pk, target=ctx["target"]
        )
        ctx.update(
            plan=dp,
            heat=panels.heat_rows(dp),
            windows=panels.window_rows(dp),
            what_ifs=panels.what_if_rows(dp),
            forecast=panels.forecast_rows(dp.history),
            coming=panels.coming_days(dp.history, timezone.localdate()),
            live=rows,
            suggestion=suggestion,
            over=over,
            may_apply=may(request.user, "planning.apply"),
            roster_rows=panels.roster_rows(dp),
            query=urlencode(
                {
                    "center": center.pk,
                    "day": ctx["day"],
                    "within": f"{ctx['target'].within_min:g}",
                    "share": f"{ctx['target'].share * 100:g}",
                    "churn": f"{ctx['churn'].share * 100:g}",
                }
            ),
        )
    return render(request, "oversight/planning/page.html", ctx)


@login_required
@require_POST
def apply(request):
    if not may(request.user, "planning.apply"):
        raise Http404
    window_id = request.POST.get("window", "").strip()[:12]
    window = Window.objects.filter(pk=window_id).first() if window_id.isdigit() else None
    if window is None:
        raise Http404
    ids = [i for i in request.POST.getlist("category") if i.isdigit()][:20]
    categories = list(ServiceCategory.objects.filter(pk__in=ids, center_id=window.center_id))
    if not categories:
        raise InvalidInput("planning.no_category", "请至少选择一个业务类别。")
    hall_services.window_set_categories(actor=request.user, window=window, categories=categories)
    names = "、".join(f"{c.letter} {c.name}" for c in categories)
    messages.success(request, f"{window}已改为办理：{names}。大厅显示屏随即更新。")
    back = request.POST.get("back", "")
    url = reverse("oversight:planning")
    return redirect(f"{url}?{back}" if back and "//" not in back else url)


@login_required
@require_POST
def roster(request):
    if not may(request.user, "planning.apply"):
        raise Http404
    back, url = request.POST.get("back", ""), reverse("oversight:planning")
    page_url = back_to(request, f"{url}?{back}" if back and "//" not in back else url)
    center_id = request.POST.get("center", "")
    starts = sel.roster_starts(scope=request.scope, center_id=center_id)
    planning_services.roster_set(
        actor=request.user,
        center_id=center_id,
        clerks_by_start={t: request.POST.get(f"clerks-{t:%H%M}", "") for t in starts},
    )
    messages.success(request, "排班已保存，调度方案按新的在岗人数重新计算。")
    return redirect(page_url)
