from django.urls import path

from onewindow.cases.views import supervision as views

urlpatterns: list = [
    path("workspace/queue/", views.queue, name="queue"),
    path("workspace/queue/backups/", views.backups, name="backups"),
    path("workspace/supervision/", views.board, name="board"),
    path(
        "workspace/cases/<int:case_id>/special/start/",
        views.special_start,
        name="special_start",
    ),
    path("workspace/cases/<int:case_id>/special/end/", views.special_end, name="special_end"),
    path("workspace/cases/<int:case_id>/force/", views.force, name="force"),
]
