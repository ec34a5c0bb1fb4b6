"""Oversight URLs: the directors' dashboard and its big-screen mode (R-SUP-4)."""

from django.urls import path

from onewindow.oversight.views import dashboard

urlpatterns: list = [
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/screen/", dashboard.dashboard_screen, name="dashboard_screen"),
    path("dashboard/report/", dashboard.monthly_report_download, name="monthly_report"),
]
