"""Oversight URLs: the accountability list (R-SUP-3) and the abuse findings."""

from django.urls import path

from onewindow.oversight.views import accountability

urlpatterns: list = [
    path("accountability/", accountability.accountability_page, name="accountability"),
    path("accountability/abuse/new/", accountability.abuse_new, name="abuse_new"),
]
