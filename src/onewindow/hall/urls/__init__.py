"""Hall URLs, by topic: the hall's devices (display, window console), the center
administrator's appointments and set-up (the hall's statistics are ``oversight:`` pages). The pages a citizen sees without
signing in (terminal, ticket pages, booking) are ``portal:`` names under the same
``/hall/`` paths (``portal/urls/hall.py``)."""

from django.urls import include, path

app_name = "hall"

urlpatterns = [
    path("", include("onewindow.hall.urls.screens")),
    path("", include("onewindow.hall.urls.appointments")),
    path("", include("onewindow.hall.urls.setup")),
]
