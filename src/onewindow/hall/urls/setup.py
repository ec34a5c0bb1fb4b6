"""The center administrator's hall set-up pages: windows, service categories, opening
hours, the clerks' authorisations (R-HALL-1, R-HALL-5, R-HALL-6)."""

from django.urls import path

from onewindow.hall.views import setup as v
from onewindow.hall.views import terminals as t

urlpatterns = [
    path("staff/setup/", v.setup_home, name="setup_home"),
    path("staff/setup/<int:center_id>/", v.setup_center, name="setup_center"),
    path("staff/setup/<int:center_id>/hours/", v.hours_edit, name="setup_hours"),
    path("staff/setup/<int:center_id>/windows/new/", v.window_new, name="setup_window_new"),
    path(
        "staff/setup/<int:center_id>/windows/<int:window_id>/",
        v.window_edit,
        name="setup_window",
    ),
    path(
        "staff/setup/<int:center_id>/windows/<int:window_id>/active/",
        v.window_active,
        name="setup_window_active",
    ),
    path("staff/setup/<int:center_id>/categories/new/", v.category_new, name="setup_category_new"),
    path(
        "staff/setup/<int:center_id>/categories/<int:category_id>/",
        v.category_edit,
        name="setup_category",
    ),
    path(
        "staff/setup/<int:center_id>/clerks/<int:user_id>/",
        v.clerk_authorizations,
        name="setup_clerk",
    ),
    path("staff/setup/<int:center_id>/terminals/", t.terminal_list, name="setup_terminals"),
    path(
        "staff/setup/<int:center_id>/terminals/<int:terminal_id>/enrollment/",
        t.terminal_enrollment,
        name="setup_terminal_enrollment",
    ),
    path(
        "staff/setup/<int:center_id>/terminals/<int:terminal_id>/revoke/",
        t.terminal_revoke,
        name="setup_terminal_revoke",
    ),
]
