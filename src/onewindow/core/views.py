"""Kernel pages: home, workspace, login, audit search, API tokens, error pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onewindow.core import audit_labels, selectors
from onewindow.core.models import ApiToken
from onewindow.core.roles import roles_of
from onewindow.core.tokens import api_token_create, api_token_revoke

AUDIT_READER_ROLES = {"supervisor", "center_admin", "gov_office"}


def home(request):
    from onewindow.org.models import Center, Level

    centers = (
        Center.objects.filter(region__level__in=[Level.PREFECTURE, Level.COUNTY], is_active=True)
        .select_related("region")
        .order_by("region__path")
    )
    counts = {
        level: Center.objects.filter(region__level=level, is_active=True).count()
        for level in Level.values
    }
    return render(
        request,
        "core/home.html",
        {
            "centers": centers,
            "counts": counts,
            "examples": ["营业执照", "yyzz", "开饭店", "社保卡"],
        },
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["expired"] = self.request.session.pop("_expired", False)
        return ctx


@login_required
def workspace(request):
    from onewindow.org import selectors as org_selectors
    from onewindow.org.models import Level

    scope = request.scope
    summary = {row["region__level"]: row["n"] for row in org_selectors.network_summary(scope=scope)}
    profile = getattr(request.user, "staff_profile", None)
    return render(
        request,
        "core/workspace.html",
        {
            "profile": profile,
            "summary": [(label, summary.get(value, 0)) for value, label in Level.choices],
            "can_read_audit": request.user.is_superuser
            or bool(roles_of(request.user) & AUDIT_READER_ROLES),
            "roles": roles_of(request.user),
            "is_root": request.user.is_superuser,
            "departments": org_selectors.department_list(scope=scope)[:12],
            "department_count": org_selectors.department_list(scope=scope).count(),
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
    if not (request.user.is_superuser or roles_of(request.user) & AUDIT_READER_ROLES):
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
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "core/api_tokens.html", {"tokens": tokens, "new_key": new_key})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return HttpResponse(
        "<!doctype html><meta charset=utf-8><title>系统繁忙</title>"
        "<h1>系统暂时无法处理您的请求</h1><p>请稍后重试，或联系大厅工作人员。</p>",
        status=500,
    )
