"""Kernel pages: the health check, login and the error pages. The site's own pages
live in ``portal`` (home) and ``oversight`` (workspace, audit, tokens, calendar)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


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


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return HttpResponse(
        "<!doctype html><meta charset=utf-8><title>系统繁忙</title>"
        "<h1>系统暂时无法处理您的请求</h1><p>请稍后重试，或联系大厅工作人员。</p>",
        status=500,
    )
