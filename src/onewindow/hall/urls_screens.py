"""The hall's screens: the big display and its feed, the window console, the
self-service terminal, the ticket slip and the ticket's status page.

The terminal's progress, complaint and review pages belong to the apps that own those
lookups and writes (cases, complaints, evaluation); they answer under the same
``hall/terminal/<center>/`` prefix from those apps' URL modules."""

from django.urls import path

from onewindow.hall import views_screens as v
from onewindow.hall import views_terminal as t

urlpatterns = [
    path("display/<int:center_id>/", v.display, name="display"),
    path("display/<int:center_id>/feed", v.display_feed, name="display_feed"),
    path("console/", v.console, name="console"),
    path("console/<int:window_id>/action/", v.console_action, name="console_action"),
    path("terminal/<int:center_id>/", v.terminal, name="terminal"),
    path("terminal/<int:center_id>/take/<int:category_id>/", v.terminal_take, name="terminal_take"),
    path("terminal/<int:center_id>/checkin/", v.terminal_checkin, name="terminal_checkin"),
    path("terminal/<int:center_id>/guides/", t.terminal_guides, name="terminal_guides"),
    path(
        "terminal/<int:center_id>/guides/<int:matter_id>/",
        t.terminal_guide,
        name="terminal_guide",
    ),
    path(
        "terminal/<int:center_id>/guides/<int:matter_id>/print/",
        t.terminal_guide_print,
        name="terminal_guide_print",
    ),
    path("terminal/<int:center_id>/print/", t.terminal_print, name="terminal_print"),
    path("slip/<str:token>/", v.slip, name="slip"),
    path("ticket/<str:token>/", v.ticket_status, name="ticket_status"),
]
