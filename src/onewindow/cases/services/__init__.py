"""Every write to a case, by topic; this face re-exports the public service functions so
callers keep ``from onewindow.cases import services``. The topic modules import each
other directly, never this face:

- ``steps``: the row lock, the state check, who may act, the event of each step;
- ``intake``: applicants, intake, acceptance, refusal, the one-time correction notice;
- ``decision``: the department's review and decision, delivery;
- ``urging``: 督办催办 and its answer;
- ``online``, ``bundles``, ``pledges``, ``files``, ``forms``, ``supervision``,
  ``assisted``, ``archive``: the rest of the case's life, each on its own.

Who may take a step is read from the tables (``cases/states.py`` names the activity,
``core/roles.py`` its roles); ``cases/selectors/actions.py`` answers it for pages.
"""

from __future__ import annotations

from onewindow.cases.services import bundles
from onewindow.cases.services.decision import (
    case_decide,
    case_deliver,
    case_make_ready,
    case_start_review,
)
from onewindow.cases.services.intake import (
    applicant_record,
    case_accept,
    case_ask_correction,
    case_correction_reply,
    case_intake,
    case_refuse,
    not_authorized_message,
)
from onewindow.cases.services.urging import case_urge, urging_answer

__all__ = [
    "applicant_record",
    "bundles",
    "case_accept",
    "case_ask_correction",
    "case_correction_reply",
    "case_decide",
    "case_deliver",
    "case_intake",
    "case_make_ready",
    "case_refuse",
    "case_start_review",
    "case_urge",
    "not_authorized_message",
    "urging_answer",
]
