"""The desk entry (hall desk, suggestion box, phone, hotline), the queues (the
department's without the complainant's identity) and a complaint's page with the steps
its state allows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from onewindow.complaints import selectors, selectors_pages, services, states
from onewindow.complaints.models import Complaint
from onewindow.core.errors import InvalidInput
from onewindow.core.pages import attempt

DESK_SOURCES = ("desk", "box", "phone", "hotline")


@login_required
def complaint_list(request):
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    qs, view = selectors_pages.complaint_queue(
        scope=request.scope, user=request.user, view=request.GET.get("view") or "", q=q
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    registers = selectors_pages.registers(request.user)
    return render(
        request,
        "complaints/staff/list.html",
        {
            "page": page,
            "views": selectors_pages.QUEUES,
            "view": view,
            "q": q,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_register": registers,
            "hide_identity": not registers,
        },
    )


def _register(user, center, post) -> Complaint:
    if center is None:
        raise InvalidInput("complaint.center_required", "请选择中心。", {"center": "请选择中心。"})
    return services.complaint_file(
        actor=user,
        center=center,
        source=post.get("source", ""),
        kind=post.get("kind", "complaint"),
        subject=post.get("subject", ""),
        content=post.get("content", ""),
        anonymous=bool(post.get("anonymous")),
        name=post.get("name", ""),
        phone=post.get("phone", ""),
        staff_concerned=post.get("staff_concerned", ""),
        hotline_order=post.get("hotline_order", ""),
    )


@login_required
def complaint_new(request):
    """The desk entry: the hall's complaint desk, the suggestion box, the phone."""
    user = request.user
    if not selectors_pages.registers(user):
        raise Http404
    centers = selectors_pages.registration_centers(scope=request.scope, user=user)
    context = {
        "post": request.POST,
        "errors": {},
        "centers": centers[:200],
        "sources": [(v, label) for v, label in Complaint.Source.choices if v in DESK_SOURCES],
        "kinds": Complaint.Kind.choices,
    }
    if request.method == "POST":
        center = selectors_pages.center_by_id(centers, request.POST.get("center"))
        outcome = attempt(_register, user, center, request.POST)
        if outcome.ok:
            messages.success(request, f"已登记，投诉编号 {outcome.value.number}。")
            return redirect("complaints:staff_detail", complaint_id=outcome.value.pk)
        context["error"], context["errors"] = outcome.error.message, outcome.error.fields
    return render(request, "complaints/staff/new.html", context)


def _act(user, complaint: Complaint, action: str, post) -> str:
    if action == "dispatch":
        department = selectors_pages.department_by_id(post.get("department", ""))
        if department is None:
            raise InvalidInput("complaint.department_required", "请选择责任部门。")
        services.complaint_dispatch(
            actor=user, complaint=complaint, department=department, note=post.get("note", "")
        )
    elif action == "return":
        services.complaint_return(actor=user, complaint=complaint, reason=post.get("reason", ""))
    elif action == "answer":
        services.complaint_answer(
            actor=user,
            complaint=complaint,
            answer=post.get("answer", ""),
            finding=post.get("finding", ""),
            finding_staff=selectors_pages.finding_staff_by_id(complaint, post.get("finding_staff")),
        )
    elif action == "extension_request":
        services.complaint_extension_request(
            actor=user, complaint=complaint, reason=post.get("reason", "")
        )
    elif action in ("extension_approve", "extension_refuse"):
        services.complaint_extension_approve(
            actor=user,
            complaint=complaint,
            approve=action == "extension_approve",
            note=post.get("note", ""),
        )
    elif action == "revisit":
        services.complaint_revisit(actor=user, complaint=complaint, note=post.get("note", ""))
    elif action == "close":
        services.complaint_close(actor=user, complaint=complaint, note=post.get("note", ""))
    else:
        raise InvalidInput("complaint.unknown_action", "未知的操作。")
    return states.label_of(action)


@login_required
def complaint_detail(request, complaint_id: int):
    complaint = selectors.complaint_get_for(scope=request.scope, complaint_id=complaint_id)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action", "")
        outcome = attempt(_act, user, complaint, action, request.POST)
        if outcome.ok:
            messages.success(request, f"已{outcome.value}。")
            return redirect("complaints:staff_detail", complaint_id=complaint.pk)
        messages.error(request, outcome.error.message)
        complaint = selectors.complaint_get_for(scope=request.scope, complaint_id=complaint_id)
    context = selectors_pages.complaint_page(user=user, complaint=complaint)
    context.update(can_register=selectors_pages.registers(user), today=timezone.localdate())
    return render(request, "complaints/staff/detail.html", context)
