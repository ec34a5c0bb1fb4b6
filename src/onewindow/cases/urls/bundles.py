from django.urls import path

from onewindow.cases.views import bundles

urlpatterns = [
    path("workspace/bundles/", bundles.bundle_list, name="bundle_list"),
    path("workspace/bundles/new/", bundles.bundle_intake, name="bundle_intake"),
    path("workspace/bundles/<int:app_id>/", bundles.bundle_detail, name="bundle_detail"),
    path(
        "workspace/bundles/<int:app_id>/accept/",
        bundles.bundle_accept,
        name="bundle_accept",
    ),
    path(
        "workspace/bundles/<int:app_id>/correction/",
        bundles.bundle_correction,
        name="bundle_correction",
    ),
    path("workspace/bundles/<int:app_id>/reply/", bundles.bundle_reply, name="bundle_reply"),
    path(
        "workspace/bundles/<int:app_id>/deliver/",
        bundles.bundle_deliver,
        name="bundle_deliver",
    ),
]
