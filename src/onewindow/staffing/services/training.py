"""Training (R-STAFF-2, seed §20): pre-job training, shadowing a window clerk, special
training on a re-engineered process, routine training; the clearance to work a window
alone is granted here when the passed hours reach the rule of ``staffing.clearance``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import ProcessChange
from onewindow.core.audit import audit_record
from onewindow.core.errors import InvalidInput
from onewindow.core.text import clean_text
from onewindow.org.models import StaffProfile
from onewindow.staffing import clearance
from onewindow.staffing.access import require
from onewindow.staffing.models import TrainingRecord
from onewindow.staffing.services.common import record_for_update, today

Kind = TrainingRecord.Kind


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        hours = Decimal(-1)
    if not hours.is_finite() or not Decimal("0.5") <= hours <= Decimal(500):
        message = "学时应在0.5到500之间。"
        raise InvalidInput("training.hours_invalid", message, {"hours": message})
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def training_record(
    *,
    actor,
    profile: StaffProfile,
    kind: str,
    title: str,
    trainer: str,
    started_on: date,
    ended_on: date,
    hours,
    passed: bool,
    mentor: StaffProfile | None = None,
    process_change: ProcessChange | None = None,
) -> TrainingRecord:
    require(actor, "staff.manage")
    record = record_for_update(actor, profile)
    if kind not in Kind.values:
        raise InvalidInput(
            "training.kind_invalid", "请选择培训类型。", {"kind": "请选择培训类型。"}
        )
    title = clean_text(title, field="title", label="培训内容", limit=100)
    trainer = clean_text(trainer, field="trainer", label="培训人/带教人", limit=50)
    hours = _hours(hours)
    if ended_on < started_on or ended_on > today():
        message = "培训结束日期应不早于开始日期，且不晚于今天。"
        raise InvalidInput("training.dates_invalid", message, {"ended_on": message})
    if kind == Kind.SHADOWING and (mentor is None or mentor.pk == profile.pk):
        message = "跟班学习须选择带教的窗口工作人员。"
        raise InvalidInput("training.mentor_required", message, {"mentor": message})
    if kind == Kind.SPECIAL and process_change is None:
        message = "流程再造专项培训须关联所培训的流程再造。"
        raise InvalidInput("training.process_change_required", message, {"process_change": message})
    item = TrainingRecord.objects.create(
        profile=profile,
        kind=kind,
        title=title,
        trainer=trainer,
        started_on=started_on,
        ended_on=ended_on,
        hours=hours,
        result=TrainingRecord.Result.PASSED if passed else TrainingRecord.Result.FAILED,
        mentor=mentor if kind == Kind.SHADOWING else None,
        process_change=process_change if kind == Kind.SPECIAL else None,
        recorded_by=actor,
    )
    cleared_now = ""
    if record.cleared_at is None:
        cleared_now = clearance.basis_reached(clearance.passed_hours(profile))
        if cleared_now:
            record.cleared_at, record.cleared_basis = timezone.now(), cleared_now
            record.save(update_fields=["cleared_at", "cleared_basis"])
    audit_record(
        actor=actor,
        action="training.record",
        target=item,
        center=profile.center,
        department=profile.department,
        after={
            "kind": kind,
            "title": title,
            "hours": hours,
            "passed": passed,
            "cleared": cleared_now,
        },
    )
    return item
