"""The staffing services (every write): stationed staff and postings, the center's own
teams, training and clearance, conduct spot checks."""

from onewindow.staffing.services.conduct import spot_check_record
from onewindow.staffing.services.records import (
    posting_change_decide,
    posting_change_file,
    secondment_decide,
    secondment_file,
    staff_confirm_no_other_work,
    staff_declare_no_other_work,
    staff_record_set,
)
from onewindow.staffing.services.teams import recruitment_record, staff_contract_record
from onewindow.staffing.services.training import training_record

__all__ = [
    "posting_change_decide",
    "posting_change_file",
    "recruitment_record",
    "secondment_decide",
    "secondment_file",
    "spot_check_record",
    "staff_confirm_no_other_work",
    "staff_contract_record",
    "staff_declare_no_other_work",
    "staff_record_set",
    "training_record",
]
