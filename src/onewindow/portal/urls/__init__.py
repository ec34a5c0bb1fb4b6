"""Every page a citizen sees without signing in, under the ``portal:`` namespace; the
paths are the ones citizens have bookmarked and printed (``/matters/…``,
``/hall/terminal/<center>/…``)."""

from django.urls import path

from onewindow.portal.urls import (
    account,
    cases,
    catalog,
    complaints,
    evaluation,
    hall,
    licences,
)
from onewindow.portal.views import elder

app_name = "portal"

urlpatterns = [
    *catalog.urlpatterns,
    *hall.urlpatterns,
    *cases.urlpatterns,
    *evaluation.urlpatterns,
    *complaints.urlpatterns,
    *account.urlpatterns,
    *licences.urlpatterns,
    path("elder/", elder.elder_switch, name="elder_switch"),
]
