"""Oversight URLs: the hall's statistics page and its Excel export (R-HALL-2, R-HALL-4)."""

from django.urls import path

from onewindow.oversight.views import hall

urlpatterns = [
    path("hall/stats/", hall.stats, name="hall_stats"),
    path("hall/stats/export/", hall.stats_export, name="hall_stats_export"),
]
