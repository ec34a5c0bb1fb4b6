"""The home page: what a visitor can do, and the centers of the network."""

from __future__ import annotations

from django.shortcuts import render

from onewindow.org import selectors as org_selectors

EXAMPLES = ["营业执照", "yyzz", "开饭店", "社保卡"]


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "centers": org_selectors.home_centers(),
            "counts": org_selectors.active_center_counts(),
            "examples": EXAMPLES,
        },
    )
