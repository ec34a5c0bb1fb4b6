"""The complaints' staff pages and Open311 (the public pages are under ``portal:``, the
hot topics under ``oversight:``)."""

from django.urls import path

from onewindow.complaints import open311
from onewindow.complaints.views import hotline, inquiries, staff

app_name = "complaints"

urlpatterns = [
    path("complaints/staff/", staff.complaint_list, name="staff_list"),
    path("complaints/staff/new/", staff.complaint_new, name="staff_new"),
    path("complaints/staff/<int:complaint_id>/", staff.complaint_detail, name="staff_detail"),
    path("complaints/staff/hotline/", hotline.hotline_page, name="hotline"),
    path("complaints/staff/hotline/template/", hotline.hotline_template, name="hotline_template"),
    path("complaints/staff/hotline/export/", hotline.hotline_export, name="hotline_export"),
    path("complaints/inquiries/", inquiries.inquiry_list, name="inquiries"),
    path("complaints/inquiries/<int:inquiry_id>/", inquiries.inquiry_detail, name="inquiry_detail"),
    # Open311 GeoReport v2
    path("open311/v2/services.json", open311.services_list, name="open311_services"),
    path("open311/v2/requests.json", open311.requests_view, name="open311_requests"),
    path("open311/v2/requests/<str:number>.json", open311.request_detail, name="open311_request"),
]
