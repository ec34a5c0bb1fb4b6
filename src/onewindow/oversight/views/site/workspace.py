"""The staff workspace, the audit search and a person's API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onewindow.complaints.selectors_pages import overdue_inquiry_count
from onewindow.core import audit_labels, selectors
from onewindow.core.calendar import calendar_warning
from onewindow.core.models import ApiToken
from onewindow.core.roles import may
from onewindow.core.tokens import api_token_create, api_token_revoke
from onewindow.org import selectors as org_selectors
from onewindow.oversight.selectors import staff_scores
from onewindow.oversight.selectors.worklist import worklist

# tile of the workspace → the activity whose holders see it (core/roles.py)
TILES = {
    "hall_setup": "workspace.hall_setup",
    "prereview": "workspace.prereview",
    "case_queue": "workspace.case_queue",
    "board": "case.board",
    "pledge_queue": "pledge.queue",
    "false_pledges": "workspace.false_pledges",
    "projects": "assisted.manage",
    "backups": "workspace.backups",
    "review_stats": "workspace.review_stats",
    "spot_check": "review.spot_check",
    "review_pads": "workspace.review_pads",
    "hot_topics": "workspace.hot_topics",
    "dashboard": "dashboard.view",
    "indicators": "assessment.read",
    "case_stats": "case_stats.read",
    # leader duty, facilities, guidance, complaint channels
    "duty_mine": "duty.sit",
    "duty_admin": "workspace.duty_admin",
    "duty_items": "duty.items",
    "facilities": "workspace.facilities",
    "guidance_desk": "guidance.record",
    "guidance_figures": "guidance.read",
    "complaint_channels": "complaint_channels.edit",
    "planning": "planning.view",
    "accountability": "accountability.read",
    "staff": "workspace.staff",
    "staff_scores": "workspace.staff_scores",
    "staff_scores_read": "staff_scores.read",
    # lower levels (R-SUP-3)
    "levels": "levels.read",
    # 只进一扇门: the register of departments' separate halls
    "separate_halls": "separate_hall.read",
    # messages (R-MSG-1): the parked messages
    "messages_parked": "message.manage",
    # online consultation (网上咨询): the questions of the department, oldest due first
    "inquiries": "workspace.inquiries",
    # 最多跑一次: the visits per matter against the guides' promise (R-MSG-2)
    "visits": "licence.visits",
    # the provincial exchange (R-MSG-3): what the province has acknowledged
    "exchange": "exchange.read",
}


@login_required
def workspace(request):
    scope = request.scope
    departments = org_selectors.department_list(scope=scope)
    profile = getattr(request.user, "staff_profile", None)
    tiles = {tile: may(request.user, activity) for tile, activity in TILES.items()}
    return render(
        request,
        "core/workspace.html",
        {
            "profile": profile,
            "honours": staff_scores.latest_honours(staff_scores.home_center(profile)),
            "summary": org_selectors.network_by_level(scope=scope),
            "can_read_audit": may(request.user, "audit.read"),
            "tiles": tiles,
            "worklist": worklist(request.user, scope),
            "overdue_inquiries": overdue_inquiry_count(scope=scope) if tiles["inquiries"] else 0,
            "calendar_warning": calendar_warning(timezone.localdate()),
            "departments": departments[:12],
            "department_count": departments.count(),
        },
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=100)
    target = forms.CharField(label="对象", required=False, max_length=100)
    action = forms.ChoiceField(label="操作", required=False, choices=[("", "全部")])
    since = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        named = sorted((audit_labels.action_label(code), code) for code in actions)
        self.fields["action"].choices = [("", "全部")] + [(code, name) for name, code in named]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError("截止日期不能早于起始日期。")
        return data


@login_required
def audit_search(request):
    if not may(request.user, "audit.read"):
        raise Http404
    actions = selectors.audit_actions(scope=request.scope)
    form = AuditFilterForm(request.GET or None, actions=actions)
    events = selectors.audit_search(scope=request.scope)
    if form.is_bound and form.is_valid():
        events = selectors.audit_search(scope=request.scope, **form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_search.html",
        {
            "form": form,
            "page": page,
            "rows": audit_labels.describe(page.object_list),
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                api_token_revoke(actor=request.user, token_id=int(request.POST["revoke"]))
                messages.success(request, "令牌已停用。")
            except (ValueError, ApiToken.DoesNotExist):
                messages.error(request, "未找到该令牌。")
            return redirect("api_tokens")
        name = (request.POST.get("name") or "").strip()
        if not name:
            messages.error(request, "请填写令牌用途。")
        else:
            _, new_key = api_token_create(actor=request.user, name=name)
    tokens = selectors.api_tokens_of(request.user)
    return render(request, "core/api_tokens.html", {"tokens": tokens, "new_key": new_key})
