from django.urls import path

from onewindow.cases import views_online

urlpatterns = [
    path("apply/", views_online.apply_list, name="apply_list"),
    path("apply/<int:listing_id>/", views_online.apply_new, name="apply_new"),
    path("apply/t/<str:token>/", views_online.apply_token, name="apply_token"),
    path("apply/t/<str:token>/upload/", views_online.apply_upload, name="apply_upload"),
    path("apply/t/<str:token>/withdraw/", views_online.apply_withdraw, name="apply_withdraw"),
    path("workspace/prereview/", views_online.prereview_queue, name="prereview_queue"),
    path(
        "workspace/cases/<int:case_id>/prereview/pass/",
        views_online.prereview_pass,
        name="prereview_pass",
    ),
    path(
        "workspace/cases/<int:case_id>/prereview/return/",
        views_online.prereview_return,
        name="prereview_return",
    ),
]
