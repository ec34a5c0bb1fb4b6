"""The panels of a case's page, each a view model read here: online application,
electronic materials, supervision (handler, special procedures, force steps), pledges,
the "one thing" application and assisted service. The page passes in what the
services answer about the reader (who may upload, act, force, record …)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import (
    AssistedProject,
    BundleApplication,
    Case,
    PledgeCheck,
    SpecialProcedure,
)
from onewindow.cases.selectors import queues
from onewindow.catalog.models import Material
from onewindow.core.roles import has_any
from onewindow.files import storage
from onewindow.org.models import StaffProfile

# --- online application -----------------------------------------------------------------------


@dataclass(frozen=True)
class OnlinePanel:
    show: bool
    draft: bool = False
    in_prereview: bool = False
    prereview_late: bool = False
    awaits_decision: bool = False


def online_panel(case: Case, today: date | None = None) -> OnlinePanel:
    """How the case came in online, its pre-review and intake dates, and whether the
    pre-review forms are offered."""
    online = case.channel not in (Case.Channel.WINDOW, Case.Channel.AGENT)
    show = online or case.deemed_accepted or bool(case.prereview_due or case.intake_due)
    today = today or timezone.localdate()
    in_prereview = case.state == states.PRE_REVIEW
    return OnlinePanel(
        show=bool(show),
        draft=case.state == states.DRAFT,
        in_prereview=in_prereview,
        prereview_late=in_prereview
        and case.prereview_due is not None
        and case.prereview_due < today,
        awaits_decision=case.state in (states.PRE_REVIEW, states.INTAKE),
    )


# --- electronic materials ---------------------------------------------------------------------


@dataclass(frozen=True)
class FilesPanel:
    rows: list[dict]
    can_upload: bool
    has_files: bool
    max_size: str
    accept: str


def files_panel(case: Case, *, can_upload: bool, reusable: dict) -> FilesPanel:
    """Each material of the pinned version with its document's file, and the stored
    document of the applicant that may be reused instead (``reusable``: material id →
    stored document, as ``selectors.files.reusable_documents`` finds them)."""
    given = {
        d.material_id: d
        for d in case.documents.select_related("file", "reused_from", "received_by")
    }
    rows = []
    materials = case.guide_version.materials.exclude(source=Material.Source.SHARED)
    for material in materials.order_by("order"):
        document = given.get(material.pk)
        stored = document.file if document is not None and document.file_id else None
        offer = reusable.get(material.pk)
        if offer is not None and stored is not None and offer.file_id == stored.pk:
            offer = None
        rows.append(
            {
                "material": material,
                "document": document,
                "file": stored,
                "size": storage.human_size(stored.size) if stored else "",
                "type": storage.LABELS.get(stored.content_type, stored.content_type)
                if stored
                else "",
                "download": stored is not None and stored.content_type == "application/ofd",
                "reuse": offer,
            }
        )
    return FilesPanel(
        rows=rows,
        can_upload=can_upload,
        has_files=any(r["file"] for r in rows),
        max_size=storage.human_size(storage.max_bytes()),
        accept=storage.ACCEPT,
    )


# --- supervision --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisionPanel:
    procedures: list[SpecialProcedure]
    open: SpecialProcedure | None
    open_late: bool
    kinds: list
    can_start: bool
    can_end: bool
    steps: list
    candidates: list[StaffProfile]
    assignee: StaffProfile | None
    handler: StaffProfile | None
    show: bool


def supervision_panel(case: Case, *, can_back: bool, steps: list) -> SupervisionPanel:
    """The handler and their backup, the special procedures, and the force steps
    (``steps``: those the reader may take on this case, from the services)."""
    procedures = list(case.special_procedures.select_related("started_by", "ended_by"))
    assignee = None
    if case.assignee_id:
        assignee = StaffProfile.objects.filter(user_id=case.assignee_id).first()
    handler = queues.handler_for(case.assignee) if assignee and assignee.away else None
    candidates = []
    if any(s.needs_user or s.name == "advance" for s in steps):
        candidates = [
            p
            for p in queues.department_staff(case.department_id)
            if has_any(p.roles, "case.back") and not p.away
        ]
    current = next((p for p in procedures if p.ended_on is None), None)
    today = timezone.localdate()
    return SupervisionPanel(
        procedures=procedures,
        open=current,
        open_late=bool(current and current.planned_end and current.planned_end < today),
        kinds=SpecialProcedure.Kind.choices,
        can_start=can_back and case.state == states.IN_REVIEW,
        can_end=can_back and case.state == states.SPECIAL,
        steps=steps,
        candidates=candidates,
        assignee=assignee,
        handler=handler,
        show=bool(procedures or steps or case.assignee_id or can_back),
    )


# --- pledges ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PledgePanel:
    pledged: int
    checks: list[dict]
    review_needed: bool
    false_count: int
    may_see_records: bool


def check_rows(checks, *, may_record: Callable[[PledgeCheck], bool], today=None) -> list[dict]:
    """Verifications as the pages list them: overdue, their result's label and badge,
    and whether the reader may record it (``may_record``, from the services)."""
    today = today or timezone.localdate()
    return [
        {
            "check": c,
            "overdue": c.state == PledgeCheck.State.PENDING and c.due < today,
            "badge": CHECK_BADGES.get(c.state, "bad"),
            "can_record": may_record(c),
        }
        for c in checks
    ]


# The badge of a verification's result.
CHECK_BADGES = {
    PledgeCheck.State.PENDING: "warn",
    PledgeCheck.State.TRUE: "ok",
    PledgeCheck.State.FALSE: "bad",
}


def pledge_panel(
    case: Case,
    *,
    may_record: Callable[[PledgeCheck], bool],
    false_count: int,
    may_see_records: bool,
) -> PledgePanel:
    checks = list(case.pledge_checks.select_related("material", "checked_by").order_by("pk"))
    return PledgePanel(
        pledged=case.documents.filter(by_pledge=True).count(),
        checks=check_rows(checks, may_record=may_record),
        review_needed=any(c.state == PledgeCheck.State.FALSE for c in checks),
        false_count=false_count,
        may_see_records=may_see_records,
    )


# --- the "one thing" application -------------------------------------------------------------


@dataclass(frozen=True)
class BundlePanel:
    app: BundleApplication | None = None
    others: list[Case] = field(default_factory=list)


def bundle_panel(case: Case) -> BundlePanel:
    """The bundle application the case is part of, and its other parts."""
    if not case.bundle_application_id:
        return BundlePanel()
    app = case.bundle_application
    others = [c for c in app.cases.select_related("matter", "department") if c.pk != case.pk]
    return BundlePanel(app=app, others=others)


# --- assisted service ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssistedPanel:
    project: AssistedProject | None = None
    visible: bool = False
    open: list[AssistedProject] = field(default_factory=list)


def assisted_panel(
    case: Case, *, visible: bool, projects: QuerySet[AssistedProject] | None, agent: Any = None
) -> AssistedPanel:
    """The project the case belongs to (a link to it when ``visible``); else the open
    projects of its enterprise at its center it may be linked to: among ``projects``
    (the reader's, when they manage projects), only ``agent``'s when given."""
    if case.project_id:
        project = (
            AssistedProject.objects.select_related("agent__staff_profile", "center")
            .filter(pk=case.project_id)
            .first()
        )
        return AssistedPanel(project=project, visible=visible)
    if projects is None:
        return AssistedPanel()
    projects = projects.filter(applicant_id=case.applicant_id, center_id=case.center_id).exclude(
        state=AssistedProject.State.DONE
    )
    if agent is not None:
        projects = projects.filter(agent=agent)
    return AssistedPanel(open=list(projects[:10]))
