from django.urls import path

from onewindow.complaints import open311, views, views_public, views_terminal

app_name = "complaints"

urlpatterns = [
    # the public
    path("complaints/new/", views_public.complaint_file, name="file"),
    path("complaints/t/<str:token>/", views_public.complaint_track, name="track"),
    path("complaints/lookup/", views_public.complaint_lookup, name="lookup"),
    # the self-service terminal's form, under the terminal's own address
    path(
        "hall/terminal/<int:center_id>/complaint/",
        views_terminal.terminal_complaint,
        name="terminal_complaint",
    ),
    # staff
    path("complaints/staff/", views.complaint_list, name="staff_list"),
    path("complaints/staff/new/", views.complaint_new, name="staff_new"),
    path("complaints/staff/<int:complaint_id>/", views.complaint_detail, name="staff_detail"),
    path("complaints/staff/hotline/", views.hotline_page, name="hotline"),
    path("complaints/staff/hotline/template/", views.hotline_template, name="hotline_template"),
    path("complaints/staff/hotline/export/", views.hotline_export, name="hotline_export"),
    path("complaints/staff/hot/", views.hot_topics, name="hot_topics"),
    path("complaints/inquiries/", views.inquiry_list, name="inquiries"),
    path("complaints/inquiries/<int:inquiry_id>/", views.inquiry_detail, name="inquiry_detail"),
    # Open311 GeoReport v2
    path("open311/v2/services.json", open311.services_list, name="open311_services"),
    path("open311/v2/requests.json", open311.requests_view, name="open311_requests"),
    path("open311/v2/requests/<str:number>.json", open311.request_detail, name="open311_request"),
]
