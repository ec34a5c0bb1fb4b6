"""The hall's screens: the big display and its feed, the window console, the
self-service terminal, the ticket slip and the ticket's status page."""

from django.urls import path

from onewindow.hall import views_screens as v

urlpatterns = [
    path("display/<int:center_id>/", v.display, name="display"),
    path("display/<int:center_id>/feed", v.display_feed, name="display_feed"),
    path("console/", v.console, name="console"),
    path("console/<int:window_id>/action/", v.console_action, name="console_action"),
    path("terminal/<int:center_id>/", v.terminal, name="terminal"),
    path("terminal/<int:center_id>/take/<int:category_id>/", v.terminal_take, name="terminal_take"),
    path("terminal/<int:center_id>/checkin/", v.terminal_checkin, name="terminal_checkin"),
    path("terminal/<int:center_id>/progress/", v.terminal_progress, name="terminal_progress"),
    path("slip/<str:token>/", v.slip, name="slip"),
    path("ticket/<str:token>/", v.ticket_status, name="ticket_status"),
]
