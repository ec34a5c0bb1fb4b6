from django.urls import path

from onewindow.catalog import views_public

urlpatterns = [
    path("matters/<int:matter_id>/", views_public.matter_detail, name="matter_detail"),
    path("bundles/<slug:code>/", views_public.bundle_detail, name="bundle_detail"),
]
