"""Portal URLs: the citizen's case pages (progress, online application), no sign-in."""

from django.urls import path

from onewindow.portal.views.cases import online, progress

urlpatterns: list = [
    path("progress/", progress.progress, name="progress"),
    path("progress/t/<str:token>/", progress.progress_token, name="progress_token"),
    # the self-service terminal's lookup, under the terminal's own address
    path(
        "hall/terminal/<int:center_id>/progress/",
        progress.terminal_progress,
        name="terminal_progress",
    ),
    path("apply/", online.apply_list, name="apply_list"),
    path("apply/<int:listing_id>/", online.apply_new, name="apply_new"),
    path("apply/t/<str:token>/", online.apply_token, name="apply_token"),
    path("apply/t/<str:token>/upload/", online.apply_upload, name="apply_upload"),
    path("apply/t/<str:token>/withdraw/", online.apply_withdraw, name="apply_withdraw"),
]
