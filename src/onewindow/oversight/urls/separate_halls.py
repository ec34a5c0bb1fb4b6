"""Oversight URLs: the register of departments' separate halls (只进一扇门)."""

from django.urls import path

from onewindow.oversight.views import separate_halls as v

urlpatterns = [
    path("separate-halls/", v.register, name="separate_halls"),
    path("separate-halls/new/", v.hall_new, name="separate_hall_new"),
    path("separate-halls/<int:hall_id>/", v.hall_edit, name="separate_hall_edit"),
]
