"""Taking a ticket on the portal (网上取号): pick a center and a category on the phone,
then follow the queue on the ticket's status page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from onewindow.core.errors import DomainError, NotFound
from onewindow.core.middleware import client_ip
from onewindow.hall import selectors, services
from onewindow.hall.appointments.selectors import public_category, public_center, public_centers


def queue(request):
    centers = public_centers().order_by("region__path")
    center = None
    raw = request.GET.get("center") or request.POST.get("center")
    if raw:
        try:
            center = public_center(raw)
        except NotFound:
            raise Http404 from None
    context = {"centers": centers, "center": center, "phone": ""}
    if center is not None:
        context["categories"] = center.service_categories.filter(
            is_active=True, needs_clerk=True
        ).order_by("order", "letter")
        counts = selectors.waiting_counts(center, timezone.localdate())
        context["categories"] = [(c, counts.get(c.pk, 0)) for c in context["categories"]]
    if request.method == "POST" and center is not None:
        phone = (request.POST.get("phone") or "").strip()[:20]
        context["phone"] = phone
        try:
            category = public_category(center, request.POST.get("category"))
            ticket = services.ticket_issue_online(
                center=center,
                category=category,
                phone=phone,
                client_key=f"ip:{client_ip(request) or '-'}",
            )
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "hall/portal/queue.html", context, status=exc.status)
        return redirect(reverse("hall:ticket_status", args=[selectors.ticket_token(ticket)]))
    return render(request, "hall/portal/queue.html", context)
