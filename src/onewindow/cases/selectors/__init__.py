"""Reads of cases, always within the reader's scope; public progress by number and the
last four digits of the phone (the same status on every channel, R-CAT-9)."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.core.errors import NotFound


def cases_for(*, scope) -> QuerySet[Case]:
    return Case.objects.visible_to(scope).select_related(
        "matter", "center", "department", "applicant", "deadline"
    )


def case_get_for(*, scope, case_id: int) -> Case:
    case = cases_for(scope=scope).filter(pk=case_id).first()
    if case is None:
        raise NotFound("case.not_found", "未找到该办件。")
    return case


def department_queue(scope, department_id: int, **kwargs) -> QuerySet[Case]:
    """The back office's open cases, the most urgent deadline first (see ``queues``)."""
    from onewindow.cases.selectors import queues

    return queues.department_queue(scope, department_id, **kwargs)


def public_progress(*, number: str, phone_tail: str) -> Case:
    """A case by its number and the last four digits of the applicant's phone; a wrong
    pair answers like a missing case."""
    case = (
        Case.objects.select_related("matter", "center", "applicant", "deadline")
        .filter(number=(number or "").strip())
        .first()
    )
    if case is None or len(phone_tail or "") != 4 or case.applicant.phone_tail != phone_tail:
        raise NotFound("case.not_found", "未找到该办件，请核对办件编号和手机号后四位。")
    return case


def public_timeline(case: Case) -> list[dict]:
    """The steps a citizen sees, in the plain public labels (the same on every channel)."""
    steps: list[dict] = []
    for event in case.events.order_by("at", "id"):
        label = states.PUBLIC.get(event.to_state, "")
        if not label or (steps and steps[-1]["label"] == label):
            continue
        steps.append({"label": label, "at": event.at})
    return steps
