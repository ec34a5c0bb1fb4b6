"""The hall's devices: the big display and its feed, the window console."""

from django.urls import path

from onewindow.hall.views import console, screens

urlpatterns = [
    path("display/<int:center_id>/", screens.display, name="display"),
    path("display/<int:center_id>/feed", screens.display_feed, name="display_feed"),
    path("console/", console.console, name="console"),
    path("console/<int:window_id>/action/", console.console_action, name="console_action"),
]
