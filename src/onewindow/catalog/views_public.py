"""Public guide and bundle pages (no login)."""

from django.http import Http404
from django.shortcuts import render

from onewindow.catalog import selectors
from onewindow.core.errors import NotFound


def matter_detail(request, matter_id: int):
    try:
        version = selectors.guide_version_get_public(matter_id=matter_id)
    except NotFound:
        raise Http404 from None
    return render(request, "catalog/matter_detail.html", {"version": version, "matter": version.matter})


def bundle_detail(request, code: str):
    try:
        bundle = selectors.bundle_get_public(code=code)
    except NotFound:
        raise Http404 from None
    return render(request, "catalog/bundle_detail.html", {"bundle": bundle,
                                                          **selectors.bundle_summary(bundle)})
