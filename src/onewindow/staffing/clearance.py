"""Who may work a window alone (R-STAFF-2, seed §20).

The rule:
- Every person holding a window role (``core.roles.WINDOW_STAFF``) must be cleared
  before signing in at a window alone.
- A person is cleared when their passed pre-job training (岗前培训) reaches
  ``PRE_JOB_HOURS`` hours, or their passed shadowing of a window clerk (跟班学习)
  reaches ``SHADOWING_HOURS`` hours. The moment is stored on the ``StaffRecord``
  (``cleared_at``, ``cleared_basis``) by the training service, so a later failed
  session does not take a clearance back.
- People already in post when the staffing app was installed were cleared by its
  migration (basis "系统启用时已在岗"); a profile created afterwards needs training.
- Special training on a re-engineered process and routine training are recorded and
  shown; they do not gate the sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from onewindow.core.roles import WINDOW_STAFF
from onewindow.staffing.models import ClearanceBasis, StaffRecord, TrainingRecord

PRE_JOB_HOURS = Decimal(40)
SHADOWING_HOURS = Decimal(80)
Kind = TrainingRecord.Kind


def hours_text(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


@dataclass(frozen=True)
class Clearance:
    needed: bool
    cleared: bool
    basis: str
    pre_job_hours: Decimal
    shadowing_hours: Decimal

    @property
    def missing(self) -> str:
        """What is missing, in words ("" when cleared or not needed)."""
        if self.cleared or not self.needed:
            return ""
        return (
            f"尚未完成岗前培训（已完成 {hours_text(self.pre_job_hours)}/"
            f"{hours_text(PRE_JOB_HOURS)} 学时）或跟班学习（已完成 "
            f"{hours_text(self.shadowing_hours)}/{hours_text(SHADOWING_HOURS)} 学时）"
        )


def passed_hours(profile) -> dict[str, Decimal]:
    rows = (
        TrainingRecord.objects.filter(
            profile=profile,
            result=TrainingRecord.Result.PASSED,
            kind__in=[Kind.PRE_JOB, Kind.SHADOWING],
        )
        .values("kind")
        .annotate(total=Sum("hours"))
    )
    found = {r["kind"]: r["total"] or Decimal(0) for r in rows}
    return {k: found.get(k, Decimal(0)) for k in (Kind.PRE_JOB, Kind.SHADOWING)}


def basis_reached(hours: dict[str, Decimal]) -> str:
    """The basis on which these hours clear a person ("" when they do not)."""
    if hours[Kind.PRE_JOB] >= PRE_JOB_HOURS:
        return ClearanceBasis.PRE_JOB
    if hours[Kind.SHADOWING] >= SHADOWING_HOURS:
        return ClearanceBasis.SHADOWING
    return ""


def needs_clearance(profile) -> bool:
    return bool(profile.roles & WINDOW_STAFF)


def clearance_of(profile) -> Clearance:
    record = StaffRecord.objects.filter(profile=profile).first()
    hours = passed_hours(profile)
    cleared = record is not None and record.cleared_at is not None
    return Clearance(
        needed=needs_clearance(profile),
        cleared=cleared,
        basis=record.get_cleared_basis_display() if cleared else "",
        pre_job_hours=hours[Kind.PRE_JOB],
        shadowing_hours=hours[Kind.SHADOWING],
    )


def sign_in_refusal(profile) -> str:
    """Why this person may not sign in at a window alone ("" when they may)."""
    if profile is None:
        return ""
    state = clearance_of(profile)
    if not state.missing:
        return ""
    return f"{state.missing}，不能单独在窗口签到；请联系中心管理员登记培训记录。"
