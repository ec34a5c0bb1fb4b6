"""Oversight URLs: leader duty (R-SUP-1, R-SUP-3)."""

from django.urls import path

from onewindow.oversight.views import duty as v

urlpatterns = [
    path("duty/", v.mine, name="duty_mine"),
    path("duty/sign/<str:token>/", v.sign, name="duty_sign"),
    path("duty/problem/", v.problem_record, name="duty_problem_record"),
    path("duty/walk/", v.walk_record, name="duty_walk_record"),
    path("duty/roster/", v.roster, name="duty_roster"),
    path("duty/roster/add/", v.roster_add, name="duty_roster_add"),
    path("duty/roster/<int:post_id>/remove/", v.roster_remove, name="duty_roster_remove"),
    path("duty/roster/<int:post_id>/sign/", v.desk_sign, name="duty_desk_sign"),
    path("duty/sittings/<int:sitting_id>/close/", v.sitting_close, name="duty_sitting_close"),
    path("duty/county/", v.county_set, name="duty_county_set"),
    path("duty/desk/<int:center_id>/", v.desk, name="duty_desk"),
    path("duty/problems/", v.problems, name="duty_problems"),
    path("duty/problems/<int:problem_id>/close/", v.problem_close, name="duty_problem_close"),
    path("duty/compliance/", v.compliance, name="duty_compliance"),
]
