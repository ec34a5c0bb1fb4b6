"""Window planning for a center (R-HALL-4): its demand and service from the ticket
history, the forecast, the plan per half hour and the live suggestion. Reads only,
scoped (R-NET-3): a center outside the caller's scope is "not found".

- Arrivals: tickets taken, by category (the category the ticket was taken in) and
  half hour of ``issued_at``, per working day; the day's pattern from the center's
  work calendar (``planning.forecast.pattern_of``).
- Service: ``service_seconds`` of served tickets, per category and per clerk: the
  median and the spread (interquartile range), and the mean the queueing model uses.
- No-shows: tickets ended as no-shows over tickets taken, per category.
- Windows: the active windows; a window may serve the categories it serves now, those
  its clerk is authorised for (any matter of the category, R-HALL-5), and every
  category when it is an unrestricted (无差别) window. Clerks on the roster: the
  windows with a clerk signed in, or, when nobody is, those a clerk signed in at
  during the history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from onewindow.core.calendar import calendar_for
from onewindow.core.errors import InvalidInput
from onewindow.hall import hours, states
from onewindow.hall.models import Authorization, ServiceCategory, Ticket, Window, WindowSession
from onewindow.org.names import labels_for
from onewindow.oversight.selectors.hall import (
    stats_center_get,
    stats_centers,
    stats_default_center,
)
from onewindow.planning import forecast as fc
from onewindow.planning import plan as pl
from onewindow.planning.simulate import Demand

SLOT_MIN = 30
HISTORY_DAYS = 84
HOLDOUT = 5
DEFAULT_SERVICE_MIN = 10.0

planning_centers = stats_centers
planning_center_get = stats_center_get
planning_default_center = stats_default_center


def target_from(within_text: str | None, share_text: str | None) -> pl.Target:
    """The target from the page's fields: share (%) called within N minutes."""
    try:
        within = float((within_text or "15").strip()[:6])
        share = float((share_text or "80").strip()[:6])
    except ValueError:
        raise InvalidInput(
            "planning.bad_target", "目标应为数字，例如 80% 在 15 分钟内叫号。"
        ) from None
    if not (1 <= within <= 240 and 1 <= share <= 99):
        raise InvalidInput("planning.bad_target", "等候目标应在1到240分钟之间，比例在1%到99%之间。")
    return pl.Target(within_min=within, share=share / 100)


@dataclass
class CategoryStats:
    index: int
    id: int
    letter: str
    name: str
    issued: int = 0
    no_show: int = 0
    service: list[float] = field(default_factory=list)  # minutes

    @property
    def label(self) -> str:
        return f"{self.letter} {self.name}"

    @property
    def median(self) -> float | None:
        return statistics.median(self.service) if self.service else None

    @property
    def spread(self) -> float | None:
        if len(self.service) < 4:
            return None
        q = statistics.quantiles(self.service, n=4)
        return q[2] - q[0]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.service) if self.service else DEFAULT_SERVICE_MIN

    @property
    def no_show_rate(self) -> float | None:
        return self.no_show / self.issued if self.issued else None


@dataclass
class ClerkStats:
    label: str
    service: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.service)

    @property
    def spread(self) -> float | None:
        if len(self.service) < 4:
            return None
        q = statistics.quantiles(self.service, n=4)
        return q[2] - q[0]


@dataclass
class History:
    center: object
    categories: list[CategoryStats]
    clerks: list[ClerkStats]
    days: dict[dt.date, dict[tuple[int, int], float]]  # working day → (category, slot) → n
    patterns: dict[dt.date, str]
    model: fc.Model
    backtest: fc.Backtest


def _patterns(center, days) -> dict[dt.date, str]:
    cal = calendar_for(center=center)
    return {d: fc.pattern_of(d, cal.is_workday) for d in days}


def history(*, scope, center_id, today: dt.date | None = None) -> History:
    """The center's demand and service over the last ``HISTORY_DAYS`` days."""
    center = planning_center_get(scope=scope, center_id=center_id)
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=HISTORY_DAYS)
    cats = list(
        ServiceCategory.objects.filter(center=center, is_active=True, needs_clerk=True).order_by(
            "order", "letter"
        )
    )
    stats = [CategoryStats(i, c.pk, c.letter, c.name) for i, c in enumerate(cats)]
    by_id = {s.id: s for s in stats}
    cal = calendar_for(center=center)
    days: dict[dt.date, dict[tuple[int, int], float]] = defaultdict(lambda: defaultdict(float))
    per_clerk: dict[int, list[float]] = defaultdict(list)
    rows = Ticket.objects.filter(
        center=center, day__gte=start, day__lt=today, category_id__in=list(by_id)
    ).values_list("day", "category_id", "issued_at", "state", "service_seconds", "clerk_id")
    for day, cat_id, issued, state, service, clerk_id in rows.iterator():
        s = by_id[cat_id]
        s.issued += 1
        if state == states.NO_SHOW:
            s.no_show += 1
        if state == states.DONE and service:
            s.service.append(service / 60)
            if clerk_id:
                per_clerk[clerk_id].append(service / 60)
        if cal.is_workday(day):
            local = timezone.localtime(issued)
            slot = (local.hour * 60 + local.minute) // SLOT_MIN
            days[day][(s.index, slot)] += 1
    days = {d: dict(v) for d, v in days.items()}
    patterns = _patterns(center, days)
    names = labels_for(per_clerk)
    clerks = sorted(
        (ClerkStats(names.get(pk, str(pk)), v) for pk, v in per_clerk.items()),
        key=lambda c: c.label,
    )
    return History(
        center=center,
        categories=stats,
        clerks=clerks,
        days=days,
        patterns=patterns,
        model=fc.fit(days, patterns),
        backtest=fc.backtest(days, patterns, range(len(stats)), HOLDOUT),
    )


# --- the windows ------------------------------------------------------------------------------


@dataclass
class HallSetup:
    windows: list[Window]
    allowed: list[frozenset[int]]
    today: pl.Setup
    clerks: int


def hall_setup(center, categories: list[CategoryStats], today: dt.date) -> HallSetup:
    index = {c.id: c.index for c in categories}
    everyone = frozenset(index.values())
    windows = list(Window.objects.filter(center=center, is_active=True).order_by("number"))
    current: dict[int, set[int]] = defaultdict(set)
    for wid, cid in Window.categories.through.objects.filter(
        window__in=windows, servicecategory_id__in=list(index)
    ).values_list("window_id", "servicecategory_id"):
        current[wid].add(index[cid])
    sessions = WindowSession.objects.filter(window__in=windows).order_by("signed_in_at")
    clerk_of = {wid: clerk for wid, clerk in sessions.values_list("window_id", "clerk_id")}
    open_now = set(sessions.filter(signed_out_at__isnull=True).values_list("window_id", flat=True))
    matters = defaultdict(set)
    for cid, mid in ServiceCategory.matters.through.objects.filter(
        servicecategory_id__in=list(index)
    ).values_list("servicecategory_id", "matter_id"):
        matters[index[cid]].add(mid)
    authorised = defaultdict(set)
    for clerk, mid in Authorization.objects.filter(
        clerk_id__in=set(clerk_of.values()), may_accept=True
    ).values_list("clerk_id", "matter_id"):
        authorised[clerk].add(mid)
    allowed = []
    for w in windows:
        may = set(current[w.pk])
        mine = authorised.get(clerk_of.get(w.pk), set())
        may |= {i for i, ms in matters.items() if ms & mine}
        if w.scope == Window.Scope.UNRESTRICTED:
            may = set(everyone)
        allowed.append(frozenset(may))
    staffed = len(open_now) or len(clerk_of)
    return HallSetup(
        windows=windows,
        allowed=allowed,
        today=tuple(frozenset(current[w.pk]) for w in windows),
        clerks=min(len(windows), staffed),
    )


# --- the plan of a day ------------------------------------------------------------------------


@dataclass
class Slot:
    start: dt.time
    index: int
    demands: list[Demand]
    plan: pl.IntervalPlan

    @property
    def label(self) -> str:
        return self.start.strftime("%H:%M")

    @property
    def people(self) -> float:
        return sum(d.arrivals_per_hour for d in self.demands) * SLOT_MIN / 60


@dataclass
class DayPlan:
    history: History
    setup: HallSetup
    day: dt.date
    pattern: str
    basis: str
    target: pl.Target
    slots: list[Slot]
    what_ifs: dict[str, pl.Figures]
    peak: Slot | None
    to_terminal: CategoryStats | None


def _slots_of(center, day: dt.date) -> list[int]:
    out = []
    for p in hours.periods_on(center, day):
        if p.extended:
            continue
        m = p.start.hour * 60 + p.start.minute
        end = p.end.hour * 60 + p.end.minute
        while m < end:
            out.append(m // SLOT_MIN)
            m += SLOT_MIN
    return sorted(set(out))


def demands_for(h: History, counts: dict[tuple[int, int], float], slot: int) -> list[Demand]:
    return [
        Demand(counts.get((c.index, slot), 0.0) * 60 / SLOT_MIN, c.mean, 0.04) for c in h.categories
    ]


CACHE_SECONDS = 15 * 60


def day_plan(*, scope, center_id, day: dt.date, target: pl.Target, check: bool = True) -> DayPlan:
    """The plan of ``day``, kept for a quarter of an hour per center, day, target and
    set-up of the windows (planning a county center's day takes seconds)."""
    today = timezone.localdate()
    h = history(scope=scope, center_id=center_id, today=min(day, today))
    setup = hall_setup(h.center, h.categories, day)
    signature = hashlib.sha1(
        repr((today, day, target, check, setup.today, setup.allowed, setup.clerks)).encode()
    ).hexdigest()
    key = f"planning:day:{h.center.pk}:{signature}"
    found = cache.get(key)
    if found is None:
        found = _day_plan(h, setup, day, target, check)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _day_plan(h: History, setup: HallSetup, day: dt.date, target: pl.Target, check: bool):
    pattern = fc.pattern_of(day, calendar_for(center=h.center).is_workday)
    counts = h.model.predict(day, pattern)
    slots = []
    for s in _slots_of(h.center, day):
        demands = demands_for(h, counts, s)
        p = pl.plan_interval(
            demands, setup.allowed, setup.clerks, target, today=setup.today, check=check
        )
        start = dt.time(s * SLOT_MIN // 60, s * SLOT_MIN % 60)
        slots.append(Slot(start, s, demands, p))
    peak = max(slots, key=lambda s: sum(d.arrivals_per_hour for d in s.demands), default=None)
    quickest = min((c for c in h.categories if c.issued), key=lambda c: c.mean, default=None)
    what = {}
    if peak is not None:
        what = pl.what_ifs(
            peak.demands,
            setup.allowed,
            setup.clerks,
            target,
            to_terminal=quickest.index if quickest else None,
        )
    return DayPlan(
        history=h,
        setup=setup,
        day=day,
        pattern=pattern,
        basis=h.model.basis(day, pattern),
        target=target,
        slots=slots,
        what_ifs=what,
        peak=peak,
        to_terminal=quickest,
    )


# --- live -------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    window: Window
    categories: list[ServiceCategory]
    before: str
    after: str
    reason: str
    wait_before: float
    wait_after: float


def live_suggestion(
    *, scope, center_id, target: pl.Target, now: dt.datetime | None = None
) -> tuple[list[tuple[CategoryStats, str, int]], Suggestion | None, bool]:
    """Per category the expected wait now (the forecast of this half hour plus the
    people already waiting); whether a category passes the target; and then the one
    change of one window's categories that helps most (None when no change helps)."""
    now = timezone.localtime(now or timezone.now())
    h = history(scope=scope, center_id=center_id, today=now.date())
    setup = hall_setup(h.center, h.categories, now.date())
    pattern = fc.pattern_of(now.date(), calendar_for(center=h.center).is_workday)
    slot = (now.hour * 60 + now.minute) // SLOT_MIN
    demands = demands_for(h, h.model.predict(now.date(), pattern), slot)
    waiting = defaultdict(int)
    index = {c.id: c.index for c in h.categories}
    for cid in Ticket.objects.filter(
        center=h.center, day=now.date(), state=states.WAITING, queue_id__in=list(index)
    ).values_list("queue_id", flat=True):
        waiting[index[cid]] += 1
    # People already waiting count as if they came within the half hour, on top.
    demands = [
        Demand(d.arrivals_per_hour + waiting[i] * 60 / SLOT_MIN, d.mean_service_min)
        for i, d in enumerate(demands)
    ]
    figs = pl.evaluate(demands, setup.today, target.within_min)
    rows = [(c, _minutes(figs.wait[c.index]), waiting[c.index]) for c in h.categories]
    if figs.meets(target, demands):
        return rows, None, False
    best, best_figs = None, figs
    for w, _ in enumerate(setup.windows):
        if not setup.today[w]:
            continue
        for cand in pl.options(setup.allowed[w], set(range(len(demands))), 3):
            trial = list(setup.today)
            trial[w] = cand
            f = pl.evaluate(demands, tuple(trial), target.within_min)
            if f.key > best_figs.key:
                best, best_figs = (w, cand), f
    if best is None:
        return rows, None, True
    w, cand = best
    worst = min(
        (i for i, d in enumerate(demands) if d.arrivals_per_hour > 0),
        key=lambda i: figs.within[i],
    )
    cats = {c.index: c for c in h.categories}
    models = {c.pk: c for c in ServiceCategory.objects.filter(pk__in=[cats[i].id for i in cand])}
    return (
        rows,
        Suggestion(
            window=setup.windows[w],
            categories=[models[cats[i].id] for i in sorted(cand)],
            before="、".join(cats[i].label for i in sorted(setup.today[w])) or "无",
            after="、".join(cats[i].label for i in sorted(cand)),
            reason=f"{cats[worst].label}预计等候{_fmt(figs.wait[worst])}，超过目标",
            wait_before=figs.wait[worst],
            wait_after=best_figs.wait[worst],
        ),
        True,
    )


def _minutes(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:.1f}"


def _fmt(minutes: float) -> str:
    return "超过2小时" if minutes == float("inf") or minutes > 120 else f"{minutes:.0f}分钟"


# --- the page's panels ------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    level: str  # "ok", "warn" (within the target but over half of it), "over"


@dataclass
class HeatRow:
    label: str
    recommended: list[Cell]
    today: list[Cell]


def _cell(wait: float, target: pl.Target) -> Cell:
    limit = target.max_mean_wait_min or target.within_min
    if wait == float("inf"):
        return Cell("∞", "over")
    level = "over" if wait > limit else "warn" if wait > limit / 2 else "ok"
    return Cell(f"{wait:.0f}" if wait >= 1 else "<1", level)


def heat_rows(dp: DayPlan) -> list[HeatRow]:
    rows = []
    for c in dp.history.categories:
        rec, now = [], []
        for s in dp.slots:
            if s.demands[c.index].arrivals_per_hour <= 0:
                rec.append(Cell("", "none"))
                now.append(Cell("", "none"))
                continue
            rec.append(_cell(s.plan.figures.wait[c.index], dp.target))
            now.append(_cell(s.plan.today_figures.wait[c.index], dp.target))
        rows.append(HeatRow(c.label, rec, now))
    return rows


@dataclass
class WindowRow:
    label: str
    today: str
    slots: list[str]


def window_rows(dp: DayPlan) -> list[WindowRow]:
    letters = {c.index: c.letter for c in dp.history.categories}

    def text(cats) -> str:
        return "".join(letters[i] for i in sorted(cats)) or "—"

    return [
        WindowRow(str(w), text(dp.setup.today[k]), [text(s.plan.setup[k]) for s in dp.slots])
        for k, w in enumerate(dp.setup.windows)
    ]


@dataclass
class WhatIf:
    label: str
    worst_within: float
    total_wait_per_person: float
    meets: bool

    @property
    def wait_text(self) -> str:
        return _minutes(self.total_wait_per_person)


def what_if_rows(dp: DayPlan) -> list[WhatIf]:
    if dp.peak is None:
        return []
    people = sum(d.arrivals_per_hour for d in dp.peak.demands) or 1.0
    moved = dp.to_terminal.label if dp.to_terminal else ""
    labels = {
        "one_clerk_less": "少一名窗口人员",
        "one_more_window": "增加一个无差别综合窗口",
        "to_terminal": f"{moved}改由自助终端办理",
    }
    rows = [("recommended", "推荐方案", dp.peak.plan.figures)]
    rows += [(k, labels[k], f) for k, f in dp.what_ifs.items()]
    out = []
    for key, label, f in rows:
        demands = dp.peak.demands
        if key == "to_terminal" and dp.to_terminal is not None:
            demands = [
                Demand(0.0, d.mean_service_min) if i == dp.to_terminal.index else d
                for i, d in enumerate(demands)
            ]
        out.append(
            WhatIf(label, f.worst_within, f.total_wait / people, f.meets(dp.target, demands))
        )
    return out


@dataclass
class ForecastRow:
    label: str
    error: float | None
    days: list[tuple[float, float]]  # (forecast, actual) per held-back day


def forecast_rows(h: History) -> list[ForecastRow]:
    bt = h.backtest
    return [
        ForecastRow(
            c.label,
            bt.error.get(c.index),
            list(zip(bt.predicted.get(c.index, []), bt.actual.get(c.index, []), strict=True)),
        )
        for c in h.categories
    ]


def coming_days(h: History, start: dt.date, count: int = 5) -> list[tuple[dt.date, str, float]]:
    """The next working days from ``start``: the day, its pattern and the people expected."""
    cal = calendar_for(center=h.center)
    out, day = [], start
    while len(out) < count and day < start + dt.timedelta(days=40):
        if cal.is_workday(day):
            pattern = fc.pattern_of(day, cal.is_workday)
            total = sum(h.model.predict(day, pattern).values())
            out.append((day, fc.pattern_label(pattern), total))
        day += dt.timedelta(days=1)
    return out
