"""Cases (办件): one window in, the back office behind it, one window out (R-CASE-1..10).

- ``Applicant``: a person or an enterprise, its basic information taken once (一表申请).
- ``Case``: an application for one listing, pinned to the guide version it was taken in
  under (R-CAT-9); its state follows ``cases/states.py``; its clocks are core Deadlines.
- ``CaseLine``: the next day the deadline sweep looks at a running case (R-CASE-4).
- ``CaseEvent``: every step with who, when and what they wrote (``core.models.StepEvent``).
  Nothing is deleted.
- ``Document``: a submitted material; only the materials of the pinned version (R-CAT-7).
- ``Correction``: the one-time notice listing everything missing (一次告知).
- ``ApplicantDocument``: the applicant's file store; materials once given are reused
  (材料复用, R-CASE-6).
- ``SpecialProcedure``: expert review, hearing, public notice… the clock stops (R-CASE-4).
- ``PledgeCheck`` / ``FalsePledge``: a pledge in place of a certificate is verified
  after the decision; a false one is recorded against the applicant (R-CASE-5).
- ``BundleApplication``: one application for a "one thing" bundle; its sub-cases run in
  parallel in their departments and are delivered once (R-CASE-7).
- ``AssistedProject``: a major project an agency team guides before intake and follows
  after (帮办代办, R-CASE-10).

The models live by topic in this package: ``applicants``, ``groupings`` (bundle
applications, assisted projects), ``case`` (the case and its steps), ``pledges``.
Case numbers are taken from ``core/numbering.py`` (series ``case`` and ``bundle``).
"""

from __future__ import annotations

from onewindow.cases.models.applicants import Applicant, ApplicantDocument
from onewindow.cases.models.case import (
    OVERDUE,
    WARNING,
    Case,
    CaseAlert,
    CaseEvent,
    CaseQuerySet,
    Correction,
    Document,
    SpecialProcedure,
    Urging,
    deadline_flag,
    overdue_q,
    overdue_row_q,
    state_in,
    warned_q,
    warned_row_q,
)
from onewindow.cases.models.counts import CaseOpenCount
from onewindow.cases.models.groupings import (
    AssistedProject,
    BundleApplication,
    CenterScopedQuerySet,
    ProjectNote,
)
from onewindow.cases.models.lines import CaseLine
from onewindow.cases.models.pledges import FalsePledge, PledgeCheck, PledgeCheckQuerySet
from onewindow.cases.models.rollups import CaseDecisionMonth, CaseMonth

__all__ = [
    "CaseDecisionMonth",
    "CaseMonth",
    "CaseOpenCount",
    "OVERDUE",
    "WARNING",
    "Applicant",
    "ApplicantDocument",
    "AssistedProject",
    "BundleApplication",
    "Case",
    "CaseAlert",
    "CaseEvent",
    "CaseLine",
    "CaseQuerySet",
    "CenterScopedQuerySet",
    "Correction",
    "Document",
    "FalsePledge",
    "PledgeCheck",
    "PledgeCheckQuerySet",
    "ProjectNote",
    "SpecialProcedure",
    "Urging",
    "deadline_flag",
    "overdue_q",
    "overdue_row_q",
    "state_in",
    "warned_q",
    "warned_row_q",
]
