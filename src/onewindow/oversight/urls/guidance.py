"""Oversight URLs: guidance (R-HALL-9) and the centers' public complaint channels (§18)."""

from django.urls import path

from onewindow.oversight.views import guidance as v

urlpatterns = [
    path("guidance/", v.desk, name="guidance_desk"),
    path("guidance/record/", v.record, name="guidance_record"),
    path("guidance/figures/", v.figures, name="guidance_figures"),
    path("guidance/complaint-channels/", v.channels_edit, name="complaint_channels_edit"),
    path("complaint-channels/", v.channels_index, name="complaint_channels_index"),
    path("complaint-channels/<str:code>/", v.channels, name="complaint_channels"),
]
