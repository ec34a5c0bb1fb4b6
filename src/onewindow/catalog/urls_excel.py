"""Excel import and export of the catalog (staff pages)."""

from django.urls import path

from onewindow.catalog import views_excel

urlpatterns = [
    path("workspace/catalog/excel/", views_excel.excel_import, name="excel_import"),
    path("workspace/catalog/excel/apply/", views_excel.excel_apply, name="excel_apply"),
    path("workspace/catalog/excel/jobs/<str:job_id>/", views_excel.excel_job, name="excel_job"),
    path(
        "workspace/catalog/excel/jobs/<str:job_id>/status/",
        views_excel.excel_job_status,
        name="excel_job_status",
    ),
    path("workspace/catalog/excel/export/", views_excel.excel_export, name="excel_export"),
    path("workspace/catalog/excel/template/", views_excel.excel_template, name="excel_template"),
]
