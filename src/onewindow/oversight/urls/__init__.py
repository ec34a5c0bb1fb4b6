"""The management pages (statistics, rankings, exports) under the ``oversight:``
namespace."""

from onewindow.oversight.urls import catalog, complaints, evaluation, hall, planning

app_name = "oversight"

urlpatterns = [
    *catalog.urlpatterns,
    *hall.urlpatterns,
    *planning.urlpatterns,
    *evaluation.urlpatterns,
    *complaints.urlpatterns,
]
