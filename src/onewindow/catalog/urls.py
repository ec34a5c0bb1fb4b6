"""The catalog's staff pages (``catalog:``): matters, guide drafts, process-change
reviews, listings and change requests, Excel import and export. The public guide,
bundle and search pages are the portal's (``portal/urls/catalog.py``)."""

from django.urls import path

from onewindow.catalog.views import editor, entrustments, excel, listings, staff

app_name = "catalog"

urlpatterns = [
    path("workspace/catalog/", staff.home, name="staff_home"),
    path("workspace/catalog/matters/<int:matter_id>/", staff.matter_staff, name="staff_matter"),
    # entrusted matters (委托事项)
    path(
        "workspace/catalog/matters/<int:matter_id>/entrust/",
        entrustments.entrustment_new,
        name="entrustment_new",
    ),
    path(
        "workspace/catalog/entrustments/<int:entrustment_id>/revoke/",
        entrustments.entrustment_revoke,
        name="entrustment_revoke",
    ),
    # guide drafts
    path("workspace/catalog/matters/<int:matter_id>/draft/", editor.draft_new, name="draft_new"),
    path(
        "workspace/catalog/versions/<int:version_id>/",
        editor.version_preview,
        name="version_preview",
    ),
    path("workspace/catalog/versions/<int:version_id>/edit/", editor.draft_edit, name="draft_edit"),
    # process-change reviews
    path("workspace/catalog/reviews/", staff.review_queue, name="review_queue"),
    path("workspace/catalog/reviews/<int:change_id>/", staff.review_detail, name="review_detail"),
    # listings and change requests
    path("workspace/catalog/listings/", listings.listing_list, name="listing_list"),
    path("workspace/catalog/listings/enter/", listings.listing_enter, name="listing_enter"),
    path(
        "workspace/catalog/listings/<int:listing_id>/request/",
        listings.listing_request,
        name="listing_request",
    ),
    path("workspace/catalog/requests/", staff.request_list, name="request_list"),
    path(
        "workspace/catalog/requests/<int:request_id>/",
        staff.request_detail,
        name="request_detail",
    ),
    # Excel import and export
    path("workspace/catalog/excel/", excel.excel_import, name="excel_import"),
    path("workspace/catalog/excel/apply/", excel.excel_apply, name="excel_apply"),
    path("workspace/catalog/excel/jobs/<str:job_id>/", excel.excel_job, name="excel_job"),
    path(
        "workspace/catalog/excel/jobs/<str:job_id>/status/",
        excel.excel_job_status,
        name="excel_job_status",
    ),
    path("workspace/catalog/excel/export/", excel.excel_export, name="excel_export"),
    path("workspace/catalog/excel/template/", excel.excel_template, name="excel_template"),
]
