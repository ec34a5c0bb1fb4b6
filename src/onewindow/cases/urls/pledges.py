from django.urls import path

from onewindow.cases.views import pledges

urlpatterns = [
    path("workspace/pledge-checks/", pledges.pledge_queue, name="pledge_queue"),
    path(
        "workspace/pledge-checks/<int:check_id>/",
        pledges.pledge_check_detail,
        name="pledge_check",
    ),
    path(
        "workspace/pledge-checks/<int:check_id>/record/",
        pledges.pledge_check_record,
        name="pledge_check_record",
    ),
    path("workspace/false-pledges/", pledges.false_pledges, name="false_pledges"),
]
