"""The management pages (statistics, rankings, exports) under the ``oversight:``
namespace."""

from onewindow.oversight.urls import (
    catalog,
    complaints,
    duty,
    evaluation,
    facilities,
    guidance,
    hall,
)

app_name = "oversight"

urlpatterns = [
    *catalog.urlpatterns,
    *hall.urlpatterns,
    *evaluation.urlpatterns,
    *complaints.urlpatterns,
    *duty.urlpatterns,
    *facilities.urlpatterns,
    *guidance.urlpatterns,
]
