"""Hall statistics: the page and its Excel export."""

from django.urls import path

from onewindow.hall import views_stats

urlpatterns = [
    path("stats/", views_stats.stats, name="stats"),
    path("stats/export/", views_stats.stats_export, name="stats_export"),
]
