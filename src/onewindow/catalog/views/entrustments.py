"""Entrusted matters (委托事项) on the matter's staff page: the catalog's administrators
(``catalog.entrust``) record an entrustment and revoke it, each in their scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onewindow.catalog import forms as cforms
from onewindow.catalog import selectors, services
from onewindow.core.pages import attempt, back_to
from onewindow.core.roles import may
from onewindow.core.text import form_errors_text


@login_required
def entrustment_new(request, matter_id: int):
    if not may(request.user, "catalog.entrust"):
        raise Http404
    matter, _own = selectors.matter_get_for_listing_staff(scope=request.scope, matter_id=matter_id)
    choices = selectors.entrust_choices(scope=request.scope, matter=matter)
    form = cforms.EntrustmentForm(
        request.POST or None, initial={"start": timezone.localdate()}, **choices
    )
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            services.entrustment_create, actor=request.user, matter=matter, **form.cleaned_data
        )
        if outcome.ok:
            messages.success(request, f"已登记：{outcome.value.sentence}")
            return redirect("catalog:staff_matter", matter_id=matter.pk)
        cforms.show_error(form, outcome.error)
    return render(request, "catalog/staff/entrustment_new.html", {"matter": matter, "form": form})


@login_required
@require_POST
def entrustment_revoke(request, entrustment_id: int):
    entrustment = selectors.entrustment_get_for_staff(
        scope=request.scope, entrustment_id=entrustment_id
    )
    form = cforms.RevokeForm(request.POST)
    target = back_to(request, reverse("catalog:staff_matter", args=[entrustment.matter_id]))
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(target)
    services.entrustment_revoke(
        actor=request.user,
        entrustment=entrustment,
        on=form.cleaned_data["revoked_on"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, f"已撤销{entrustment.center.name}的委托。")
    return redirect(target)
