"""投诉建议 on the self-service terminal (R-HALL-7, R-CPL-1): the public complaint form
in the terminal's layout, filed through ``complaint_file`` with the terminal channel at
the terminal's own center. The answer is followed on the visitor's phone (a QR code of
the tracking page): the terminal never opens the website."""

from __future__ import annotations

import segno
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from onewindow.complaints import services
from onewindow.complaints.models import Complaint
from onewindow.core.errors import DomainError, NotFound
from onewindow.hall import selectors as hall_selectors

FIELDS = ("kind", "subject", "content", "name", "phone", "staff_concerned")


@require_http_methods(["GET", "POST"])
def terminal_complaint(request, center_id: int):
    try:
        center = hall_selectors.display_center(center_id)
    except NotFound:
        raise Http404 from None
    post = {f: (request.POST.get(f) or "") for f in FIELDS} if request.method == "POST" else {}
    context = {"center": center, "kinds": Complaint.Kind.choices, "post": post, "errors": {}}
    if request.method == "GET":
        return render(request, "hall/screens/terminal_complaint.html", context)
    try:
        complaint = services.complaint_file(
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
    except DomainError as exc:
        context.update(error=exc.message, errors=exc.fields or {})
        return render(request, "hall/screens/terminal_complaint.html", context, status=exc.status)
    track = request.build_absolute_uri(reverse("complaints:track", args=[complaint.token]))
    return render(
        request,
        "hall/screens/terminal_complaint_done.html",
        {
            "center": center,
            "complaint": complaint,
            "qr": segno.make(track, error="m").svg_inline(
                border=2, omitsize=True, title="扫码查看答复"
            ),
        },
    )
