"""Oversight URLs: the staff pages and their writes (R-STAFF-1, R-STAFF-2, R-STAFF-4)."""

from django.urls import path

from onewindow.oversight.views import staff, staff_forms

urlpatterns = [
    path("staff/", staff.roster, name="staff_roster"),
    path("staff/attendance/", staff.attendance, name="staff_attendance"),
    path("staff/conduct/", staff.conduct, name="staff_conduct"),
    path("staff/recruitment/", staff.recruitment, name="staff_recruitment"),
    path("staff/recruitment/add/", staff_forms.recruitment_add, name="staff_recruitment_add"),
    path("staff/<int:profile_id>/", staff.person, name="staff_person"),
    path("staff/<int:profile_id>/record/", staff_forms.record_set, name="staff_record_set"),
    path("staff/<int:profile_id>/training/", staff_forms.training_add, name="staff_training_add"),
    path("staff/<int:profile_id>/contract/", staff_forms.contract_add, name="staff_contract_add"),
    path("staff/<int:profile_id>/declare/", staff_forms.declare, name="staff_declare"),
    path("staff/<int:profile_id>/confirm/", staff_forms.confirm, name="staff_confirm"),
    path("staff/<int:profile_id>/change/", staff_forms.change_file, name="staff_change_file"),
    path(
        "staff/<int:profile_id>/secondment/",
        staff_forms.secondment_file,
        name="staff_secondment_file",
    ),
    path("staff/<int:profile_id>/spot-check/", staff_forms.spot_check_add, name="staff_spot_check"),
    path(
        "staff/changes/<int:change_id>/decide/",
        staff_forms.change_decide,
        name="staff_change_decide",
    ),
    path(
        "staff/secondments/<int:secondment_id>/decide/",
        staff_forms.secondment_decide,
        name="staff_secondment_decide",
    ),
    path(
        "staff/spot-checks/<int:check_id>/photo/", staff.spot_check_photo, name="staff_spot_photo"
    ),
]
