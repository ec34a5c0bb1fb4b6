"""Portal URLs: the hall's public pages under ``/hall/`` (R-HALL-2, R-HALL-6, R-HALL-7):
the self-service terminal, a ticket's slip and status page, taking a ticket on the
portal, booking, cancelling, checking in and asking for a home visit."""

from django.urls import path

from onewindow.portal.views import elder
from onewindow.portal.views.hall import booking, enrollment, materials, terminal, tickets

TERMINAL = "hall/terminal/<int:center_id>/"

urlpatterns = [
    path("hall/terminal/enroll/<str:code>/", enrollment.terminal_enroll, name="terminal_enroll"),
    path(TERMINAL, terminal.terminal, name="terminal"),
    path(f"{TERMINAL}take/<int:category_id>/", terminal.terminal_take, name="terminal_take"),
    path(f"{TERMINAL}checkin/", terminal.terminal_checkin, name="terminal_checkin"),
    path(f"{TERMINAL}guides/", terminal.terminal_guides, name="terminal_guides"),
    path(f"{TERMINAL}guides/<int:matter_id>/", terminal.terminal_guide, name="terminal_guide"),
    path(
        f"{TERMINAL}guides/<int:matter_id>/print/",
        terminal.terminal_guide_print,
        name="terminal_guide_print",
    ),
    path(f"{TERMINAL}print/", terminal.terminal_print, name="terminal_print"),
    path(f"{TERMINAL}elder/", elder.terminal_elder, name="terminal_elder"),
    path("hall/slip/<str:token>/", tickets.slip, name="slip"),
    path("hall/ticket/<str:token>/", tickets.ticket_status, name="ticket_status"),
    path("hall/queue/", tickets.queue, name="queue"),
    path("hall/book/", booking.book, name="book"),
    path("hall/book/done/<str:code>/", booking.booking_done, name="booking_done"),
    path("hall/book/cancel/", booking.booking_cancel, name="booking_cancel"),
    path("hall/checkin/", booking.checkin, name="checkin"),
    path("hall/home-visit/", booking.home_visit_request, name="home_visit_request"),
]

urlpatterns += [
    path(f"{TERMINAL}materials/", materials.terminal_materials, name="terminal_materials"),
    path(
        f"{TERMINAL}materials/<str:token>/",
        materials.terminal_materials_case,
        name="terminal_materials_case",
    ),
    path(
        f"{TERMINAL}materials/<str:token>/upload/",
        materials.terminal_materials_upload,
        name="terminal_materials_upload",
    ),
]
