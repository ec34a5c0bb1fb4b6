"""The center administrator's appointment pages (R-HALL-6): slots, bookings, home visits."""

from django.urls import path

from onewindow.hall.views import appointments as v

urlpatterns = [
    path("staff/appointments/", v.staff_home, name="appointments_staff_home"),
    path("staff/appointments/<int:center_id>/", v.staff_day, name="appointments_staff"),
    path("staff/home-visits/<int:center_id>/", v.staff_home_visits, name="home_visits_staff"),
]
