from django.urls import path

from onewindow.cases import views_pledges

urlpatterns = [
    path("workspace/pledge-checks/", views_pledges.pledge_queue, name="pledge_queue"),
    path(
        "workspace/pledge-checks/<int:check_id>/",
        views_pledges.pledge_check_detail,
        name="pledge_check",
    ),
    path(
        "workspace/pledge-checks/<int:check_id>/record/",
        views_pledges.pledge_check_record,
        name="pledge_check_record",
    ),
    path("workspace/false-pledges/", views_pledges.false_pledges, name="false_pledges"),
]
