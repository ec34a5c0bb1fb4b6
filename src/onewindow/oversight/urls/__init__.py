"""The management pages (statistics, rankings, exports) under the ``oversight:``
namespace."""

from onewindow.oversight.urls import cases, catalog, complaints, evaluation, hall

app_name = "oversight"

urlpatterns = [
    *catalog.urlpatterns,
    *hall.urlpatterns,
    *cases.urlpatterns,
    *evaluation.urlpatterns,
    *complaints.urlpatterns,
]
