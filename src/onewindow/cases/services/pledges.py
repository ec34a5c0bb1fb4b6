"""Certification by pledge (证明事项告知承诺, R-CASE-5).

Where the pinned guide version allows it, a signed pledge replaces a certificate at
intake. After an approval, every pledge becomes a verification task of the deciding
department (``PledgeCheck``), due a set number of working days later
(``ONEWINDOW_PLEDGE_CHECK_DAYS``, default 20, counted on the center's work calendar).
The department records the result once: a truthful pledge closes the task; a false one
is recorded against the applicant (``FalsePledge``, never deleted), the case's history
says the approval is to be reviewed for revocation (the state is not changed here: the
department handles revocation by law), and the applicant may no longer pledge in place
of a certificate (对虚假承诺者不再适用告知承诺).
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onewindow.cases.models import Applicant, Case, Document, FalsePledge, PledgeCheck
from onewindow.cases.selectors.pledges import (
    check_in_scope,
    pledge_allowed_for,
    records_for_department,
)
from onewindow.cases.services.steps import event
from onewindow.core import calendar as work_calendar
from onewindow.core.audit import audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.workcalendar import LimitUnit

# Who records, reads the queue and reads the record: ``pledge.*`` in ``core/roles.py``.
MAX_NOTE = 2000


def pledge_check_days() -> int:
    return int(getattr(settings, "ONEWINDOW_PLEDGE_CHECK_DAYS", 20))


def pledge_check_due(case: Case, on: date) -> date:
    """The day a verification is due: N working days after ``on`` (day 0)."""
    calendar = work_calendar.calendar_for(center=case.center)
    return calendar.due(on, pledge_check_days(), LimitUnit.WORKING).date


# --- the applicant's standing ---------------------------------------------------------------


def pledge_refuse_if_barred(applicant: Applicant | None, checked) -> None:
    """Refuse an intake or a correction that gives a pledge for an applicant with a false
    pledge on record. ``checked`` is the list of (material, options) of the documents."""
    pledged = [m for m, options in checked if options.get("by_pledge")]
    if not pledged or pledge_allowed_for(applicant):
        return
    names = "、".join(f"“{m.name}”" for m in pledged)
    message = f"申请人“{applicant.name}”有虚假承诺记录，不再适用告知承诺，{names}须提交证明材料。"
    raise InvalidInput(
        "case.pledge_barred",
        message,
        {f"materials.{m.pk}": message for m in pledged},
    )


# --- verification tasks -----------------------------------------------------------------------


def pledge_checks_create(*, actor, case: Case, now: datetime | None = None) -> list[PledgeCheck]:
    """One verification task per document given by pledge, after an approval. Called
    inside ``case_decide`` with the case row locked; running it again creates nothing."""
    if case.decided_at is None or not case.events.filter(action="approve").exists():
        return []
    decided_on = timezone.localdate(case.decided_at or clock_now(now))
    pending = list(
        Document.objects.filter(case=case, by_pledge=True, pledge_check__isnull=True)
        .select_related("material")
        .order_by("pk")
    )
    if not pending:
        return []
    due = pledge_check_due(case, decided_on)
    created = [
        PledgeCheck.objects.create(case=case, document=d, material=d.material, due=due)
        for d in pending
    ]
    event(
        case,
        "pledge_checks",
        actor,
        before=case.state,
        note=f"告知承诺事项{len(created)}项，须于{due:%Y-%m-%d}前核查。",
        at=now,
        materials=[c.material.name for c in created],
        due=due.isoformat(),
    )
    return created


def _require_recorder(actor, check: PledgeCheck) -> None:
    if actor.is_superuser:
        return
    if not check_in_scope(actor, check):
        raise NotFound("pledge_check.not_found", "未找到该承诺核查。")
    if not records_for_department(actor, check):
        raise Forbidden("pledge_check.not_department", "承诺核查须由承办部门审批人员办理。")


@transaction.atomic
def pledge_check_record(
    *,
    actor,
    check: PledgeCheck,
    truthful: bool,
    note: str = "",
    now: datetime | None = None,
) -> PledgeCheck:
    """Record the result of a verification, once. A false pledge needs a note, is
    recorded against the applicant, and marks the approval for review (revocation is
    the department's to handle; the case's state is not changed here)."""
    now = clock_now(now)
    check = (
        for_update(PledgeCheck.objects)
        .select_related("case__center", "case__department", "case__applicant", "material")
        .filter(pk=check.pk)
        .first()
    )
    if check is None:
        raise NotFound("pledge_check.not_found", "未找到该承诺核查。")
    _require_recorder(actor, check)
    if check.state != PledgeCheck.State.PENDING:
        by = f"已由{check.checked_by}" if check.checked_by_id else "已"
        raise Conflict(
            "pledge_check.already_recorded",
            f"该承诺{by}核查为“{check.get_state_display()}”，不能重复核查。",
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        message = f"核查情况不能超过{MAX_NOTE}字。"
        raise InvalidInput("pledge_check.note_too_long", message, {"note": message})
    if not truthful and not note:
        message = "认定虚假承诺须写明核查情况和依据。"
        raise InvalidInput("pledge_check.note_required", message, {"note": message})
    case = check.case
    check.state = PledgeCheck.State.TRUE if truthful else PledgeCheck.State.FALSE
    check.note, check.checked_by, check.checked_at = note, actor, now
    check.save(update_fields=["state", "note", "checked_by", "checked_at"])
    audit_record(
        actor=actor,
        action="pledge_check.record",
        target=check,
        center=case.center,
        department=case.department,
        before={"state": PledgeCheck.State.PENDING},
        after={"state": check.state, "material": check.material.name},
        note=note,
    )
    if truthful:
        event(
            case,
            "pledge_true",
            actor,
            before=case.state,
            note=note or f"“{check.material.name}”承诺属实。",
            at=now,
            check=check.pk,
            material=check.material.name,
        )
        return check
    record = FalsePledge.objects.create(
        applicant=case.applicant,
        case=case,
        pledge_check=check,
        material_name=check.material.name,
        note=note,
        recorded_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="false_pledge.record",
        target=record,
        center=case.center,
        department=case.department,
        after={
            "applicant": case.applicant_id,
            "case": case.number,
            "material": check.material.name,
        },
        note=note,
    )
    event(
        case,
        "pledge_false",
        actor,
        before=case.state,
        note=(
            f"“{check.material.name}”承诺不实：{note.rstrip('。')}。"
            "准予决定须依法复核，由承办部门处理撤销。"
        ),
        at=now,
        check=check.pk,
        material=check.material.name,
        review_decision=True,
    )
    return check


__all__ = [
    "pledge_check_days",
    "pledge_check_due",
    "pledge_check_record",
    "pledge_checks_create",
    "pledge_refuse_if_barred",
]
