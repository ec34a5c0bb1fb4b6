"""Oversight URLs: window planning and its live suggestion (R-HALL-4)."""

from django.urls import path

from onewindow.oversight.views import planning

urlpatterns = [
    path("hall/planning/", planning.page, name="planning"),
    path("hall/planning/apply/", planning.apply, name="planning_apply"),
    path("hall/planning/roster/", planning.roster, name="planning_roster"),
]
