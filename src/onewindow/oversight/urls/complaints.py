"""Oversight URLs: the complaints' hot topics."""

from django.urls import path

from onewindow.oversight.views import complaints as v

urlpatterns: list = [
    path("complaints/staff/hot/", v.hot_topics, name="complaint_hot_topics"),
]
