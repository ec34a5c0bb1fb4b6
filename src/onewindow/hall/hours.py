"""A center's opening hours: the one schedule the ticket rules, the appointment slots
and the public pages read (R-HALL-2, R-HALL-6), and the service that changes it.

The logic is in ``hall.schedule`` (pure); this module turns the stored rows into a
``schedule.Schedule`` and the work calendar into the kind of each day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from onewindow.core.audit import audit_record
from onewindow.core.calendar import calendar_for
from onewindow.core.errors import InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.workcalendar import DayKind as CalendarDayKind
from onewindow.hall import schedule
from onewindow.hall.access import require_center_admin
from onewindow.hall.models import HallSchedule, OpeningPeriod, ServiceCategory, Window
from onewindow.org.models import Center

CLOSED_KINDS = frozenset({CalendarDayKind.HOLIDAY, CalendarDayKind.LOCAL_CLOSURE})


# --- reading -----------------------------------------------------------------------------------


def _pure(found: HallSchedule) -> schedule.Schedule:
    periods = []
    for p in found.periods.all():
        cats = sorted(p.categories.all(), key=lambda c: (c.order, c.letter))
        periods.append(
            schedule.Period(
                start=p.start,
                end=p.end,
                weekdays=frozenset(int(d) for d in p.weekdays),
                season=p.season,
                extended=p.extended,
                categories=frozenset(c.pk for c in cats),
                windows=frozenset(w.number for w in p.windows.all()),
                category_names=tuple(c.name for c in cats),
            )
        )
    return schedule.Schedule(
        periods=tuple(periods),
        summer_start=(found.summer_start_month, found.summer_start_day),
        summer_end=(found.summer_end_month, found.summer_end_day),
        stored=True,
    )


def stored_schedule(center: Center) -> HallSchedule | None:
    return (
        HallSchedule.objects.filter(center=center)
        .prefetch_related("periods__categories", "periods__windows")
        .first()
    )


def schedule_for(center: Center) -> schedule.Schedule:
    """The center's schedule; the default (weekdays 9:00–12:00, 14:00–17:00) until it
    sets its own."""
    found = stored_schedule(center)
    return _pure(found) if found is not None else schedule.DEFAULT


def day_kind_from(cal):
    def kind_of(day: date) -> schedule.DayKind:
        info = cal.describe(day)
        return schedule.DayKind(workday=info.workday, holiday=info.kind in CLOSED_KINDS)

    return kind_of


def day_kind(center: Center, day: date) -> schedule.DayKind:
    return day_kind_from(calendar_for(center=center))(day)


def periods_on(center: Center, day: date, *, sched: schedule.Schedule | None = None):
    sched = sched or schedule_for(center)
    return schedule.periods_on(sched, day, day_kind(center, day))


def is_open(center: Center, now: datetime, *, category: ServiceCategory | None = None) -> bool:
    local = timezone.localtime(now)
    sched = schedule_for(center)
    found = schedule.open_period(
        sched, local, day_kind(center, local.date()), category.pk if category else None
    )
    return found is not None


def hours_lines(center: Center, *, sched: schedule.Schedule | None = None) -> list[str]:
    """The center's hours in words, from its schedule; the posted free text (or the
    default schedule) where it has none."""
    sched = sched or schedule_for(center)
    if not sched.stored and center.hours:
        return [center.hours]
    return schedule.describe(sched)


def hours_text(center: Center) -> str:
    return "；".join(hours_lines(center))


def closed_message(
    center: Center, now: datetime, *, category: ServiceCategory | None = None
) -> str:
    """Empty when the hall serves ``category`` now; otherwise why not, in Chinese, naming
    the next opening."""
    local = timezone.localtime(now)
    sched = schedule_for(center)
    kind_of = day_kind_from(calendar_for(center=center))
    cat_id = category.pk if category else None
    if schedule.open_period(sched, local, kind_of(local.date()), cat_id) is not None:
        return ""
    upcoming = schedule.next_opening(sched, local, kind_of, cat_id)
    open_now = schedule.open_period(sched, local, kind_of(local.date()))
    if open_now is not None and category is not None:
        head = f"现在是错时延时服务时间，{category.name}暂不取号。"
    else:
        head = "现在不是办公时间，不能取号。"
    nxt = (
        f"下次开始取号：{schedule.moment_text(upcoming, local.date())}。"
        if upcoming is not None
        else ""
    )
    return (
        f"{head}{nxt}办公时间：{'；'.join(hours_lines(center, sched=sched))}。"
        "您可以使用自助查询、打印等服务，或在网上预约。"
    )


# --- changing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodInput:
    start: time
    end: time
    weekdays: frozenset[int]
    season: str = schedule.ALL
    extended: bool = False
    categories: tuple[ServiceCategory, ...] = ()
    windows: tuple[Window, ...] = ()


def _snapshot(found: HallSchedule | None) -> dict | None:
    if found is None:
        return None
    return {
        "summer": f"{found.summer_start_month}-{found.summer_start_day}"
        f"~{found.summer_end_month}-{found.summer_end_day}",
        "hours": schedule.describe(_pure(found)),
    }


def _fail(message: str) -> InvalidInput:
    return InvalidInput("hall_schedule.invalid", message, {"periods": message})


@transaction.atomic
def hall_schedule_set(
    *,
    actor,
    center: Center,
    periods: list[PeriodInput],
    summer_start: tuple[int, int] = (5, 1),
    summer_end: tuple[int, int] = (9, 30),
    note: str = "",
) -> HallSchedule:
    """Replace the center's opening hours. Periods on Saturday or Sunday are extended
    service (错时延时); the periods may not overlap; categories and windows are the
    center's own. Audited with the hours in words before and after."""
    require_center_admin(actor, center)
    if not periods:
        raise _fail("请至少填写一个办公时段。")
    for p in periods:
        if p.weekdays & {5, 6} and not p.extended:
            if p.weekdays - {5, 6}:
                raise _fail("周末的时段是错时延时服务，请与工作日的时段分开填写。")
            raise _fail("周六、周日的时段请勾选“错时延时服务”。")
        if any(c.center_id != center.pk for c in p.categories) or any(
            w.center_id != center.pk for w in p.windows
        ):
            raise _fail("只能选择本中心的业务类别和窗口。")
    pure = schedule.Schedule(
        periods=tuple(
            schedule.Period(
                start=p.start,
                end=p.end,
                weekdays=frozenset(p.weekdays),
                season=p.season,
                extended=p.extended,
                categories=frozenset(c.pk for c in p.categories),
            )
            for p in periods
        ),
        summer_start=summer_start,
        summer_end=summer_end,
    )
    try:
        schedule.check(pure)
    except schedule.ScheduleError as exc:
        raise _fail(str(exc)) from None
    HallSchedule.objects.bulk_create([HallSchedule(center=center)], ignore_conflicts=True)
    found = for_update(HallSchedule.objects).get(center=center)
    before = _snapshot(stored_schedule(center)) if found.periods.exists() else None
    found.summer_start_month, found.summer_start_day = summer_start
    found.summer_end_month, found.summer_end_day = summer_end
    found.updated_at = timezone.now()
    found.save()
    found.periods.all().delete()
    for p in periods:
        row = OpeningPeriod.objects.create(
            schedule=found,
            season=p.season,
            weekdays="".join(str(d) for d in sorted(p.weekdays)),
            start=p.start,
            end=p.end,
            extended=p.extended,
        )
        row.categories.set(p.categories)
        row.windows.set(p.windows)
    found = stored_schedule(center)
    audit_record(
        actor=actor,
        action="hall_schedule.set",
        target=found,
        center=center,
        before=before,
        after=_snapshot(found),
        note=note,
    )
    return found
