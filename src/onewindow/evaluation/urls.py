from django.urls import path

from onewindow.evaluation import views as v
from onewindow.evaluation import views_terminal

app_name = "evaluation"

urlpatterns = [
    path("evaluation/pad/<int:window_id>/", v.pad, name="pad"),
    path("evaluation/pad/<int:window_id>/feed.json", v.pad_feed, name="pad_feed"),
    path("evaluation/t/<str:token>/", v.by_token, name="by_token"),
    path("evaluation/r/<str:token>/", v.reviewer, name="reviewer"),
    path("evaluation/review/", v.unsolicited, name="unsolicited"),
    # the self-service terminal's review, under the terminal's own address
    path(
        "hall/terminal/<int:center_id>/review/",
        views_terminal.terminal_review,
        name="terminal_review",
    ),
    path("evaluation/public/", v.public, name="public"),
    path("evaluation/rectifications/", v.rectification_list, name="rectifications"),
    path("evaluation/rectifications/<int:rect_id>/", v.rectification_detail, name="rectification"),
    path("evaluation/rectifications/<int:rect_id>/appeal/", v.appeal_file, name="appeal_file"),
    path(
        "evaluation/rectifications/<int:rect_id>/<slug:action>/",
        v.rectification_action,
        name="rectification_action",
    ),
    path("evaluation/appeals/<int:appeal_id>/decide/", v.appeal_decide, name="appeal_decide"),
    path("evaluation/appeals/<int:appeal_id>/evidence/", v.appeal_evidence, name="appeal_evidence"),
    path("evaluation/reviews/", v.review_list, name="reviews"),
    path("evaluation/spot-check/", v.spot_check, name="spot_check"),
    path("evaluation/pads/", v.pads, name="pads"),
    path("evaluation/stats/", v.stats, name="stats"),
    path("evaluation/stats/export/", v.stats_export, name="stats_export"),
]
