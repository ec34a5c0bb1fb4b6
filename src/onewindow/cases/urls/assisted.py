from django.urls import path

from onewindow.cases.views import assisted

urlpatterns = [
    path("workspace/projects/", assisted.project_list, name="project_list"),
    path("workspace/projects/new/", assisted.project_new, name="project_new"),
    path(
        "workspace/projects/<int:project_id>/",
        assisted.project_detail,
        name="project_detail",
    ),
    path(
        "workspace/projects/<int:project_id>/note/",
        assisted.project_note,
        name="project_note",
    ),
    path(
        "workspace/projects/<int:project_id>/link/",
        assisted.project_link,
        name="project_link",
    ),
    path(
        "workspace/projects/<int:project_id>/close/",
        assisted.project_close,
        name="project_close",
    ),
]
