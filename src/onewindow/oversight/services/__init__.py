"""Oversight's writes, by topic: assessment thresholds, leader duty, the hall's
facilities and free services, guidance and the published complaint channels; this face
re-exports the public services."""

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
from onewindow.oversight.services.separate_halls import (
    separate_hall_close,
    separate_hall_record,
    separate_hall_update,
)

__all__ = [
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
    "process_walk_record",
    "separate_hall_close",
    "separate_hall_record",
    "separate_hall_update",
    "threshold_set",
]
