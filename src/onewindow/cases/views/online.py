"""Staff pages of online application (R-CASE-8): the center's pre-review queue and the
pass/return actions of a case's page. The citizen's pages are the portal's
(``portal/views/cases.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.cases import selectors
from onewindow.cases.selectors import online as online_selectors
from onewindow.cases.services import online
from onewindow.core.pages import back_to
from onewindow.core.roles import may


@login_required
def prereview_queue(request):
    user = request.user
    if not may(user, "case.online_queue"):
        raise Http404
    profile = getattr(user, "staff_profile", None)
    center_id = profile.center_id if profile is not None else None
    scope = request.scope
    return render(
        request,
        "cases/online/prereview_queue.html",
        {
            "queue": online_selectors.prereview_queue(scope=scope, center_id=center_id)[:300],
            "awaiting": online_selectors.awaiting_intake(scope=scope, center_id=center_id)[:300],
            "deemed": online_selectors.deemed_cases(scope=scope, center_id=center_id)[:50],
            "today": timezone.localdate(),
            "deemed_days": online.deemed_accept_days(),
        },
    )


@login_required
@require_POST
def prereview_pass(request, case_id: int):
    case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    back = back_to(request, reverse("cases:case_detail", args=[case.pk]))
    online.online_prereview_pass(actor=request.user, case=case, note=request.POST.get("note"))
    messages.success(request, "预审通过，请在窗口作出受理、不予受理或一次性告知补正的决定。")
    return redirect(back)


@login_required
@require_POST
def prereview_return(request, case_id: int):
    case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    back = back_to(request, reverse("cases:case_detail", args=[case.pk]))
    online.online_prereview_return(
        actor=request.user, case=case, reason=request.POST.get("reason", "")
    )
    messages.success(request, "已退回申请人修改，申请人可通过其申请链接查看退回理由。")
    return redirect(back)
