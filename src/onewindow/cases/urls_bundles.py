from django.urls import path

from onewindow.cases import views_bundles

urlpatterns = [
    path("workspace/bundles/", views_bundles.bundle_list, name="bundle_list"),
    path("workspace/bundles/new/", views_bundles.bundle_intake, name="bundle_intake"),
    path("workspace/bundles/<int:app_id>/", views_bundles.bundle_detail, name="bundle_detail"),
    path(
        "workspace/bundles/<int:app_id>/accept/",
        views_bundles.bundle_accept,
        name="bundle_accept",
    ),
    path(
        "workspace/bundles/<int:app_id>/correction/",
        views_bundles.bundle_correction,
        name="bundle_correction",
    ),
    path("workspace/bundles/<int:app_id>/reply/", views_bundles.bundle_reply, name="bundle_reply"),
    path(
        "workspace/bundles/<int:app_id>/deliver/",
        views_bundles.bundle_deliver,
        name="bundle_deliver",
    ),
]
