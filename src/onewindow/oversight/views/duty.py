"""Leader duty pages (R-SUP-1, R-SUP-3): my duty (a leader), the desk's QR code and the
phone's sign-in page, the roster and the admin desk, the items, the quarter's
compliance. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from datetime import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.core import clock
from onewindow.core.links import public_reverse
from onewindow.core.pages import back_to
from onewindow.core.roles import may
from onewindow.oversight import duty_rule, services
from onewindow.oversight.models import DutyKind
from onewindow.oversight.selectors import duty as sel

DESK_REFRESH_SECONDS = 300


def _need(request, *activities):
    if not any(may(request.user, a) for a in activities):
        raise Http404


def _today():
    return timezone.localdate(clock.now())


@login_required
def mine(request):
    """A leader's duty: where they sit, today's sitting, items they found or own."""
    _need(request, "duty.sit")
    posts = list(sel.my_posts(user=request.user))
    today = _today()
    ctx = {
        "posts": posts,
        "problems": sel.problems(
            scope=request.scope, today=today, state="open", user=request.user, mine=True
        ),
        "day_rule": duty_rule.DAY_TEXT,
    }
    if posts:
        post = next((p for p in posts if str(p.center_id) == request.GET.get("center")), posts[0])
        ctx.update(
            post=post,
            post_rule=duty_rule.RULE_TEXT[post.kind],
            recent=sel.sittings(scope=request.scope, post=post, limit=10),
            open_sitting=sel.open_sitting_of(post),
            owners=sel.owners(center=post.center),
            walks=sel.walks(scope=request.scope, post=post, limit=10),
        )
    return render(request, "oversight/duty/mine.html", ctx)


@login_required
def desk(request, center_id):
    """The duty desk's screen: a QR code a leader on the roster scans to sign in or out."""
    _need(request, "duty.manage")
    center = sel.center_pick(scope=request.scope, user=request.user, center_id=center_id)
    url = public_reverse("oversight:duty_sign", request=request, args=[services.desk_token(center)])
    ctx = {
        "center": center,
        "qr": segno.make(url, error="m").svg_inline(scale=6, border=2, title="坐班签到二维码"),
        "url": url,
        "refresh": DESK_REFRESH_SECONDS,
        "refresh_minutes": DESK_REFRESH_SECONDS // 60,
        "open": sel.open_sittings(scope=request.scope, center=center).values(),
    }
    return render(request, "oversight/duty/desk.html", ctx)


@login_required
def sign(request, token):
    """The page the desk's QR code opens on the leader's phone: one button."""
    center = services.desk_center(token)
    if request.method == "POST":
        back_to(request, request.path)
        sitting, signed_in = services.duty_sign_by_qr(actor=request.user, token=token)
        when = timezone.localtime(sitting.ended_at or sitting.started_at)
        word = "签到" if signed_in else "签退"
        messages.success(request, f"已在{center.name}{word}（{when:%H:%M}）。")
        return redirect("oversight:duty_mine")
    post = sel.post_at(user=request.user, center=center)
    ctx = {"center": center, "post": post, "open": sel.open_sitting_of(post)}
    return render(request, "oversight/duty/sign.html", ctx)


@login_required
def roster(request):
    """The center's roster, who is sitting now, the admin desk and the county setting."""
    _need(request, "duty.manage", "duty.read")
    center = sel.center_pick(
        scope=request.scope, user=request.user, center_id=request.GET.get("center")
    )
    manage = may(request.user, "duty.manage")
    ctx = {"center": center, "centers": sel.centers(scope=request.scope), "manage": manage}
    if center is not None:
        ctx.update(
            roster=sel.roster_rows(scope=request.scope, center=center),
            candidates=sel.candidates(center=center) if manage else [],
            kinds=DutyKind.choices,
            setting=sel.county_setting(scope=request.scope, center=center),
            county=center.region.level == "county",
            can_set_county=may(request.user, "duty.county_setting"),
            recent=sel.sittings(scope=request.scope, center=center, limit=10),
            walks=sel.walks(scope=request.scope, center=center, limit=10),
        )
    return render(request, "oversight/duty/roster.html", ctx)


def _back_to_roster(request, center_id) -> str:
    return back_to(request, f"{reverse('oversight:duty_roster')}?center={center_id}")


@login_required
@require_POST
def roster_add(request):
    url = _back_to_roster(request, request.POST.get("center", ""))
    post = services.duty_post_add(
        actor=request.user,
        center_id=request.POST.get("center"),
        leader_id=request.POST.get("leader"),
        kind=request.POST.get("kind", ""),
    )
    messages.success(request, f"已将{post.leader.user.full_name}列入坐班名单。")
    return redirect(url)


@login_required
@require_POST
def roster_remove(request, post_id):
    url = _back_to_roster(request, request.POST.get("center", ""))
    post = services.duty_post_remove(actor=request.user, post_id=post_id)
    messages.success(request, f"已将{post.leader.user.full_name}移出坐班名单。")
    return redirect(url)


@login_required
@require_POST
def desk_sign(request, post_id):
    url = _back_to_roster(request, request.POST.get("center", ""))
    sitting, signed_in = services.duty_sign_at_desk(actor=request.user, post_id=post_id)
    name = sitting.post.leader.user.full_name
    messages.success(request, f"已为{name}登记{'签到' if signed_in else '签退'}。")
    return redirect(url)


@login_required
@require_POST
def sitting_close(request, sitting_id):
    url = _back_to_roster(request, request.POST.get("center", ""))
    text = (request.POST.get("ended_at") or "").strip()[:20]
    try:
        ended = datetime.fromisoformat(text) if text else None
    except ValueError:
        ended = None
    if ended is not None and ended.tzinfo is None:
        ended = timezone.make_aware(ended)
    services.duty_sitting_close(actor=request.user, sitting_id=sitting_id, ended_at=ended)
    messages.success(request, "已补登签退时间。")
    return redirect(url)


@login_required
@require_POST
def county_set(request):
    url = _back_to_roster(request, request.POST.get("center", ""))
    setting = services.county_duty_set(
        actor=request.user,
        region_id=request.POST.get("region"),
        adopted=request.POST.get("adopted") == "1",
        half_days_per_quarter=request.POST.get("half_days"),
    )
    messages.success(request, f"已保存{setting.region.name}县级领导坐班设置。")
    return redirect(url)


@login_required
@require_POST
def problem_record(request):
    back_to(request, f"{reverse('oversight:duty_mine')}?center={request.POST.get('center', '')}")
    problem = services.duty_problem_record(
        actor=request.user,
        center_id=request.POST.get("center"),
        description=request.POST.get("description"),
        fix_planned=request.POST.get("fix_planned"),
        owner_id=request.POST.get("owner"),
        working_days=request.POST.get("working_days"),
    )
    messages.success(
        request,
        f"问题已登记，责任人{problem.owner.user.full_name}，整改期限{problem.deadline:%Y-%m-%d}。",
    )
    return redirect(f"{reverse('oversight:duty_mine')}?center={problem.center_id}")


@login_required
@require_POST
def walk_record(request):
    url = back_to(
        request, f"{reverse('oversight:duty_mine')}?center={request.POST.get('center', '')}"
    )
    services.process_walk_record(
        actor=request.user,
        center_id=request.POST.get("center"),
        subject=request.POST.get("subject"),
        findings=request.POST.get("findings"),
        minutes=request.POST.get("minutes"),
    )
    messages.success(request, "走流程记录已保存。")
    return redirect(url)


@login_required
def problems(request):
    """The tracked items: open, overdue, closed; the owner sees their own."""
    _need(request, "duty.manage", "duty.read", "duty.items")
    mine = not (may(request.user, "duty.manage") or may(request.user, "duty.read"))
    state = request.GET.get("state") if request.GET.get("state") in sel.PROBLEM_STATES else "open"
    center_id = request.GET.get("center")
    center = (
        sel.center_pick(scope=request.scope, user=request.user, center_id=center_id)
        if center_id
        else None
    )
    ctx = {
        "rows": sel.problems(
            scope=request.scope,
            today=_today(),
            center=center,
            state=state,
            user=request.user,
            mine=mine,
        ),
        "state": state,
        "states": sel.PROBLEM_STATES.items(),
        "center": center,
        "mine": mine,
    }
    return render(request, "oversight/duty/problems.html", ctx)


@login_required
@require_POST
def problem_close(request, problem_id):
    url = back_to(request, request.POST.get("next") or reverse("oversight:duty_problems"))
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        url = back_to(request, reverse("oversight:duty_problems"))
    services.duty_problem_close(
        actor=request.user, problem_id=problem_id, result=request.POST.get("result")
    )
    messages.success(request, "已办结。")
    return redirect(url)


@login_required
def compliance(request):
    """The quarter's compliance per department and per leader, with the rule shown."""
    _need(request, "duty.manage", "duty.read")
    today = _today()
    year, quarter = duty_rule.quarter_of(today)
    text = (request.GET.get("q") or "").strip()
    if len(text) == 6 and text[:4].isdigit() and text[4] == "Q" and text[5] in "1234":
        year, quarter = int(text[:4]), int(text[5])
    center_id = request.GET.get("center")
    center = (
        sel.center_pick(scope=request.scope, user=request.user, center_id=center_id)
        if center_id
        else None
    )
    report = sel.quarter_compliance(
        scope=request.scope, year=year, quarter=quarter, today=today, center=center
    )
    quarters = [duty_rule.quarter_of(today)]
    for _ in range(5):
        y, q = quarters[-1]
        quarters.append((y, q - 1) if q > 1 else (y - 1, 4))
    ctx = {
        "report": report,
        "center": center,
        "centers": sel.centers(scope=request.scope),
        "quarters": [(f"{y}Q{q}", f"{y}年第{q}季度") for y, q in quarters],
        "current": f"{year}Q{quarter}",
    }
    return render(request, "oversight/duty/compliance.html", ctx)
