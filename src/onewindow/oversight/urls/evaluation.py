"""Oversight URLs: the evaluation's statistics and their export."""

from django.urls import path

from onewindow.oversight.views import evaluation as v

urlpatterns: list = [
    path("evaluation/stats/", v.stats, name="evaluation_stats"),
    path("evaluation/stats/export/", v.stats_export, name="evaluation_stats_export"),
]
