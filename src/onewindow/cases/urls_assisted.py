from django.urls import path

from onewindow.cases import views_assisted

urlpatterns = [
    path("workspace/projects/", views_assisted.project_list, name="project_list"),
    path("workspace/projects/new/", views_assisted.project_new, name="project_new"),
    path(
        "workspace/projects/<int:project_id>/",
        views_assisted.project_detail,
        name="project_detail",
    ),
    path(
        "workspace/projects/<int:project_id>/note/",
        views_assisted.project_note,
        name="project_note",
    ),
    path(
        "workspace/projects/<int:project_id>/link/",
        views_assisted.project_link,
        name="project_link",
    ),
    path(
        "workspace/projects/<int:project_id>/close/",
        views_assisted.project_close,
        name="project_close",
    ),
]
