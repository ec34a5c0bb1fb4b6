"""Catalog URLs: the public search (urls_search) and the guide, bundle and staff pages
(urls_pages)."""

from django.urls import include, path

app_name = "catalog"

urlpatterns = [
    path("", include("onewindow.catalog.urls_search")),
    path("", include("onewindow.catalog.urls_pages")),
    path("", include("onewindow.catalog.urls_excel")),
]
