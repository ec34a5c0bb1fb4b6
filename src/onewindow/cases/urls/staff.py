from django.urls import path

from onewindow.cases.views import notices, staff

urlpatterns = [
    path("workspace/cases/<int:case_id>/notice/<slug:kind>.pdf", notices.notice, name="notice"),
    path("workspace/cases/", staff.case_list, name="case_list"),
    path("workspace/cases/new/", staff.case_intake, name="case_intake"),
    path("workspace/cases/<int:case_id>/", staff.case_detail, name="case_detail"),
]
