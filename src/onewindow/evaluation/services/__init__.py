"""Every write of the evaluation (好差评), by topic: ``reviews`` (filing a review from the
window's pad, a QR code, the progress page, the public page, the terminal; a
supervisor's spot check), ``rectification`` (a bad review's rectification step by step),
``appeals`` (the department's appeal and the center's decision), ``setup`` (pads and the
center's limits), ``guards`` (nobody reviews on the citizen's behalf).

One transaction each; rows are locked before their state is checked; every step is
audited. This face re-exports the public services so callers keep
``from onewindow.evaluation import services``.
"""

from onewindow.evaluation.services.appeals import appeal_decide, appeal_file
from onewindow.evaluation.services.guards import is_staff_session, require_citizen
from onewindow.evaluation.services.rectification import (
    open_rectification,
    rectification_flag_overdue,
    rectification_reviewer_answer,
    rectification_step,
)
from onewindow.evaluation.services.reviews import (
    form_for_case,
    form_for_general,
    form_for_spot_check,
    form_for_visit,
    review_case,
    review_from_pad,
    review_spot_check,
    review_unsolicited,
    review_visit,
)
from onewindow.evaluation.services.setup import limits_set, pad_pair

__all__ = [
    "appeal_decide",
    "appeal_file",
    "form_for_case",
    "form_for_general",
    "form_for_spot_check",
    "form_for_visit",
    "is_staff_session",
    "limits_set",
    "open_rectification",
    "pad_pair",
    "rectification_flag_overdue",
    "rectification_reviewer_answer",
    "rectification_step",
    "require_citizen",
    "review_case",
    "review_from_pad",
    "review_spot_check",
    "review_unsolicited",
    "review_visit",
]
