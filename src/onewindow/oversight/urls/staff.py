"""Oversight URLs: the staff pages and their writes (R-STAFF-1, R-STAFF-2, R-STAFF-4)."""

from django.urls import path

from onewindow.oversight.views import staff, staff_forms

urlpatterns = [
    path("staffing/", staff.roster, name="staff_roster"),
    path("staffing/attendance/", staff.attendance, name="staff_attendance"),
    path("staffing/conduct/", staff.conduct, name="staff_conduct"),
    path("staffing/recruitment/", staff.recruitment, name="staff_recruitment"),
    path("staffing/recruitment/add/", staff_forms.recruitment_add, name="staff_recruitment_add"),
    path("staffing/<int:profile_id>/", staff.person, name="staff_person"),
    path("staffing/<int:profile_id>/record/", staff_forms.record_set, name="staff_record_set"),
    path(
        "staffing/<int:profile_id>/training/", staff_forms.training_add, name="staff_training_add"
    ),
    path(
        "staffing/<int:profile_id>/contract/", staff_forms.contract_add, name="staff_contract_add"
    ),
    path("staffing/<int:profile_id>/declare/", staff_forms.declare, name="staff_declare"),
    path("staffing/<int:profile_id>/confirm/", staff_forms.confirm, name="staff_confirm"),
    path("staffing/<int:profile_id>/change/", staff_forms.change_file, name="staff_change_file"),
    path(
        "staffing/<int:profile_id>/secondment/",
        staff_forms.secondment_file,
        name="staff_secondment_file",
    ),
    path(
        "staffing/<int:profile_id>/spot-check/", staff_forms.spot_check_add, name="staff_spot_check"
    ),
    path(
        "staffing/changes/<int:change_id>/decide/",
        staff_forms.change_decide,
        name="staff_change_decide",
    ),
    path(
        "staffing/secondments/<int:secondment_id>/decide/",
        staff_forms.secondment_decide,
        name="staff_secondment_decide",
    ),
    path(
        "staffing/spot-checks/<int:check_id>/photo/",
        staff.spot_check_photo,
        name="staff_spot_photo",
    ),
]
