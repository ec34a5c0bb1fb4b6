"""Hall URLs: screens (display, window console, terminal), appointments and home
visits, statistics."""

from django.urls import include, path

from onewindow.hall import views_portal

app_name = "hall"

urlpatterns = [
    path("", include("onewindow.hall.urls_screens")),
    path("", include("onewindow.hall.urls_appointments")),
    path("", include("onewindow.hall.urls_setup")),
    path("queue/", views_portal.queue, name="queue"),
]
