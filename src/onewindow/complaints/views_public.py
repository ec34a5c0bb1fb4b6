"""Public complaint pages (no login): filing on the portal, the phone or the terminal,
and the complainant's link to read the answer, say whether they are satisfied and
reopen once. The status shown is the one table of ``states.STATUS`` (as in Open311)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from onewindow.complaints import selectors, services, states
from onewindow.complaints.models import Complaint
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.links import public_url
from onewindow.org.models import Center

PUBLIC_STEPS = ["已受理", "办理中", "已答复", "已回访", "已办结"]


def _centers():
    return Center.objects.filter(is_active=True).select_related("region").order_by("code")


def complaint_file(request):
    centers = _centers()
    terminal = request.GET.get("terminal") or request.POST.get("terminal") or ""
    center = None
    raw = request.GET.get("center") or request.POST.get("center") or ""
    if raw.isdigit():
        center = centers.filter(pk=int(raw)).first()
    context = {
        "centers": centers[:300],
        "center": center,
        "terminal": terminal if terminal.isdigit() else "",
        "post": request.POST,
        "errors": {},
        "kinds": Complaint.Kind.choices,
    }
    if request.method == "POST":
        post = request.POST
        try:
            if center is None:
                raise NotFound("center.not_found", "请选择服务中心。")
            complaint = services.complaint_file(
                center=center,
                source=Complaint.Source.TERMINAL if context["terminal"] else Complaint.Source.WEB,
                kind=post.get("kind", "complaint"),
                subject=post.get("subject", ""),
                content=post.get("content", ""),
                anonymous=bool(post.get("anonymous")),
                name=post.get("name", ""),
                phone=post.get("phone", ""),
                staff_concerned=post.get("staff_concerned", ""),
            )
        except DomainError as exc:
            context["error"] = exc.message
            context["errors"] = exc.fields or {"center": exc.message}
        else:
            url = reverse("complaints:track", args=[complaint.token])
            return redirect(f"{url}?new=1")
    return render(request, "complaints/public/new.html", context)


def _context(complaint: Complaint) -> dict:
    view = selectors.public_view(complaint)
    reached = PUBLIC_STEPS.index(view["status"]) if view["status"] in PUBLIC_STEPS else 0
    return {
        "c": complaint,
        "view": view,
        "steps": [{"label": s, "done": i <= reached} for i, s in enumerate(PUBLIC_STEPS)],
    }


def complaint_track(request, token: str):
    try:
        complaint = services.complaint_by_token(token)
    except NotFound:
        raise Http404 from None
    context = _context(complaint)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("satisfied", "unsatisfied"):
                services.complaint_feedback(
                    token=token, satisfied=action == "satisfied", note=request.POST.get("note", "")
                )
            elif action == "reopen":
                services.complaint_reopen(token=token, reason=request.POST.get("reason", ""))
            else:
                raise NotFound("complaint.unknown_action", "未知的操作。")
        except DomainError as exc:
            context["error"] = exc.message
        else:
            return redirect("complaints:track", token=token)
    context.update(
        {
            "link": public_url(request.get_full_path(), request),
            "new": request.GET.get("new") == "1",
            "can_feedback": complaint.state in states.AWAITING_FEEDBACK,
            "can_reopen": complaint.state == states.UNSATISFIED and not complaint.reopened,
        }
    )
    return render(request, "complaints/public/track.html", context)


def complaint_lookup(request):
    """By tracking number and the last four digits of the phone (read only)."""
    number = (request.GET.get("number") or "").strip()[:32]
    tail = (request.GET.get("tail") or "").strip()[:4]
    context = {"number": number, "tail": tail}
    if number or tail:
        complaint = (
            Complaint.objects.select_related("department", "deadline").filter(number=number).first()
        )
        if complaint is None or len(tail) != 4 or complaint.phone[-4:] != tail:
            context["error"] = "未找到该投诉，请核对投诉编号和手机号后四位。"
        else:
            context.update(_context(complaint))
    return render(request, "complaints/public/lookup.html", context)
