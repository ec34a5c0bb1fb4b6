"""Local overrides of the work calendar (R-CASE-4): a closure or an extra working day
for a region and the places under it."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from onewindow.core.audit import audit_record, snapshot
from onewindow.core.calendar.access import check_date, require_calendar_admin
from onewindow.core.calendar.build import build, forget_in_transaction, invalidate
from onewindow.core.calendar.deadlines import recompute_all
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.models import CalendarOverride, Deadline
from onewindow.core.scope import scope_for


def _override_snapshot(override: CalendarOverride) -> dict:
    data = snapshot(override)
    data["region_path"] = override.region.path if override.region_id else ""
    return data


def _deadlines_under(region, day: date):
    """Open deadlines of the centers a place's override reaches whose span holds ``day``."""
    qs = Deadline.objects.filter(start__lt=day).filter(Q(due__isnull=True) | Q(due__gte=day))
    if region is not None:
        qs = qs.filter(center__region__path__startswith=region.path)
    return qs


def calendar_override_check(
    *, actor, date: date, is_workday: bool, reason: str, region=None
) -> tuple[date, bool, str]:
    """Every rule of ``calendar_override_create`` without writing (for forms)."""
    require_calendar_admin(actor, region=region)
    day = check_date(date, "date", "日期")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "calendar.reason_required", "请填写调整原因。", {"reason": "请填写调整原因。"}
        )
    if len(reason) > 200:
        raise InvalidInput(
            "calendar.reason_too_long", "原因不能超过200字。", {"reason": "原因不能超过200字。"}
        )
    is_workday = bool(is_workday)
    if CalendarOverride.objects.filter(date=day, region=region).exists():
        raise Conflict("calendar.override_exists", "该地区在这一天已有本地调整，请先删除原调整。")
    base = build(region.path if region is not None else "")
    if base.is_workday(day) == is_workday:
        kind = "工作日" if is_workday else "休息日"
        raise InvalidInput(
            "calendar.override_no_change",
            f"{day.isoformat()} 本来就是{kind}，无需调整。",
            {"date": f"该日本来就是{kind}。"},
        )
    return day, is_workday, reason


@transaction.atomic
def calendar_override_create(
    *, actor, date: date, is_workday: bool, reason: str, region=None
) -> CalendarOverride:
    """A local closure (``is_workday=False``) or extra working day for a region and
    the places under it (no region: the whole prefecture). Deadlines still running
    over that day, if it is today or later, are recomputed."""
    day, is_workday, reason = calendar_override_check(
        actor=actor, date=date, is_workday=is_workday, reason=reason, region=region
    )
    override = CalendarOverride(date=day, is_workday=is_workday, reason=reason, region=region)
    try:
        with transaction.atomic():
            override.save()
        forget_in_transaction()
    except IntegrityError:
        raise Conflict(
            "calendar.override_exists", "该地区在这一天已有本地调整，请先删除原调整。"
        ) from None
    audit_record(
        actor=actor,
        action="calendar_override.create",
        target=override,
        after=_override_snapshot(override),
    )
    transaction.on_commit(invalidate)
    if day >= timezone.localdate():
        recompute_all(_deadlines_under(region, day), reason=f"本地调整：{reason}")
    return override


def within_reach(actor, override: CalendarOverride) -> bool:
    """Whether an override is in the actor's scope (prefecture-wide ones are in every
    scope); out of it, it reads as missing, whatever the role."""
    if override.region_id is None or actor is None or actor.is_superuser:
        return True
    scope = scope_for(actor)
    return scope.everything or any(override.region.path.startswith(p) for p in scope.region_paths)


def calendar_override_find(*, actor, override_id) -> CalendarOverride | None:
    """The override of that id within the actor's reach, or None (also for a bad id)."""
    try:
        pk = int(override_id)
    except (TypeError, ValueError):
        return None
    override = CalendarOverride.objects.select_related("region").filter(pk=pk).first()
    return override if override is not None and within_reach(actor, override) else None


@transaction.atomic
def calendar_override_delete(*, actor, override_id: int) -> None:
    override = (
        for_update(CalendarOverride.objects).select_related("region").filter(pk=override_id).first()
    )
    if override is None or not within_reach(actor, override):
        raise NotFound("calendar.override_not_found", "未找到该本地调整。")
    require_calendar_admin(actor, region=override.region)
    before = _override_snapshot(override)
    region, day, label = override.region, override.date, str(override)
    override.delete()
    forget_in_transaction()
    audit_record(
        actor=actor,
        action="calendar_override.delete",
        target_type="core.calendaroverride",
        target_id=str(before["id"]),
        target_label=label,
        before=before,
    )
    transaction.on_commit(invalidate)
    if day >= timezone.localdate():
        recompute_all(_deadlines_under(region, day), reason="撤销本地调整")
