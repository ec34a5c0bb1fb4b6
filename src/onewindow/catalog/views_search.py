"""The public matter list with search."""

from django.shortcuts import render

from onewindow.catalog import selectors


def matter_list(request):
    matters = selectors.published_matters().order_by("code")[:50]
    return render(request, "catalog/matter_list.html", {"matters": matters})
