"""Every write to a complaint, by topic: ``registration`` on any channel, the
``center``'s dispatch, extension decision, revisit and close, the ``department``'s
return, extension request and answer, the ``complainant``'s feedback and reopening
(R-CPL-1); ``steps`` holds what they share; ``inquiries`` the consultations. One
transaction each; the complaint row is locked before its state is checked; every step
is a ComplaintEvent and an audit row. This face re-exports the public services so
callers keep ``from onewindow.complaints import services``.
"""

from onewindow.complaints.services.center import (
    complaint_close,
    complaint_dispatch,
    complaint_extension_approve,
    complaint_revisit,
)
from onewindow.complaints.services.complainant import complaint_feedback, complaint_reopen
from onewindow.complaints.services.department import (
    complaint_answer,
    complaint_extension_request,
    complaint_return,
)
from onewindow.complaints.services.registration import complaint_file

__all__ = [
    "complaint_answer",
    "complaint_close",
    "complaint_dispatch",
    "complaint_extension_approve",
    "complaint_extension_request",
    "complaint_feedback",
    "complaint_file",
    "complaint_reopen",
    "complaint_return",
    "complaint_revisit",
]
