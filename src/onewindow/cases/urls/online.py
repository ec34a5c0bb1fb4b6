from django.urls import path

from onewindow.cases.views import online

urlpatterns = [
    path("workspace/prereview/", online.prereview_queue, name="prereview_queue"),
    path(
        "workspace/cases/<int:case_id>/prereview/pass/",
        online.prereview_pass,
        name="prereview_pass",
    ),
    path(
        "workspace/cases/<int:case_id>/prereview/return/",
        online.prereview_return,
        name="prereview_return",
    ),
]
