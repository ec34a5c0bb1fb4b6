"""The filters of the staff lists (pledge verifications, false pledges, assisted
projects): each narrows the rows a service read gave within the reader's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.cases.models import AssistedProject, FalsePledge, PledgeCheck


def checks_in(checks: QuerySet[PledgeCheck], state: str) -> QuerySet[PledgeCheck]:
    """``pending``, ``done`` (checked either way), ``false``, or ``all``."""
    if state == "pending":
        return checks.filter(state=PledgeCheck.State.PENDING)
    if state == "done":
        return checks.exclude(state=PledgeCheck.State.PENDING)
    if state == "false":
        return checks.filter(state=PledgeCheck.State.FALSE)
    return checks


def overdue_count(checks: QuerySet[PledgeCheck], today) -> int:
    return checks.filter(state=PledgeCheck.State.PENDING, due__lt=today).count()


def check_overdue(check: PledgeCheck, today) -> bool:
    return check.state == PledgeCheck.State.PENDING and check.due < today


def false_pledge_record(check: PledgeCheck):
    """The record a check found false left (None for any other check)."""
    return getattr(check, "record", None) if check.state == PledgeCheck.State.FALSE else None


def false_pledge_search(
    records: QuerySet[FalsePledge], *, applicant_id: int | None, q: str
) -> QuerySet[FalsePledge]:
    """One applicant's records, or those whose applicant's name or credit code matches."""
    if applicant_id is not None:
        records = records.filter(applicant_id=applicant_id)
    if q:
        records = records.filter(applicant__name__icontains=q) | records.filter(
            applicant__credit_code=q.upper()
        )
    return records


def project_search(
    projects: QuerySet[AssistedProject], *, state: str, q: str, agent=None
) -> QuerySet[AssistedProject]:
    """Projects by state (``open``: not done; ``all``), name or enterprise, agent."""
    if state == "open":
        projects = projects.exclude(state=AssistedProject.State.DONE)
    elif state != "all":
        projects = projects.filter(state=state)
    if q:
        projects = projects.filter(name__icontains=q) | projects.filter(
            applicant__name__icontains=q
        )
    if agent is not None:
        projects = projects.filter(agent=agent)
    return projects.order_by("-started_at", "-id")


def project_cases(project: AssistedProject):
    return project.cases.select_related("matter", "department", "deadline").order_by("received_at")


def project_notes(project: AssistedProject):
    return project.notes.select_related("author")
