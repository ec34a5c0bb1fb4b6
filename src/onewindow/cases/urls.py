from django.urls import path

from onewindow.cases import views

app_name = "cases"

urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("progress/t/<str:token>/", views.progress_token, name="progress_token"),
    path("workspace/cases/<int:case_id>/notice/<slug:kind>.pdf", views.notice, name="notice"),
]
