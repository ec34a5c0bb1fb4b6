"""The management pages (statistics, rankings, exports) under the ``oversight:``
namespace."""

from onewindow.oversight.urls import catalog, complaints, evaluation, hall, staff

app_name = "oversight"

urlpatterns = [
    *catalog.urlpatterns,
    *hall.urlpatterns,
    *evaluation.urlpatterns,
    *complaints.urlpatterns,
    *staff.urlpatterns,
]
