"""Consultations (首问负责): the log with its first owner, and a consultation's page where
its owner answers it or hands it to a colleague."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from onewindow.complaints import selectors, selectors_pages
from onewindow.complaints.models import FaqState, Inquiry
from onewindow.complaints.services import inquiries, online_inquiries
from onewindow.core.errors import InvalidInput
from onewindow.core.pages import attempt


@login_required
def inquiry_list(request):
    user = request.user
    context = {
        "post": request.POST,
        "errors": {},
        "channels": Inquiry.Channel.choices,
        "can_register": selectors_pages.registers(user),
    }
    if request.method == "POST":
        outcome = attempt(
            inquiries.inquiry_log,
            actor=user,
            question=request.POST.get("question", ""),
            channel=request.POST.get("channel", "window"),
            asker_name=request.POST.get("asker_name", ""),
            asker_phone=request.POST.get("asker_phone", ""),
            center=selectors_pages.home_center(user),
        )
        if outcome.ok:
            messages.success(request, "已登记咨询，您是首问责任人。")
            return redirect("complaints:inquiry_detail", inquiry_id=outcome.value.pk)
        context["error"], context["errors"] = outcome.error.message, outcome.error.fields
    state = request.GET.get("state", "")
    qs = selectors_pages.inquiry_queue(
        scope=request.scope,
        user=user,
        mine=bool(request.GET.get("mine")),
        state=state,
        online=bool(request.GET.get("online")),
        overdue=bool(request.GET.get("overdue")),
    )
    context["page"] = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    context["state"] = state
    return render(request, "complaints/inquiries/list.html", context)


def _act(user, inquiry: Inquiry, post) -> str:
    action = post.get("action", "")
    if action == "answer":
        inquiries.inquiry_answer(actor=user, inquiry=inquiry, answer=post.get("answer", ""))
        return "已答复。"
    if action == "handover":
        raw = post.get("to_user", "")
        inquiries.inquiry_handover(
            actor=user,
            inquiry=inquiry,
            to_user=int(raw) if raw.isdigit() else 0,
            reason=post.get("reason", ""),
        )
        return "已移交，对方成为当前责任人。"
    if action == "take":
        online_inquiries.inquiry_take(actor=user, inquiry=inquiry)
        return "已接收，您是该咨询的首问责任人。"
    if action in ("faq_publish", "faq_decline"):
        publish = action == "faq_publish"
        online_inquiries.inquiry_faq_review(actor=user, inquiry=inquiry, publish=publish)
        return "已公开为办事指南的常见问题。" if publish else "已审核，不予公开。"
    raise InvalidInput("inquiry.unknown_action", "未知的操作。")


@login_required
def inquiry_detail(request, inquiry_id: int):
    inquiry = selectors.inquiry_get_for(scope=request.scope, inquiry_id=inquiry_id)
    user = request.user
    if request.method == "POST":
        outcome = attempt(_act, user, inquiry, request.POST)
        if outcome.ok:
            messages.success(request, outcome.value)
            return redirect("complaints:inquiry_detail", inquiry_id=inquiry.pk)
        messages.error(request, outcome.error.message)
        inquiry = selectors.inquiry_get_for(scope=request.scope, inquiry_id=inquiry_id)
    return render(
        request,
        "complaints/inquiries/detail.html",
        {
            "i": inquiry,
            "asker_phone": selectors.inquiry_phone_for(inquiry, user),
            "handovers": inquiry.handovers.select_related("from_user", "to_user"),
            "is_owner": inquiry.owner_id == user.pk and inquiry.state == Inquiry.State.OPEN,
            "may_take": not inquiry.taken,
            "faq_pending": inquiry.faq_state == FaqState.PENDING,
            "colleagues": selectors_pages.handover_colleagues(inquiry=inquiry, user=user),
            "can_register": selectors_pages.registers(user),
        },
    )
