"""The home page starts with the task (R-CIT-2): what do you want to do — one search
box, the most asked matters and life events of the chosen center, take a ticket, book,
my affairs, progress; the network's figures lower down. The chosen center is
remembered (a cookie); the path 州→县→乡→村 is followed by choosing a center one
level down."""

from __future__ import annotations

from django.shortcuts import render

from onewindow.cases.selectors.popular import most_asked_listings
from onewindow.catalog import selectors as catalog_selectors
from onewindow.org import selectors as org_selectors
from onewindow.portal import prefs

EXAMPLES = ["营业执照", "yyzz", "开饭店", "社保卡"]


def home(request):
    center = org_selectors.center_public(prefs.chosen_center_id(request))
    centers = org_selectors.home_centers()
    if center is None:
        center = centers.first()
    context = {
        "centers": centers,
        "counts": org_selectors.active_center_counts(),
        "examples": EXAMPLES,
        "center": center,
    }
    if center is not None:
        context.update(
            center_path=org_selectors.center_path(center),
            center_children=org_selectors.center_children(center),
            popular=most_asked_listings(center),
            bundles=catalog_selectors.bundles_at(center),
        )
    response = render(request, "core/home.html", context)
    if center is not None and request.GET.get("center") == str(center.pk):
        prefs.remember(response, prefs.CENTER_COOKIE, str(center.pk))
    return response
