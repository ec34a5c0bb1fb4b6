"""Oversight URLs: the departments' indicators, thresholds and talk list, and the case
statistics (R-SUP-2, R-SUP-4)."""

from django.urls import path

from onewindow.oversight.views import case_stats, indicators

urlpatterns: list = [
    path("indicators/", indicators.indicators_page, name="indicators"),
    path("indicators/export/", indicators.indicators_export, name="indicators_export"),
    path("indicators/thresholds/", indicators.threshold_set, name="threshold_set"),
    path("statistics/cases/", case_stats.case_stats_page, name="case_stats"),
    path("statistics/cases/export/", case_stats.case_stats_export, name="case_stats_export"),
]
