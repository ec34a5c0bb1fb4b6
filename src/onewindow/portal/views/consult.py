"""网上咨询 (R-CASE-8) under ``/consult/``: a signed-in citizen asks about a matter at a
center that handles it (from the guide or from 我的事务) and reads the answer."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import Listing
from onewindow.complaints.services.online_inquiries import answer_days
from onewindow.core.pages import attempt
from onewindow.portal.citizens import selectors, services
from onewindow.portal.citizens.session import citizen_required


@citizen_required
def ask(request, matter_id: int, *, account):
    matter = catalog_selectors.matter_get_public(matter_id=matter_id)
    listings = list(
        Listing.objects.filter(matter=matter, status=Listing.Status.ACTIVE)
        .select_related("center", "department")
        .order_by("center__code")
    )
    if not listings:
        raise Http404
    context = {
        "matter": matter,
        "listings": listings,
        "days": answer_days(),
        "post": request.POST,
        "errors": {},
    }
    if request.method == "POST":
        raw = request.POST.get("center", "")
        chosen = next((x for x in listings if str(x.center_id) == raw), None)
        outcome = attempt(
            services.citizen_ask,
            account=account,
            matter=matter,
            center=chosen.center if chosen else None,
            question=request.POST.get("question", ""),
            publish_consent=bool(request.POST.get("publish_consent")),
        )
        if outcome.ok:
            messages.success(request, f"咨询已提交，部门将在{answer_days()}个工作日内答复。")
            return redirect("portal:consult_detail", inquiry_id=outcome.value.pk)
        context["error"], context["errors"] = outcome.error.message, outcome.error.fields
    return render(request, "portal/consult/ask.html", context)


@citizen_required
def detail(request, inquiry_id: int, *, account):
    inquiry = selectors.inquiry_of(account, inquiry_id)
    return render(
        request,
        "portal/consult/detail.html",
        {"i": inquiry, "faq_label": selectors.faq_label(inquiry), "account": account},
    )
