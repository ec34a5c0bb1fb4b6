"""The hall display (R-HALL-3): the big screen and the feed it polls. No login: the feed
carries ticket codes, window numbers and counts, never a name, phone or identity number.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from onewindow.core import clock
from onewindow.hall import selectors


@require_GET
def display(request, center_id):
    center = selectors.display_center(center_id)
    feed = selectors.display_feed(center, None, clock.now())
    return render(
        request,
        "hall/screens/display.html",
        {
            "center": center,
            "state": feed["state"],
            "feed": feed,
            "feed_url": reverse("hall:display_feed", args=[center.pk]),
        },
    )


@never_cache
@require_GET
def display_feed(request, center_id):
    center = selectors.display_center(center_id)
    version = request.GET.get("v")
    return JsonResponse(
        selectors.display_feed(center, version, clock.now()),
        json_dumps_params={"ensure_ascii": False},
    )
