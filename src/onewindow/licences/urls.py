from django.urls import path

from onewindow.licences import views

app_name = "licences"

urlpatterns = [
    path("workspace/cases/<int:case_id>/licences/", views.case_licences, name="case"),
    path("workspace/cases/<int:case_id>/licences/issue/", views.issue, name="issue"),
    path("workspace/licences/<int:licence_id>/revoke/", views.revoke, name="revoke"),
    path("workspace/licences/<int:licence_id>/pdf/", views.licence_pdf, name="pdf"),
    path("workspace/visits/", views.visit_stats, name="visits"),
]
