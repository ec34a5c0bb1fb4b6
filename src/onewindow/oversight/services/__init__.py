"""Oversight's writes, by topic: assessment thresholds, leader duty, the hall's
facilities and free services, guidance and the published complaint channels; this face
re-exports the public services."""

from onewindow.oversight.services.accountability import abuse_finding_record
from onewindow.oversight.services.assessment import threshold_set
from onewindow.oversight.services.duty import (
    county_duty_set,
    desk_center,
    desk_token,
    duty_post_add,
    duty_post_remove,
    duty_problem_close,
    duty_problem_record,
    duty_sign_at_desk,
    duty_sign_by_qr,
    duty_sitting_close,
    process_walk_record,
)
from onewindow.oversight.services.facilities import (
    facility_add,
    facility_check_record,
    facility_fault_fix,
    facility_fault_report,
    free_service_add,
    hall_zone_add,
)
from onewindow.oversight.services.guidance import (
    CHANNEL_FIELDS,
    complaint_channels_update,
    guidance_record,
)
from onewindow.oversight.services.levels import level_weights_set, red_black_publish
from onewindow.oversight.services.separate_halls import (
    separate_hall_close,
    separate_hall_record,
    separate_hall_update,
)
from onewindow.oversight.services.snapshots import catalog_snapshot_take
from onewindow.oversight.services.staff_scores import (
    publish_month,
    score_settings_set,
    year_grades_decide,
)

__all__ = [
    "catalog_snapshot_take",
    "CHANNEL_FIELDS",
    "complaint_channels_update",
    "county_duty_set",
    "desk_center",
    "desk_token",
    "duty_post_add",
    "duty_post_remove",
    "duty_problem_close",
    "duty_problem_record",
    "duty_sign_at_desk",
    "duty_sign_by_qr",
    "duty_sitting_close",
    "facility_add",
    "facility_check_record",
    "facility_fault_fix",
    "facility_fault_report",
    "free_service_add",
    "guidance_record",
    "hall_zone_add",
    "level_weights_set",
    "process_walk_record",
    "publish_month",
    "score_settings_set",
    "year_grades_decide",
    "abuse_finding_record",
    "red_black_publish",
    "separate_hall_close",
    "separate_hall_record",
    "separate_hall_update",
    "threshold_set",
]
