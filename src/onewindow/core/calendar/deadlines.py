"""Deadlines counted on the work calendar (R-CASE-4): start, pause, resume, recompute.

``actor=None`` stands for the system (hooks of other apps, commands)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction

from onewindow.core.audit import audit_record, snapshot
from onewindow.core.calendar.access import check_date
from onewindow.core.calendar.build import build, build_in_transaction
from onewindow.core.calendar.official import MAX_DEADLINE_DAYS
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.models import Deadline, DeadlinePause
from onewindow.core.scope import scope_for
from onewindow.core.workcalendar import Due, LimitUnit, Pause, WorkCalendar

# An app that keeps a deadline's due date on its own rows (the case row, R-CASE-4)
# registers a hook here; a recount on changed calendar data calls it in the same
# transaction with the ids of every deadline it recounted (moved or not).
DeadlinesRecounted = Callable[[list[int]], None]
_recount_hooks: list[DeadlinesRecounted] = []


def when_deadlines_recounted(hook: DeadlinesRecounted) -> DeadlinesRecounted:
    """Register ``hook(deadline_ids)`` to run after a recount, in its transaction."""
    if hook not in _recount_hooks:
        _recount_hooks.append(hook)
    return hook


def _recounted(pks: list[int]) -> None:
    if pks:
        for hook in list(_recount_hooks):
            hook(pks)


def _require_center(actor, center) -> None:
    if actor is None or actor.is_superuser:
        return
    # The center model, through the kernel's own relation (the kernel names no app).
    centers = Deadline._meta.get_field("center").related_model.objects
    if not centers.visible_to(scope_for(actor)).filter(pk=center.pk).exists():
        raise NotFound("deadline.not_found", "未找到该时限。")


def _lock_deadline(actor, deadline) -> Deadline:
    locked = for_update(Deadline.objects).filter(pk=getattr(deadline, "pk", deadline)).first()
    if locked is None:
        raise NotFound("deadline.not_found", "未找到该时限。")
    _require_center(actor, locked.center)
    return locked


def _deadline_snapshot(deadline: Deadline) -> dict:
    data = snapshot(deadline)
    data["pauses"] = [
        {
            "start": p.start.isoformat(),
            "end": p.end.isoformat() if p.end else None,
            "reason": p.reason,
        }
        for p in deadline.pauses.all()
    ]
    return data


def _compute(deadline: Deadline, cal: WorkCalendar) -> Due:
    rows = deadline.pauses.all() if deadline.pk is not None else []
    pauses = [Pause(p.start, p.end) for p in rows]
    try:
        return cal.due(deadline.start, deadline.days, deadline.unit, pauses)
    except (ValueError, OverflowError):
        raise InvalidInput("deadline.too_far", "时限过长，无法计算截止日。") from None


def _apply(deadline: Deadline, due: Due) -> bool:
    changed = (deadline.due, deadline.provisional, deadline.paused) != (
        due.date,
        due.provisional,
        due.paused,
    )
    deadline.due, deadline.provisional, deadline.paused = due.date, due.provisional, due.paused
    return changed


def _recompute_locked(
    deadline: Deadline, cal: WorkCalendar, *, actor=None, reason: str = ""
) -> bool:
    before = {"due": deadline.due, "provisional": deadline.provisional, "paused": deadline.paused}
    if not _apply(deadline, _compute(deadline, cal)):
        return False
    deadline.save(update_fields=["due", "provisional", "paused"])
    audit_record(
        actor=actor,
        action="deadline.recompute",
        target=deadline,
        center=deadline.center,
        before=before,
        after={"due": deadline.due, "provisional": deadline.provisional, "paused": deadline.paused},
        note=reason,
    )
    return True


def recompute_all(queryset, *, reason: str = "") -> int:
    calendars: dict[int, WorkCalendar] = {}
    changed = 0
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    locked = (
        for_update(Deadline.objects)
        .filter(pk__in=pks)
        .select_related("center__region")
        .order_by("pk")
    )
    for deadline in locked:
        cal = calendars.get(deadline.center.region_id)
        if cal is None:
            cal = calendars[deadline.center.region_id] = build(deadline.center.region.path)
        changed += _recompute_locked(deadline, cal, reason=reason)
    _recounted(pks)
    return changed


@transaction.atomic
def deadline_start(
    *, actor, center, purpose: str, start: date, days: int, unit: str = LimitUnit.WORKING
) -> Deadline:
    """Start a clock at a center: ``start`` is day 0, due at the end of the N-th day."""
    _require_center(actor, center)
    start = check_date(start, "start", "起算日")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DEADLINE_DAYS:
        message = f"时限须为0至{MAX_DEADLINE_DAYS}之间的整数。"
        raise InvalidInput("deadline.bad_days", message, {"days": message})
    if unit not in Deadline.Unit.values:
        raise InvalidInput(
            "deadline.bad_unit", "时限单位应为工作日或自然日。", {"unit": "单位不正确。"}
        )
    purpose = (purpose or "").strip()
    if not purpose or len(purpose) > 64:
        raise InvalidInput(
            "deadline.bad_purpose", "请填写用途（不超过64字）。", {"purpose": "请填写用途。"}
        )
    deadline = Deadline(center=center, purpose=purpose, start=start, days=days, unit=unit)
    due = _compute(deadline, build_in_transaction(center.region.path))
    _apply(deadline, due)
    deadline.save()
    audit_record(
        actor=actor,
        action="deadline.start",
        target=deadline,
        center=center,
        after=_deadline_snapshot(deadline),
    )
    return deadline


@transaction.atomic
def deadline_pause(*, actor, deadline, on: date, reason: str) -> Deadline:
    """Stop the clock from the day after ``on`` (corrections, special procedure)."""
    deadline = _lock_deadline(actor, deadline)
    on = check_date(on, "on", "暂停日期")
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise InvalidInput(
            "deadline.reason_required",
            "请填写暂停原因（不超过200字）。",
            {"reason": "请填写暂停原因。"},
        )
    if deadline.paused or deadline.pauses.filter(end__isnull=True).exists():
        raise Conflict("deadline.already_paused", "该时限已处于暂停状态。")
    if on < deadline.start:
        raise InvalidInput(
            "deadline.pause_before_start",
            "暂停日期不能早于起算日。",
            {"on": "暂停日期不能早于起算日。"},
        )
    last = deadline.pauses.order_by("-end").first()
    if last is not None and on < last.end:
        raise InvalidInput(
            "deadline.pause_overlaps",
            "暂停日期不能早于上一次暂停的结束日期。",
            {"on": "与上一次暂停重叠。"},
        )
    before = _deadline_snapshot(deadline)
    DeadlinePause.objects.create(deadline=deadline, start=on, reason=reason)
    _apply(deadline, _compute(deadline, build_in_transaction(deadline.center.region.path)))
    deadline.save(update_fields=["due", "provisional", "paused"])
    audit_record(
        actor=actor,
        action="deadline.pause",
        target=deadline,
        center=deadline.center,
        before=before,
        after=_deadline_snapshot(deadline),
        note=reason,
    )
    return deadline


@transaction.atomic
def deadline_resume(*, actor, deadline, on: date) -> Deadline:
    """End the running pause on ``on``; counting resumes the next working day."""
    deadline = _lock_deadline(actor, deadline)
    on = check_date(on, "on", "恢复日期")
    pause = for_update(deadline.pauses).filter(end__isnull=True).first()
    if pause is None:
        raise Conflict("deadline.not_paused", "该时限未处于暂停状态。")
    if on < pause.start:
        raise InvalidInput(
            "deadline.resume_before_pause",
            "恢复日期不能早于暂停日期。",
            {"on": "恢复日期不能早于暂停日期。"},
        )
    before = _deadline_snapshot(deadline)
    pause.end = on
    pause.save(update_fields=["end"])
    _apply(deadline, _compute(deadline, build_in_transaction(deadline.center.region.path)))
    deadline.save(update_fields=["due", "provisional", "paused"])
    audit_record(
        actor=actor,
        action="deadline.resume",
        target=deadline,
        center=deadline.center,
        before=before,
        after=_deadline_snapshot(deadline),
    )
    return deadline


@transaction.atomic
def deadline_recompute(deadline) -> Deadline:
    """Recount one deadline on today's calendar data (by the system, audited if it moves)."""
    locked = (
        for_update(Deadline.objects)
        .select_related("center__region")
        .filter(pk=getattr(deadline, "pk", deadline))
        .first()
    )
    if locked is None:
        raise NotFound("deadline.not_found", "未找到该时限。")
    _recompute_locked(locked, build(locked.center.region.path), reason="重新计算")
    _recounted([locked.pk])
    return locked


@transaction.atomic
def deadline_recompute_provisional() -> int:
    """Recount every provisional deadline; returns how many moved."""
    return recompute_all(Deadline.objects.filter(provisional=True), reason="重新计算暂定时限")
