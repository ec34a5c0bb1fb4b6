from django.urls import path

from onewindow.org import views

app_name = "org"

urlpatterns = [
    path("centers/", views.center_list, name="center_list"),
    path("centers/<int:center_id>/", views.center_detail, name="center_detail"),
    path("departments/<int:department_id>/", views.department_detail, name="department_detail"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:profile_id>/", views.staff_detail, name="staff_detail"),
]
