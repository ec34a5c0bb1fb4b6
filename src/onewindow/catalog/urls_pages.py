from django.urls import path

from onewindow.catalog import views_editor, views_public, views_staff

urlpatterns = [
    # public (no login)
    path("matters/<int:matter_id>/", views_public.matter_detail, name="matter_detail"),
    path("bundles/", views_public.bundle_list, name="bundle_list"),
    path("bundles/<slug:code>/", views_public.bundle_detail, name="bundle_detail"),
    # staff
    path("workspace/catalog/", views_staff.home, name="staff_home"),
    path(
        "workspace/catalog/matters/<int:matter_id>/", views_staff.matter_staff, name="staff_matter"
    ),
    path(
        "workspace/catalog/matters/<int:matter_id>/draft/", views_editor.draft_new, name="draft_new"
    ),
    path(
        "workspace/catalog/versions/<int:version_id>/",
        views_editor.version_preview,
        name="version_preview",
    ),
    path(
        "workspace/catalog/versions/<int:version_id>/edit/",
        views_editor.draft_edit,
        name="draft_edit",
    ),
    path("workspace/catalog/reviews/", views_staff.review_queue, name="review_queue"),
    path(
        "workspace/catalog/reviews/<int:change_id>/",
        views_staff.review_detail,
        name="review_detail",
    ),
    path("workspace/catalog/listings/", views_staff.listing_list, name="listing_list"),
    path("workspace/catalog/listings/enter/", views_staff.listing_enter, name="listing_enter"),
    path(
        "workspace/catalog/listings/<int:listing_id>/request/",
        views_staff.listing_request,
        name="listing_request",
    ),
    path("workspace/catalog/requests/", views_staff.request_list, name="request_list"),
    path(
        "workspace/catalog/requests/<int:request_id>/",
        views_staff.request_detail,
        name="request_detail",
    ),
]
