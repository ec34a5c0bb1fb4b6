"""The staff's case pages under ``cases:`` (the citizen's are the portal's,
``portal/urls/cases.py``), one module per topic."""

from onewindow.cases.urls import assisted, bundles, files, online, pledges, staff, supervision

app_name = "cases"

urlpatterns = [
    *staff.urlpatterns,
    *online.urlpatterns,
    *files.urlpatterns,
    *supervision.urlpatterns,
    *pledges.urlpatterns,
    *bundles.urlpatterns,
    *assisted.urlpatterns,
]
