"""The work calendar's database side (R-CASE-4).

``calendar_for`` builds the pure ``WorkCalendar`` of a place from the official
package, the schedules loaded for years the package lacks (``CalendarYear``) and
the local overrides of the place and the regions above it. Services here are the
only writes to that data and to ``Deadline``; each checks who may act, runs in one
transaction and writes its audit record in it.

``actor=None`` stands for the system (management commands, hooks of other apps);
pages and the API always pass the signed-in user.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from onewindow.core import workcalendar
from onewindow.core.audit import audit_record, snapshot
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.models import (
    CalendarDay,
    CalendarOverride,
    CalendarYear,
    Deadline,
    DeadlinePause,
)
from onewindow.core.scope import scope_for
from onewindow.core.workcalendar import Due, LimitUnit, Pause, WorkCalendar

# Bounds of what the calendar accepts from people: far enough for any legal limit,
# near enough that no input runs the counting loop for long.
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_DEADLINE_DAYS = 1000
MAX_SCHEDULE_CHARS = 20_000


def official_source(day: date) -> bool | None:
    """The official package; a seam so tests can pin which years it covers."""
    return workcalendar.official_chinese_calendar(day)


def official_name_source(day: date) -> str:
    return workcalendar.official_holiday_name(day)


def _official(day: date) -> bool | None:
    return official_source(day)


def _official_name(day: date) -> str:
    return official_name_source(day)


def official_covers(year: int) -> bool:
    return _official(date(year, 7, 1)) is not None


# --- building and caching ------------------------------------------------------------

VERSION_KEY = "onewindow:calendar:version"
LOCAL_TTL_SECONDS = 300  # bounds staleness where no shared cache carries the version

_local: dict[str, tuple[object, float, WorkCalendar]] = {}
_local_lock = threading.Lock()


def invalidate() -> None:
    """Forget every built calendar, here and (through the shared cache) elsewhere."""
    with _local_lock:
        _local.clear()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def _ancestor_paths(path: str) -> list[str]:
    codes = [c for c in path.strip("/").split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def _build(path: str) -> WorkCalendar:
    loaded: dict[int, dict[date, bool]] = {}
    names: dict[date, str] = {}
    for year in CalendarYear.objects.values_list("year", flat=True):
        loaded[year] = {}
    for day in CalendarDay.objects.select_related("year").only(
        "date", "is_workday", "name", "year__year"
    ):
        loaded.setdefault(day.year.year, {})[day.date] = day.is_workday
        if day.name:
            names[day.date] = day.name
    q = Q(region__isnull=True)
    ancestors = _ancestor_paths(path)
    if ancestors:
        q |= Q(region__path__in=ancestors)
    overrides: dict[date, bool] = {}
    reasons: dict[date, str] = {}
    rows = CalendarOverride.objects.filter(q).select_related("region")
    # The most specific place wins: prefecture-wide first, then down the tree.
    for row in sorted(rows, key=lambda o: len(o.region.path) if o.region_id else 0):
        overrides[row.date] = row.is_workday
        reasons[row.date] = row.reason
    return WorkCalendar(
        official=_official,
        loaded=loaded,
        overrides=overrides,
        names=names,
        override_reasons=reasons,
        official_name=_official_name,
    )


def calendar_for(*, center=None, region=None) -> WorkCalendar:
    """The work calendar of a center (or a region; neither: the prefecture-wide one).

    Cached per region outside transactions; inside one (every service) it is built
    from the rows that transaction sees, so a rollback never leaves a wrong copy.
    """
    if center is not None:
        region = center.region
    path = region.path if region is not None else ""
    if connection.in_atomic_block:
        return _build(path)
    version = cache.get(VERSION_KEY, 0)
    now = time.monotonic()
    hit = _local.get(path)
    if hit is not None and hit[0] == version and now - hit[1] < LOCAL_TTL_SECONDS:
        return hit[2]
    built = _build(path)
    with _local_lock:
        _local[path] = (version, now, built)
    return built


# --- permissions ---------------------------------------------------------------------


def is_center_admin(actor) -> bool:
    from onewindow.core.roles import Role

    profile = getattr(actor, "staff_profile", None)
    return profile is not None and profile.active and Role.CENTER_ADMIN in profile.roles


def _require_calendar_admin(actor, *, region) -> None:
    """Superuser, or a center administrator whose scope holds the region. The whole
    prefecture (region None) and official schedules: the prefecture center's admins."""
    if actor is None or actor.is_superuser:
        return
    if not getattr(actor, "is_authenticated", False) or not is_center_admin(actor):
        raise Forbidden("calendar.not_manager", "只有中心管理员可以维护工作日历。")
    scope = scope_for(actor)
    if scope.everything:
        return
    if region is None:
        raise Forbidden(
            "calendar.prefecture_only",
            "全州适用的调整和年度节假日安排只能由州政务服务中心管理员维护。",
        )
    if not any(region.path.startswith(p) for p in scope.region_paths):
        raise NotFound("calendar.region_not_found", "未找到该地区。")


def can_manage_calendar(actor, *, region=None) -> bool:
    try:
        _require_calendar_admin(actor, region=region)
    except (Forbidden, NotFound):
        return False
    return True


def _check_date(value, field: str, label: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(
            "calendar.bad_date", f"{label}格式不正确。", {field: f"{label}格式不正确。"}
        )
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        message = f"{label}须在{MIN_YEAR}年至{MAX_YEAR}年之间。"
        raise InvalidInput("calendar.date_out_of_range", message, {field: message})
    return value


# --- loading a year's official schedule -------------------------------------------------


def _schedule_snapshot(calendar_year: CalendarYear | None) -> dict | None:
    if calendar_year is None:
        return None
    data = snapshot(calendar_year)
    data["days"] = {
        d.date.isoformat(): ("班" if d.is_workday else "休") for d in calendar_year.days.all()
    }
    return data


@transaction.atomic
def calendar_year_load(*, actor, year: int, text: str, source: str) -> CalendarYear:
    """Load (or replace) the official holiday schedule of a year, then recompute the
    deadlines it touches. ``.recomputed`` on the result counts the changed ones."""
    _require_calendar_admin(actor, region=None)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        message = f"年份须在{MIN_YEAR}年至{MAX_YEAR}年之间。"
        raise InvalidInput("calendar.bad_year", message, {"year": message})
    source = (source or "").strip()
    if not source:
        raise InvalidInput(
            "calendar.source_required",
            "请填写依据（如国务院办公厅通知的名称和文号）。",
            {"source": "请填写依据。"},
        )
    if len(source) > 200:
        raise InvalidInput(
            "calendar.source_too_long", "依据不能超过200字。", {"source": "依据不能超过200字。"}
        )
    text = text or ""
    if len(text) > MAX_SCHEDULE_CHARS:
        message = f"安排内容过长（不超过{MAX_SCHEDULE_CHARS}字）。"
        raise InvalidInput("calendar.bad_schedule", message, {"text": message})
    try:
        entries = workcalendar.parse_schedule_entries(text, year)
    except ValueError as exc:
        raise InvalidInput("calendar.bad_schedule", str(exc), {"text": str(exc)}) from None
    if not entries:
        message = "未找到任何日期，请按“2027-01-01 休 元旦”的格式每行填写一条。"
        raise InvalidInput("calendar.bad_schedule", message, {"text": message})
    if all(workday for workday, _ in entries.values()):
        message = "安排中没有放假日期，请核对后再载入。"
        raise InvalidInput("calendar.bad_schedule", message, {"text": message})

    existing = for_update(CalendarYear.objects).filter(year=year).first()
    before = _schedule_snapshot(existing)
    user = actor if getattr(actor, "is_authenticated", False) else None
    if existing is None:
        try:
            with transaction.atomic():
                calendar_year = CalendarYear.objects.create(
                    year=year, source=source, loaded_by=user
                )
        except IntegrityError:
            raise Conflict(
                "calendar.load_in_progress", f"{year}年的安排正在由他人载入，请稍后刷新查看。"
            ) from None
    else:
        calendar_year = existing
        calendar_year.days.all().delete()
        calendar_year.source = source
        calendar_year.loaded_at = timezone.now()
        calendar_year.loaded_by = user
        calendar_year.save(update_fields=["source", "loaded_at", "loaded_by"])
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(year=calendar_year, date=day, is_workday=workday, name=name)
            for day, (workday, name) in sorted(entries.items())
        ]
    )
    audit_record(
        actor=actor,
        action="calendar_year.load",
        target=calendar_year,
        before=before,
        after=_schedule_snapshot(calendar_year),
        note="替换已载入的安排" if existing else "",
    )
    transaction.on_commit(invalidate)

    first, last = date(year, 1, 1), date(year, 12, 31)
    touching = Deadline.objects.filter(start__lte=last).filter(
        Q(due__isnull=True) | Q(due__gte=first)
    )
    if existing is None and not official_covers(year):
        # A first load of a year nobody had data for changes only provisional clocks.
        touching = touching.filter(provisional=True)
    calendar_year.recomputed = _recompute_all(touching, reason=f"载入{year}年节假日安排")
    return calendar_year


# --- local overrides --------------------------------------------------------------------


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
    _require_calendar_admin(actor, region=region)
    day = _check_date(date, "date", "日期")
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
    base = _build(region.path if region is not None else "")
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
        _recompute_all(_deadlines_under(region, day), reason=f"本地调整：{reason}")
    return override


@transaction.atomic
def calendar_override_delete(*, actor, override_id: int) -> None:
    override = (
        for_update(CalendarOverride.objects).select_related("region").filter(pk=override_id).first()
    )
    if override is None:
        raise NotFound("calendar.override_not_found", "未找到该本地调整。")
    if override.region_id is not None and actor is not None and not actor.is_superuser:
        # Out of the actor's scope reads as missing, whatever the role.
        scope = scope_for(actor)
        if not scope.everything and not any(
            override.region.path.startswith(p) for p in scope.region_paths
        ):
            raise NotFound("calendar.override_not_found", "未找到该本地调整。")
    _require_calendar_admin(actor, region=override.region)
    before = _override_snapshot(override)
    region, day, label = override.region, override.date, str(override)
    override.delete()
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
        _recompute_all(_deadlines_under(region, day), reason="撤销本地调整")


# --- deadlines ---------------------------------------------------------------------------


def _require_center(actor, center) -> None:
    if actor is None or actor.is_superuser:
        return
    from onewindow.org.models import Center

    if not Center.objects.visible_to(scope_for(actor)).filter(pk=center.pk).exists():
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


def _recompute_all(queryset, *, reason: str = "") -> int:
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
            cal = calendars[deadline.center.region_id] = _build(deadline.center.region.path)
        changed += _recompute_locked(deadline, cal, reason=reason)
    return changed


@transaction.atomic
def deadline_start(
    *, actor, center, purpose: str, start: date, days: int, unit: str = LimitUnit.WORKING
) -> Deadline:
    """Start a clock at a center: ``start`` is day 0, due at the end of the N-th day."""
    _require_center(actor, center)
    start = _check_date(start, "start", "起算日")
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
    due = _compute(deadline, _build(center.region.path))
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
    on = _check_date(on, "on", "暂停日期")
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
    _apply(deadline, _compute(deadline, _build(deadline.center.region.path)))
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
    on = _check_date(on, "on", "恢复日期")
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
    _apply(deadline, _compute(deadline, _build(deadline.center.region.path)))
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
    _recompute_locked(locked, _build(locked.center.region.path), reason="重新计算")
    return locked


@transaction.atomic
def deadline_recompute_provisional() -> int:
    """Recount every provisional deadline; returns how many moved."""
    return _recompute_all(Deadline.objects.filter(provisional=True), reason="重新计算暂定时限")


# --- selectors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    year: int
    official: bool  # the package covers it
    loaded: CalendarYear | None

    @property
    def state(self) -> str:
        if self.loaded is not None:
            return "loaded"
        return "official" if self.official else "missing"

    @property
    def label(self) -> str:
        return {"loaded": "已载入", "official": "官方数据", "missing": "未载入（暂定）"}[self.state]

    @property
    def covered(self) -> bool:
        return self.state != "missing"


def calendar_status(today: date) -> list[YearStatus]:
    """The years around today and every loaded year: official, loaded or missing."""
    loaded = {y.year: y for y in CalendarYear.objects.select_related("loaded_by")}
    years = sorted(set(range(today.year - 1, today.year + 2)) | set(loaded))
    return [YearStatus(year, official_covers(year), loaded.get(year)) for year in years]


def _covered(year: int) -> bool:
    return official_covers(year) or CalendarYear.objects.filter(year=year).exists()


def calendar_warning(today: date) -> str | None:
    """A warning for administrators when a year's official schedule is missing."""
    if not _covered(today.year):
        return (
            f"{today.year}年的官方节假日安排尚未载入，当前时限按周末推算，均为暂定。"
            "请尽快载入国务院办公厅发布的节假日安排。"
        )
    if today.month >= 10 and not _covered(today.year + 1):
        return (
            f"{today.year + 1}年的官方节假日安排尚未载入，跨入{today.year + 1}年的时限按周末推算，"
            "标为暂定。国务院办公厅公布后请及时载入，系统将自动重新计算。"
        )
    return None
