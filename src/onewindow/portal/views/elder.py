"""The elder-mode switch (长辈版/关怀模式, R-CIT-2): one tap on every public page and
the terminal; the choice is remembered by a cookie and the visitor returns where they were."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from onewindow.portal import prefs


def _switched(response, on: bool):
    if on:
        prefs.remember(response, prefs.ELDER_COOKIE, "1")
    else:
        response.delete_cookie(prefs.ELDER_COOKIE, samesite="Lax")
    return response


def elder_switch(request):
    """A link on every page of the site: ``?on=1`` or ``?on=0`` and ``next``."""
    return _switched(redirect(prefs.safe_next(request)), request.GET.get("on") == "1")


@require_POST
def terminal_elder(request, center_id: int):
    """The terminal's switch: a button (a form under the terminal's own address), and
    back to the terminal's page it was pressed on."""
    home = reverse("portal:terminal", args=[center_id])
    target = prefs.safe_next(request, default=home, prefix=home)
    return _switched(redirect(target), request.POST.get("on") == "1")
