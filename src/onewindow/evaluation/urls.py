"""The evaluation's workspace pages (the citizen's pages are under ``portal:``, the
statistics under ``oversight:``)."""

from django.urls import path

from onewindow.evaluation.views import rectifications as r
from onewindow.evaluation.views import reviews as v

app_name = "evaluation"

urlpatterns = [
    path("evaluation/rectifications/", r.rectification_list, name="rectifications"),
    path("evaluation/rectifications/<int:rect_id>/", r.rectification_detail, name="rectification"),
    path("evaluation/rectifications/<int:rect_id>/appeal/", r.appeal_file, name="appeal_file"),
    path(
        "evaluation/rectifications/<int:rect_id>/<slug:action>/",
        r.rectification_action,
        name="rectification_action",
    ),
    path("evaluation/appeals/<int:appeal_id>/decide/", r.appeal_decide, name="appeal_decide"),
    path("evaluation/appeals/<int:appeal_id>/evidence/", r.appeal_evidence, name="appeal_evidence"),
    path("evaluation/reviews/", v.review_list, name="reviews"),
    path("evaluation/spot-check/", v.spot_check, name="spot_check"),
    path("evaluation/pads/", v.pads, name="pads"),
]
