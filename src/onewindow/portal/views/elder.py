"""The elder-mode switch (长辈版/关怀模式, R-CIT-2): one tap on every public page and
the terminal; the choice is remembered by a cookie and the visitor returns where they were."""

from __future__ import annotations

from django.shortcuts import redirect

from onewindow.portal import prefs


def elder_switch(request):
    response = redirect(prefs.safe_next(request))
    if request.GET.get("on") == "1":
        prefs.remember(response, prefs.ELDER_COOKIE, "1")
    else:
        response.delete_cookie(prefs.ELDER_COOKIE, samesite="Lax")
    return response
