"""The workspace's rectification pages: the queue with the pending appeals, a
rectification's page with the steps the reader may take, the steps, the department's
appeal with its evidence and the center's decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from onewindow.core.pages import back_to
from onewindow.evaluation import selectors, selectors_pages, services, states
from onewindow.evaluation.views.forms import require_staff
from onewindow.files import storage


def _back(request, rect_id) -> str:
    return back_to(request, reverse("evaluation:rectification", kwargs={"rect_id": rect_id}))


@login_required
def rectification_list(request):
    require_staff(request)
    rects, show = selectors_pages.rectification_queue(
        user=request.user, show=request.GET.get("show") or "open"
    )
    page = Paginator(rects, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/rectification_list.html",
        {
            "page": page,
            "show": show,
            "appeals": selectors_pages.pending_appeals(user=request.user),
            "today": timezone.localdate(),
            "is_center": selectors_pages.is_center_reviewer(request.user),
        },
    )


@login_required
def rectification_detail(request, rect_id):
    require_staff(request)
    ctx = selectors_pages.rectification_page(user=request.user, rectification_id=rect_id)
    ctx["today"] = timezone.localdate()
    return render(request, "evaluation/rectification_detail.html", ctx)


@login_required
@require_POST
def rectification_action(request, rect_id, action):
    require_staff(request)
    rect = selectors.rectification_get_for(user=request.user, rectification_id=rect_id)
    url = _back(request, rect.pk)
    services.rectification_step(
        actor=request.user,
        rectification=rect,
        action=action[:20],
        text=(request.POST.get("text") or "")[:3000],
    )
    messages.success(request, f"已{states.label(action)}。")
    return redirect(url)


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
    require_staff(request)
    rect = selectors.rectification_get_for(user=request.user, rectification_id=rect_id)
    url = _back(request, rect.pk)
    storage.check_request(request)
    services.appeal_file(
        actor=request.user,
        review=rect.review,
        reason=(request.POST.get("reason") or "")[:3000],
        evidence=request.FILES.get("evidence"),
    )
    messages.success(request, "申诉已提交，等待服务中心裁定。")
    return redirect(url)


@login_required
def appeal_evidence(request, appeal_id):
    """The evidence of an appeal, only to those who see the appeal."""
    require_staff(request)
    appeal = selectors_pages.appeal_get_for(user=request.user, appeal_id=appeal_id)
    if appeal.evidence is None:
        raise Http404
    return storage.file_response(appeal.evidence)


@login_required
@require_POST
def appeal_decide(request, appeal_id):
    require_staff(request)
    appeal = selectors_pages.appeal_get_for(user=request.user, appeal_id=appeal_id)
    url = _back(request, appeal.review.rectification.pk)
    services.appeal_decide(
        actor=request.user,
        appeal=appeal,
        upheld=request.POST.get("upheld") == "1",
        decision=(request.POST.get("decision") or "")[:3000],
    )
    messages.success(request, "申诉已裁定。")
    return redirect(url)
