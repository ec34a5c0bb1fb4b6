"""Portal URLs: the complaint pages a citizen sees without signing in (filing, the
tracking link, the look-up, the terminal's form under the terminal's own address)."""

from django.urls import path

from onewindow.portal.views import complaints as v

urlpatterns: list = [
    path("complaints/new/", v.complaint_file, name="complaint_file"),
    path("complaints/t/<str:token>/", v.complaint_track, name="complaint_track"),
    path("complaints/lookup/", v.complaint_lookup, name="complaint_lookup"),
    path(
        "hall/terminal/<int:center_id>/complaint/", v.terminal_complaint, name="terminal_complaint"
    ),
]
