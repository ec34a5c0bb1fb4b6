"""The API at /api/v1/ (Django Ninja), composed: the apps' routers under one NinjaAPI.
OpenAPI at /api/v1/openapi.json. The shared parts (auth, the caller's scope, the error
shape) live in ``core/api.py``."""

from __future__ import annotations

from onewindow.cases.api import router as cases_router
from onewindow.cases.api_assisted import router as assisted_router
from onewindow.cases.api_backups import router as backups_router
from onewindow.cases.api_bundles import router as bundles_router
from onewindow.cases.api_files import router as case_files_router
from onewindow.cases.api_online import router as online_router
from onewindow.cases.api_supervision import router as case_supervision_router
from onewindow.catalog.api import router as catalog_router
from onewindow.catalog.api_entrustments import router as entrustments_router
from onewindow.catalog.api_excel import router as catalog_excel_router
from onewindow.catalog.api_staff import router as catalog_staff_router
from onewindow.complaints.api import router as complaints_router
from onewindow.complaints.api_inquiries import router as consultations_router
from onewindow.complaints.api_steps import router as complaint_steps_router
from onewindow.core.api import AUTH, OneWindowAPI, install_error_handlers
from onewindow.evaluation.api import router as evaluation_router
from onewindow.evaluation.api_appeal_files import router as appeal_files_router
from onewindow.evaluation.api_appeals import router as appeals_router
from onewindow.evaluation.api_spot_checks import router as spot_checks_router
from onewindow.hall.api import router as hall_router
from onewindow.hall.api_home_visits import router as home_visits_router
from onewindow.hall.api_hours import router as hall_hours_router
from onewindow.hall.api_setup import router as hall_setup_api_router
from onewindow.licences.api import router as licences_router
from onewindow.messaging.api import router as messaging_router
from onewindow.org.api import router as org_router
from onewindow.org.api_calendar import router as calendar_router
from onewindow.oversight.api_board import router as board_router
from onewindow.oversight.api_channels import router as complaint_channels_router
from onewindow.oversight.api_duty import router as duty_router
from onewindow.oversight.api_duty_writes import router as duty_writes_router
from onewindow.oversight.api_hall_care import router as hall_care_router
from onewindow.oversight.api_levels import router as levels_router
from onewindow.oversight.api_planning import router as planning_router
from onewindow.oversight.api_review_stats import router as review_stats_router
from onewindow.oversight.api_scores import router as staff_scores_router
from onewindow.oversight.api_separate_halls import router as separate_halls_router
from onewindow.oversight.api_setup import hall_router as hall_setup_router
from onewindow.oversight.api_setup import statistics_router as statistics_setup_router
from onewindow.oversight.api_staff import router as staff_router
from onewindow.oversight.api_staff_writes import router as staff_writes_router
from onewindow.oversight.api_statistics import router as statistics_router
from onewindow.portal.api import router as citizen_router
from onewindow.portal.api_documents import router as citizen_documents_router
from onewindow.portal.api_messages import router as citizen_messages_router

api = OneWindowAPI(
    title="一窗通 OneWindow API",
    version="1",
    description="临夏州政务服务中心网络的接口。错误统一为 {code, message, fields}。",
    urls_namespace="api",
    auth=AUTH,
)
install_error_handlers(api)

api.add_router("/org/", org_router)
api.add_router("/calendar/", calendar_router)
api.add_router("/catalog/", catalog_router)
api.add_router("/catalog/", catalog_staff_router)
api.add_router("/catalog/", entrustments_router)
api.add_router("/catalog/", catalog_excel_router)
api.add_router("/hall/", hall_router)
api.add_router("/hall/", home_visits_router)
api.add_router("/hall/", hall_setup_api_router)
api.add_router("/hall/", hall_hours_router)
# Before the cases' own router: its "/{case_id}" would take "/bundles" and the like.
api.add_router("/cases/", online_router)
api.add_router("/cases/", bundles_router)
api.add_router("/cases/", assisted_router)
api.add_router("/cases/", backups_router)
api.add_router("/cases/", case_files_router)
api.add_router("/cases/", cases_router)
api.add_router("/cases/", case_supervision_router)
api.add_router("/evaluation/", evaluation_router)
api.add_router("/evaluation/", appeals_router)
api.add_router("/evaluation/", appeal_files_router)
api.add_router("/evaluation/", spot_checks_router)
api.add_router("/complaints/", complaints_router)
api.add_router("/complaints/", complaint_steps_router)
api.add_router("/licences/", licences_router)
api.add_router("/messages/", messaging_router)
api.add_router("/consultations/", consultations_router)
api.add_router("/citizen/", citizen_router)
api.add_router("/citizen/", citizen_messages_router)
api.add_router("/citizen/", citizen_documents_router)
api.add_router("/staff/", staff_router)
api.add_router("/staff/", staff_writes_router)
api.add_router("/staff/", staff_scores_router)
api.add_router("/statistics/", statistics_router)
api.add_router("/duty/", duty_router)
api.add_router("/duty/", duty_writes_router)
api.add_router("/hall/", hall_care_router)
api.add_router("/hall/", hall_setup_router)
api.add_router("/hall/", complaint_channels_router)
api.add_router("/hall/", planning_router)
api.add_router("/statistics/", statistics_setup_router)
api.add_router("/statistics/", review_stats_router)
api.add_router("/oversight/", board_router)
api.add_router("/oversight/", levels_router)
api.add_router("/oversight/", separate_halls_router)
