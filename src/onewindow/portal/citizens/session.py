"""A signed-in citizen lives in the session under its own key, never as
``request.user``: the staff's pages (``login_required``, the scope) do not see them."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from onewindow.portal.models import CitizenAccount

SESSION_KEY = "citizen_account_id"


def current_account(request) -> CitizenAccount | None:
    if not hasattr(request, "_citizen_account"):
        pk = request.session.get(SESSION_KEY)
        request._citizen_account = (
            CitizenAccount.objects.filter(pk=pk, is_active=True).first() if pk else None
        )
    return request._citizen_account


def sign_in(request, account: CitizenAccount) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = account.pk
    request._citizen_account = account


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request._citizen_account = None


def citizen_required(view):
    """The view gets the signed-in account as ``account``; others go to sign in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        account = current_account(request)
        if account is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('portal:citizen_login')}?{query}")
        return view(request, *args, account=account, **kwargs)

    return wrapped
