"""A center's listings (实施清单) for staff, and the requests that enter, change, cancel
or withdraw them, approved by the level's government office (R-CAT-3, R-CAT-4)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from onewindow.catalog import forms as cforms
from onewindow.catalog import selectors, services
from onewindow.catalog.models import LISTING_LOCAL_FIELDS, ChangeRequest, Listing
from onewindow.core.pages import attempt
from onewindow.core.roles import may

# What a change request may carry for each kind; what the form starts from.
CHANGEABLE = ("place", "hours", "phone", "complaint_phone", "windows")
INITIAL = (*CHANGEABLE, "outside_reason", "outside_note")


@login_required
def listing_list(request):
    q = cforms.query_text(request, "q", 100)
    status = request.GET.get("status") or ""
    listings = selectors.listings_search_for_staff(scope=request.scope, q=q, status=status)
    page = Paginator(listings, 30).get_page(request.GET.get("page"))
    selectors.mark_open_requests(page)
    return render(
        request,
        "catalog/staff/listing_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": Listing.Status.choices,
            "can_request": may(request.user, "catalog.request_change"),
        },
    )


@login_required
def listing_enter(request):
    if not may(request.user, "catalog.request_change"):
        raise Http404
    form = cforms.ListingEntryForm(
        request.POST or None, **selectors.listing_entry_choices(scope=request.scope)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            services.listing_request_entry,
            actor=request.user,
            matter=data["matter"],
            center=data["center"],
            department=data["department"],
            code=data["code"],
            reason=data["reason"],
            **{k: data[k] for k in LISTING_LOCAL_FIELDS},
        )
        if outcome.ok:
            messages.success(
                request,
                f"进驻申请已提交{outcome.value.approver_region.name}人民政府办公室审批，批准后生效。",
            )
            return redirect("catalog:request_detail", request_id=outcome.value.pk)
        cforms.show_error(form, outcome.error)
    return render(request, "catalog/staff/listing_enter.html", {"form": form})


def _payload(kind: str, data: dict, listing: Listing) -> dict:
    """What the request asks to change: the local facts that differ, or why it leaves."""
    if kind == ChangeRequest.Kind.CHANGE:
        return {f: data[f] for f in CHANGEABLE if data[f] != getattr(listing, f)}
    if kind == ChangeRequest.Kind.WITHDRAW:
        return {"outside_reason": data["outside_reason"], "outside_note": data["outside_note"]}
    return {}


@login_required
def listing_request(request, listing_id: int):
    listing = selectors.listing_get_for_staff(scope=request.scope, listing_id=listing_id)
    initial = {f: getattr(listing, f) for f in INITIAL}
    form = cforms.ListingRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        payload = _payload(kind, data, listing)
        if kind == ChangeRequest.Kind.CHANGE and not payload:
            form.add_error(None, "本地信息没有变化，请填写要变更的内容。")
        else:
            outcome = attempt(
                services.listing_request_change,
                actor=request.user,
                listing=listing,
                kind=kind,
                reason=data["reason"],
                **payload,
            )
            if outcome.ok:
                messages.success(
                    request,
                    f"申请已提交{outcome.value.approver_region.name}人民政府办公室审批，批准后生效。",
                )
                return redirect("catalog:request_detail", request_id=outcome.value.pk)
            cforms.show_error(form, outcome.error)
    return render(request, "catalog/staff/listing_request.html", {"listing": listing, "form": form})
