"""The management pages (statistics, rankings, exports) under the ``oversight:``
namespace."""

from onewindow.oversight.urls import catalog, complaints, dashboard, evaluation, hall, indicators

app_name = "oversight"

urlpatterns = [
    *catalog.urlpatterns,
    *hall.urlpatterns,
    *evaluation.urlpatterns,
    *complaints.urlpatterns,
    *indicators.urlpatterns,
    *dashboard.urlpatterns,
]
