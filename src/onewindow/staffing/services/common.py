"""What the staffing services share: the record of a person, created on first use with
its first posting, and the center a record is filed under."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from onewindow.core.errors import InvalidInput
from onewindow.core.locking import for_update
from onewindow.org.models import CenterUnit
from onewindow.staffing.access import require_profile_in_scope
from onewindow.staffing.models import Posting, StaffRecord, Team


def team_of(profile) -> str:
    if profile.department_id:
        return Team.STATIONED
    if profile.unit_id:
        unit_kind = profile.unit.kind
        return Team.AGENCY if unit_kind == CenterUnit.Kind.AGENCY else Team.COMPREHENSIVE
    return Team.CENTER


def record_for_update(actor, profile) -> StaffRecord:
    """The person's record, locked; made on first use together with the open posting
    from the profile's posting date. A person out of the actor's scope is not found."""
    require_profile_in_scope(actor, profile.pk)
    StaffRecord.objects.get_or_create(profile=profile, defaults={"team": team_of(profile)})
    if not Posting.objects.filter(profile=profile).exists():
        Posting.objects.create(
            profile=profile,
            center=profile.center,
            department=profile.department,
            started_on=profile.posting_started,
        )
    return for_update(StaffRecord.objects).get(profile=profile)


def center_of(profile):
    center = profile.center or (profile.department.center if profile.department_id else None)
    if center is None:
        raise InvalidInput("staff.no_center", "该人员未进驻任何服务中心。")
    return center


def parse_day(value, *, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        message = f"请填写有效的{label}（如 2026-03-01）。"
        raise InvalidInput(f"{field}_invalid", message, {field: message}) from None


def today(at: date | None = None) -> date:
    return at or timezone.localdate()
