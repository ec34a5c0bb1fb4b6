"""Appointment and home-visit pages (R-HALL-6): public booking, cancel, check-in and
home-visit requests; the center administrator's slots, bookings and home visits."""

from django.urls import path

from onewindow.hall import views_appointments as v

urlpatterns = [
    path("book/", v.book, name="book"),
    path("book/done/<str:code>/", v.booking_done, name="booking_done"),
    path("book/cancel/", v.booking_cancel, name="booking_cancel"),
    path("checkin/", v.checkin, name="checkin"),
    path("home-visit/", v.home_visit_request, name="home_visit_request"),
    path("staff/appointments/", v.staff_home, name="appointments_staff_home"),
    path("staff/appointments/<int:center_id>/", v.staff_day, name="appointments_staff"),
    path("staff/home-visits/<int:center_id>/", v.staff_home_visits, name="home_visits_staff"),
]
