"""Hall URLs: screens (display, window console, terminal), appointments and home
visits, statistics."""

from django.urls import include, path

app_name = "hall"

urlpatterns = [
    path("", include("onewindow.hall.urls_screens")),
    path("", include("onewindow.hall.urls_appointments")),
    path("", include("onewindow.hall.urls_stats")),
]
