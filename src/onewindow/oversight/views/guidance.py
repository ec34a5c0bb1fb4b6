"""Guidance pages (R-HALL-9): the guidance desk's two-tap form and the share of visitors
sent to other channels; the center's complaint channels, public (§18) and their edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.core import clock
from onewindow.core.pages import back_to
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.selectors import duty as duty_sel
from onewindow.oversight.selectors import guidance as sel


@login_required
def desk(request):
    """Two taps: what was asked, then where the visitor was sent."""
    if not may(request.user, "guidance.record"):
        raise Http404
    center = duty_sel.center_pick(
        scope=request.scope, user=request.user, center_id=request.GET.get("center")
    )
    today = timezone.localdate(clock.now())
    ctx = {"center": center}
    if center is not None:
        total, mine = sel.guidance_count_today(
            scope=request.scope, center=center, user=request.user, today=today
        )
        ctx.update(
            matters=sel.matter_choices(center=center, today=today),
            topics=sel.topic_choices(),
            channels=sel.channel_choices(),
            total=total,
            mine=mine,
        )
    return render(request, "oversight/guidance/desk.html", ctx)


@login_required
@require_POST
def record(request):
    center_id = request.POST.get("center", "")
    url = back_to(request, f"{reverse('oversight:guidance_desk')}?center={center_id}")
    asked = request.POST.get("asked") or ""
    guidance = services.guidance_record(
        actor=request.user,
        center_id=center_id,
        channel=request.POST.get("channel", ""),
        matter_id=asked[1:] if asked.startswith("m") else None,
        topic=asked[1:] if asked.startswith("t") else "",
    )
    messages.success(request, f"已登记：{guidance.asked} → {guidance.get_channel_display()}")
    return redirect(url)


@login_required
def figures(request):
    """The share sent to other channels, per day and for the month."""
    if not (may(request.user, "guidance.read") or may(request.user, "guidance.record")):
        raise Http404
    center = duty_sel.center_pick(
        scope=request.scope, user=request.user, center_id=request.GET.get("center")
    )
    year, month = sel.month_of(request.GET.get("month"), today=timezone.localdate(clock.now()))
    report = (
        sel.guidance_month(scope=request.scope, center=center, year=year, month=month)
        if center
        else None
    )
    trend = (
        sel.guidance_trend(scope=request.scope, center=center, year=year, month=month)
        if center
        else []
    )
    ctx = {
        "center": center,
        "centers": duty_sel.centers(scope=request.scope),
        "report": report,
        "trend": trend,
        "month": f"{year}-{month:02d}",
    }
    return render(request, "oversight/guidance/figures.html", ctx)


def channels_index(request):
    """Public: every center, each linking to its complaint channels."""
    return render(
        request, "oversight/guidance/channels_index.html", {"centers": sel.public_centers()}
    )


def channels(request, code):
    """Public: every complaint channel of one center (§18)."""
    center = sel.public_center(code)
    return render(
        request,
        "oversight/guidance/channels.html",
        {"center": center, "channels": sel.channels_of(center)},
    )


@login_required
def channels_edit(request):
    if not may(request.user, "complaint_channels.edit"):
        raise Http404
    center = duty_sel.center_pick(
        scope=request.scope, user=request.user, center_id=request.GET.get("center")
    )
    if request.method == "POST" and center is not None:
        back_to(request, f"{request.path}?center={center.pk}")
        fields = {f: request.POST.get(f, "") for f in services.CHANNEL_FIELDS}
        services.complaint_channels_update(actor=request.user, center_id=center.pk, **fields)
        messages.success(request, "投诉渠道已更新，公开页面同步显示。")
        return redirect(f"{request.path}?center={center.pk}")
    ctx = {
        "center": center,
        "centers": duty_sel.centers(scope=request.scope),
        "channels": sel.channels_in_scope(scope=request.scope, center=center) if center else None,
    }
    return render(request, "oversight/guidance/channels_edit.html", ctx)
