"""Oversight URLs: the assessment of lower levels and the red and black list (R-SUP-3)."""

from django.urls import path

from onewindow.oversight.views import levels as v

urlpatterns = [
    path("levels/", v.levels_page, name="levels"),
    path("levels/unit/<int:unit_id>/", v.levels_unit, name="levels_unit"),
    path("levels/year/", v.levels_year, name="levels_year"),
    path("levels/weights/", v.levels_weights, name="levels_weights"),
    path("levels/publish/", v.levels_publish, name="levels_publish"),
    path("red-black-list/", v.red_black_public, name="red_black_list"),
]
