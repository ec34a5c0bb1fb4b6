"""The management pages (statistics, rankings, exports) under the ``oversight:``
namespace."""

from onewindow.oversight.urls import (
    accountability,
    catalog,
    complaints,
    dashboard,
    duty,
    evaluation,
    facilities,
    guidance,
    hall,
    indicators,
    planning,
    separate_halls,
    staff,
)

app_name = "oversight"

urlpatterns = [
    *accountability.urlpatterns,
    *catalog.urlpatterns,
    *hall.urlpatterns,
    *planning.urlpatterns,
    *evaluation.urlpatterns,
    *complaints.urlpatterns,
    *indicators.urlpatterns,
    *dashboard.urlpatterns,
    *duty.urlpatterns,
    *facilities.urlpatterns,
    *guidance.urlpatterns,
    *staff.urlpatterns,
    *separate_halls.urlpatterns,
]
