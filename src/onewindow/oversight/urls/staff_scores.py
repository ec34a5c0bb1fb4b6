"""Oversight URLs: the staff scores, 服务之星 and 红旗窗口, the year's grades (R-STAFF-3)."""

from django.urls import path

from onewindow.oversight.views import staff_scores

urlpatterns: list = [
    path("staffing/scores/", staff_scores.scores, name="staff_scores"),
    path("staffing/scores/mine/", staff_scores.my_score, name="my_score"),
    path("staffing/scores/settings/", staff_scores.settings_page, name="staff_score_settings"),
    path("staffing/scores/publish/", staff_scores.publish, name="staff_scores_publish"),
    path("staffing/scores/grades/", staff_scores.grades, name="staff_grades"),
]
