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
    levels,
    planning,
    separate_halls,
    staff,
    staff_scores,
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
    *staff_scores.urlpatterns,
    *staff.urlpatterns,
    *levels.urlpatterns,
    *separate_halls.urlpatterns,
]
