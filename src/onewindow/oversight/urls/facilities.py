"""Oversight URLs: the hall's facilities and free services (R-HALL-8)."""

from django.urls import path

from onewindow.oversight.views import facilities as v

urlpatterns = [
    path("facilities/", v.home, name="facilities"),
    path("facilities/check/", v.check_record, name="facility_check"),
    path("facilities/faults/", v.fault_report, name="facility_fault_report"),
    path("facilities/faults/<int:fault_id>/fix/", v.fault_fix, name="facility_fault_fix"),
    path("facilities/zones/", v.zone_add, name="facility_zone_add"),
    path("facilities/add/", v.facility_add, name="facility_add"),
    path("facilities/free-services/", v.free_services, name="free_services"),
    path("facilities/free-services/add/", v.free_add, name="free_service_add"),
]
