"""The complaint pages a citizen sees without signing in: filing on the portal or the
phone, the complainant's link to read the answer, say whether they are satisfied and
reopen once, the look-up by number, and the form on the self-service terminal (the
answer followed on the visitor's phone by a QR code: the terminal never opens the
website). The status shown is the one table of ``states.STATUS`` (as in Open311)."""

from __future__ import annotations

import segno
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from onewindow.complaints import selectors, selectors_pages, services, states
from onewindow.complaints.models import Complaint
from onewindow.core.links import public_url
from onewindow.core.pages import attempt
from onewindow.hall import selectors as hall_selectors
from onewindow.portal.views.hall import devices

PUBLIC_STEPS = ["已受理", "办理中", "已答复", "已回访", "已办结"]
TERMINAL_FIELDS = ("kind", "subject", "content", "name", "phone", "staff_concerned")
NO_CENTER = "请选择服务中心。"


def _file(post, center, terminal: bool):
    return attempt(
        services.complaint_file,
        center=center,
        source=Complaint.Source.TERMINAL if terminal else Complaint.Source.WEB,
        kind=post.get("kind", "complaint"),
        subject=post.get("subject", ""),
        content=post.get("content", ""),
        anonymous=bool(post.get("anonymous")),
        name=post.get("name", ""),
        phone=post.get("phone", ""),
        staff_concerned=post.get("staff_concerned", ""),
    )


def complaint_file(request):
    centers = selectors_pages.public_centers()
    terminal = request.GET.get("terminal") or request.POST.get("terminal") or ""
    raw = request.GET.get("center") or request.POST.get("center") or ""
    center = selectors_pages.center_by_id(centers, raw)
    context = {
        "centers": centers[:300],
        "center": center,
        "terminal": terminal if terminal.isdigit() else "",
        "post": request.POST,
        "errors": {},
        "kinds": Complaint.Kind.choices,
    }
    if request.method == "POST":
        if center is None:
            context["error"], context["errors"] = NO_CENTER, {"center": NO_CENTER}
            return render(request, "complaints/public/new.html", context)
        outcome = _file(request.POST, center, bool(context["terminal"]))
        if outcome.ok:
            url = reverse("portal:complaint_track", args=[outcome.value.token])
            return redirect(f"{url}?new=1")
        context["error"] = outcome.error.message
        context["errors"] = outcome.error.fields or {"center": outcome.error.message}
    return render(request, "complaints/public/new.html", context)


def _context(complaint: Complaint) -> dict:
    view = selectors.public_view(complaint)
    reached = PUBLIC_STEPS.index(view["status"]) if view["status"] in PUBLIC_STEPS else 0
    return {
        "c": complaint,
        "view": view,
        "steps": [{"label": s, "done": i <= reached} for i, s in enumerate(PUBLIC_STEPS)],
    }


def _answer(token: str, post):
    action = post.get("action", "")
    if action in ("satisfied", "unsatisfied"):
        return attempt(
            services.complaint_feedback,
            token=token,
            satisfied=action == "satisfied",
            note=post.get("note", ""),
        )
    if action == "reopen":
        return attempt(services.complaint_reopen, token=token, reason=post.get("reason", ""))
    return None


def complaint_track(request, token: str):
    complaint = selectors.complaint_by_token(token)
    context = _context(complaint)
    if request.method == "POST":
        outcome = _answer(token, request.POST)
        if outcome is not None and outcome.ok:
            return redirect("portal:complaint_track", token=token)
        context["error"] = outcome.error.message if outcome is not None else "未知的操作。"
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
        complaint = selectors_pages.complaint_by_number(number, tail)
        if complaint is None:
            context["error"] = "未找到该投诉，请核对投诉编号和手机号后四位。"
        else:
            context.update(_context(complaint))
    return render(request, "complaints/public/lookup.html", context)


# --- the self-service terminal (R-HALL-7) ------------------------------------------------------


@require_http_methods(["GET", "POST"])
@devices.terminal_page
def terminal_complaint(request, center_id: int):
    """The public form in the terminal's layout, filed with the terminal channel at the
    terminal's own center."""
    center = hall_selectors.display_center(center_id)
    post = (
        {f: (request.POST.get(f) or "") for f in TERMINAL_FIELDS}
        if request.method == "POST"
        else {}
    )
    context = {"center": center, "kinds": Complaint.Kind.choices, "post": post, "errors": {}}
    if request.method == "GET":
        return render(request, "hall/screens/terminal_complaint.html", context)
    outcome = attempt(
        services.complaint_file,
        actor=devices.terminal_actor(request, center),
        center=center,
        source=Complaint.Source.TERMINAL,
        kind=post["kind"] or Complaint.Kind.COMPLAINT,
        subject=post["subject"],
        content=post["content"],
        anonymous=bool(request.POST.get("anonymous")),
        name=post["name"],
        phone=post["phone"],
        staff_concerned=post["staff_concerned"],
    )
    if not outcome.ok:
        context.update(error=outcome.error.message, errors=outcome.error.fields or {})
        status = outcome.error.status
        return render(request, "hall/screens/terminal_complaint.html", context, status=status)
    track = request.build_absolute_uri(
        reverse("portal:complaint_track", args=[outcome.value.token])
    )
    qr = segno.make(track, error="m").svg_inline(border=2, omitsize=True, title="扫码查看答复")
    return render(
        request,
        "hall/screens/terminal_complaint_done.html",
        {"center": center, "complaint": outcome.value, "qr": qr},
    )
