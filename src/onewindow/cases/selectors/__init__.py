"""Reads of cases, always within the reader's scope; public progress by number and the
last four digits of the phone (the same status on every channel, R-CAT-9)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.cases.selectors import queues
from onewindow.catalog.models import Material
from onewindow.core import idnumber
from onewindow.core.calendar import calendar_for
from onewindow.core.errors import NotFound
from onewindow.core.models import Deadline


def cases_for(*, scope) -> QuerySet[Case]:
    return Case.objects.visible_to(scope).select_related(
        "matter", "center", "department", "applicant", "deadline", "statutory_deadline"
    )


def case_get_for(*, scope, case_id: int) -> Case:
    case = cases_for(scope=scope).filter(pk=case_id).first()
    if case is None:
        raise NotFound("case.not_found", "未找到该办件。")
    return case


def department_queue(scope, department_id: int, **kwargs) -> QuerySet[Case]:
    """The back office's open cases, the most urgent deadline first (see ``queues``)."""
    return queues.department_queue(scope, department_id, **kwargs)


def missing_materials(case: Case) -> list[Material]:
    """Required materials of the pinned version the applicant has not given yet
    (shared ones are fetched by the departments, never asked for)."""
    given = set(case.documents.values_list("material_id", flat=True))
    return [
        m
        for m in case.guide_version.materials.all()
        if m.requirement == Material.Requirement.REQUIRED
        and m.source != Material.Source.SHARED
        and m.pk not in given
    ]


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


def case_form(case: Case, *, revealed: dict[str, str] | None = None) -> list[dict]:
    """The application form as the people deciding on it read it: every field of the
    pinned guide version, in its order, by its label; identity numbers (in a field of
    the identity number type or typed into any other) masked unless ``revealed`` (from
    the logged reveal) holds them."""
    data = case.form_data or {}
    rows = []
    for field in case.guide_version.form_fields or []:
        key = field.get("key")
        if not key:
            continue
        value = str(data.get(key) or "").strip()
        secret = bool(value) and (field.get("type") == "id_number" or idnumber.holds_number(value))
        shown = value
        if secret:
            shown = (revealed or {}).get(key) or idnumber.mask_text(value)
        rows.append(
            {
                "key": key,
                "label": field.get("label") or key,
                "value": shown,
                "secret": secret,
                "revealed": secret and key in (revealed or {}),
            }
        )
    return rows


def _clock(deadline, today: date, cal, running: bool) -> dict | None:
    """One clock of a case as its page shows it: the due date, the limit, and while
    the clock runs the working (or natural) days left, or how many it is past due."""
    if deadline is None:
        return None
    natural = deadline.unit == Deadline.Unit.NATURAL
    clock = {
        "due": deadline.due,
        "days": deadline.days,
        "unit": "自然日" if natural else "工作日",
        "provisional": deadline.provisional,
        "paused": deadline.paused,
        "left": None,
        "late": None,
    }
    if running and deadline.due is not None:
        if natural:
            count = (deadline.due - today).days
        else:
            count = cal.working_days_between(today, deadline.due)
        if deadline.due < today:
            clock["late"] = -count if natural else cal.working_days_between(deadline.due, today)
        else:
            clock["left"] = count
    return clock


def case_clocks(case: Case, today: date | None = None) -> dict:
    """The promised and the statutory clock of a case on ``today`` (R-CASE-4), counted
    on the work calendar of its center."""
    today = today or timezone.localdate()
    running = case.state in states.CLOCK_RUNNING
    cal = calendar_for(center=case.center) if running else None
    return {
        "promised": _clock(case.deadline, today, cal, running),
        "statutory": _clock(case.statutory_deadline, today, cal, running),
        "flag": case.deadline_flag_on(today),
    }
