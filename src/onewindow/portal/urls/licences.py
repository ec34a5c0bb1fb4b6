"""Portal URLs: the verification of an electronic licence and the applicant's copy."""

from django.urls import path

from onewindow.portal.views import licences

urlpatterns: list = [
    path("licence/verify/", licences.licence_verify, name="licence_verify"),
    path("licence/verify/<str:code>/", licences.licence_verify_code, name="licence_verify_code"),
    path(
        "progress/t/<str:token>/licences/<int:licence_id>/",
        licences.licence_download,
        name="licence_download",
    ),
]
