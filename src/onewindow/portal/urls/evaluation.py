"""Portal URLs: the evaluation's pages a citizen sees without signing in (the pad, the
review by QR code or progress page, the reviewer's link, the public review and
ranking, the terminal's review under the terminal's own address)."""

from django.urls import path

from onewindow.portal.views import evaluation as v

urlpatterns: list = [
    path("evaluation/pad/<int:window_id>/", v.pad, name="review_pad"),
    path("evaluation/pad/<int:window_id>/feed.json", v.pad_feed, name="review_pad_feed"),
    path("evaluation/t/<str:token>/", v.by_token, name="review_by_token"),
    path("evaluation/r/<str:token>/", v.reviewer, name="reviewer"),
    path("evaluation/review/", v.unsolicited, name="unsolicited"),
    path("hall/terminal/<int:center_id>/review/", v.terminal_review, name="terminal_review"),
    path("evaluation/public/", v.public, name="review_ranking"),
]
