"""Oversight URLs: the accountability list (R-SUP-3)."""

from django.urls import path

from onewindow.oversight.views import accountability

urlpatterns: list = [
    path("accountability/", accountability.accountability_page, name="accountability"),
]
