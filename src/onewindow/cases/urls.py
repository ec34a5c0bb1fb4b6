from django.urls import include, path

from onewindow.cases import views, views_staff, views_terminal

app_name = "cases"

urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("progress/t/<str:token>/", views.progress_token, name="progress_token"),
    # the self-service terminal's lookup, under the terminal's own address
    path(
        "hall/terminal/<int:center_id>/progress/",
        views_terminal.terminal_progress,
        name="terminal_progress",
    ),
    path("workspace/cases/<int:case_id>/notice/<slug:kind>.pdf", views.notice, name="notice"),
    path("workspace/cases/", views_staff.case_list, name="case_list"),
    path("workspace/cases/new/", views_staff.case_intake, name="case_intake"),
    path("workspace/cases/<int:case_id>/", views_staff.case_detail, name="case_detail"),
    path("", include("onewindow.cases.urls_online")),
    path("", include("onewindow.cases.urls_files")),
    path("", include("onewindow.cases.urls_supervision")),
    path("", include("onewindow.cases.urls_pledges")),
    path("", include("onewindow.cases.urls_bundles")),
    path("", include("onewindow.cases.urls_assisted")),
]
