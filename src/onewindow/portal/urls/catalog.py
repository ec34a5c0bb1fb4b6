"""Portal URLs: the catalog as citizens see it (the matter list with search, a matter's
guide, the "one thing" bundles)."""

from django.urls import path

from onewindow.portal.views import catalog

urlpatterns = [
    path("matters/", catalog.matter_list, name="matter_list"),
    path("matters/<int:matter_id>/", catalog.matter_detail, name="matter_detail"),
    path("bundles/", catalog.bundle_list, name="bundle_list"),
    path("bundles/<slug:code>/", catalog.bundle_detail, name="bundle_detail"),
]
