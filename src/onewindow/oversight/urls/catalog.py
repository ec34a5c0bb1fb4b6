"""Oversight URLs: the catalog's reports (entry rate R-CAT-3, compression R-CAT-8)."""

from django.urls import path

from onewindow.oversight.views import catalog

urlpatterns = [
    path("workspace/catalog/entry-rate/", catalog.entry_rate_page, name="entry_rate"),
    path("workspace/catalog/compression/", catalog.compression_page, name="compression"),
]
