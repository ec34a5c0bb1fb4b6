"""Window planning for a center (R-HALL-4): its demand and service from the ticket
history, the forecast, the plan per half hour and the live suggestion. Reads only,
scoped (R-NET-3): a center outside the caller's scope is "not found".

- Arrivals: tickets taken, by category (the category the ticket was taken in) and
  half hour of ``issued_at``, per working day; the day's pattern from the center's
  work calendar (``planning.forecast.pattern_of``).
- Service: ``service_seconds`` of served tickets, per category and per clerk: the
  median and the spread (interquartile range), and the mean the queueing model uses.
- No-shows: tickets ended as no-shows over tickets taken, per category. The people
  who never come to the window are taken off the demand the plan serves: a category's
  forecast arrivals times (1 - its no-show rate).
- Windows: the active windows; a window may serve the categories it serves now, those
  its clerk is authorised for (any matter of the category, R-HALL-5), and every
  category when it is an unrestricted (无差别) window. Clerks on the roster: the
  windows with a clerk signed in, or, when nobody is, those a clerk signed in at
  during the history. The clerks per half hour: ``planning_roster``.
- The day's plan is computed in the background by the ``planning`` sweep (``onewindow
  sweep``) and kept in the shared cache, so the page reads it; when it is absent the
  page computes it and says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import caches
from django.utils import timezone

from onewindow.core.calendar import calendar_for
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.hall import hours, states
from onewindow.hall.models import Authorization, ServiceCategory, Ticket, Window, WindowSession
from onewindow.org.names import labels_for
from onewindow.oversight.selectors.hall import (
    stats_center_get,
    stats_centers,
    stats_default_center,
)
from onewindow.oversight.selectors.planning_roster import (
    Roster,
    roster_for,
    start_of,
)
from onewindow.planning import day as pd
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


def planning_window_get(*, scope, window_id) -> Window:
    """A window of a center whose plan the scope may read (else not found)."""
    window = Window.objects.filter(pk=window_id, center__in=planning_centers(scope=scope)).first()
    if window is None:
        raise NotFound("window.not_found", "未找到该窗口。")
    return window


def planning_categories(*, window: Window, ids) -> list[ServiceCategory]:
    """The window's center's categories of ``ids``: a refusal when none is given or any
    is not of the center."""
    wanted = set(ids)
    found = list(ServiceCategory.objects.filter(pk__in=wanted, center_id=window.center_id))
    if not wanted:
        raise InvalidInput("planning.no_category", "请至少选择一个业务类别。")
    if len(found) != len(wanted):
        raise InvalidInput(
            "planning.bad_category",
            "只能选择本中心的业务类别。",
            {"category_ids": "不是本中心的业务类别"},
        )
    return found


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
    clerks: int  # clerks signed in now (or, when nobody is, ever during the history)


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
    roster_source: str = ""

    @property
    def label(self) -> str:
        return self.start.strftime("%H:%M")

    @property
    def clerks(self) -> int:
        return self.plan.clerks or 0

    @property
    def opened(self) -> int:
        return sum(1 for s in self.plan.setup if s)

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
    roster: Roster | None = None
    churn: pd.Churn = pd.DEFAULT_CHURN
    computed_at: dt.datetime | None = None
    seconds: float = 0.0
    by_sweep: bool = False

    @property
    def changes(self) -> int:
        """Windows changed between the day's intervals, in all."""
        return sum(s.plan.changes for s in self.slots[1:])


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
    """Per category the people an hour who will be served (forecast arrivals less the
    category's no-shows) and the mean service time."""
    return [
        Demand(
            counts.get((c.index, slot), 0.0) * 60 / SLOT_MIN * (1 - (c.no_show_rate or 0.0)),
            c.mean,
            0.04,
        )
        for c in h.categories
    ]


CACHE_SECONDS = 15 * 60
SWEEP_CACHE_SECONDS = 24 * 60 * 60


def _key(h: History, setup: HallSetup, roster: Roster, day, target, check, churn) -> str:
    signature = hashlib.sha1(
        repr((day, target, check, churn, setup.today, setup.allowed, roster.clerks)).encode()
    ).hexdigest()
    return f"planning:day:{h.center.pk}:{signature}"


def day_plan(
    *,
    scope,
    center_id,
    day: dt.date,
    target: pl.Target,
    check: bool = True,
    churn: pd.Churn = pd.DEFAULT_CHURN,
    compute: bool = True,
) -> DayPlan | None:
    """The plan of ``day``, per center, day, target, cost of a change, set-up of the
    windows and roster: from the shared cache (where the sweep put it), else computed
    now and kept a quarter of an hour (None when absent and not ``compute``)."""
    today = timezone.localdate()
    h = history(scope=scope, center_id=center_id, today=min(day, today))
    setup = hall_setup(h.center, h.categories, day)
    slots = _slots_of(h.center, day)
    roster = roster_for(
        h.center, day, slots, windows=len(setup.windows), now_clerks=setup.clerks,
        today=min(day, today), days=HISTORY_DAYS,
    )  # fmt: skip
    key = _key(h, setup, roster, day, target, check, churn)
    found = caches["shared"].get(key)
    if found is None and compute:
        found = _day_plan(h, setup, slots, roster, day, target, check, churn)
        caches["shared"].set(key, found, CACHE_SECONDS)
    return found


def precompute(*, scope, center_id, day: dt.date) -> tuple[DayPlan, bool]:
    """The sweep's computation: the plan of ``day`` with the default target and cost of
    a change, kept in the shared cache for the page to read; and whether it was
    computed now (False: the sweep's plan for the same history, windows and roster is
    still there)."""
    today = timezone.localdate()
    h = history(scope=scope, center_id=center_id, today=min(day, today))
    setup = hall_setup(h.center, h.categories, day)
    slots = _slots_of(h.center, day)
    roster = roster_for(
        h.center, day, slots, windows=len(setup.windows), now_clerks=setup.clerks,
        today=min(day, today), days=HISTORY_DAYS,
    )  # fmt: skip
    target, churn = pl.Target(), pd.DEFAULT_CHURN
    key = _key(h, setup, roster, day, target, True, churn)
    kept = caches["shared"].get(key)
    if kept is not None and kept.by_sweep:
        return kept, False
    found = _day_plan(h, setup, slots, roster, day, target, True, churn)
    found.by_sweep = True
    caches["shared"].set(key, found, SWEEP_CACHE_SECONDS)
    return found, True


def _day_plan(h, setup, slot_ids, roster, day, target, check, churn) -> DayPlan:
    started = time.perf_counter()
    pattern = fc.pattern_of(day, calendar_for(center=h.center).is_workday)
    counts = h.model.predict(day, pattern)
    intervals = [demands_for(h, counts, s) for s in slot_ids]
    plans = pd.plan_day(
        intervals, setup.allowed, roster.clerks, target, today=setup.today, churn=churn,
        check=check,
    )  # fmt: skip
    slots = [
        Slot(start_of(s), s, d, p, src)
        for s, d, p, src in zip(slot_ids, intervals, plans, roster.sources, strict=True)
    ]
    peak = max(slots, key=lambda s: sum(d.arrivals_per_hour for d in s.demands), default=None)
    quickest = min((c for c in h.categories if c.issued), key=lambda c: c.mean, default=None)
    what = {}
    if peak is not None:
        what = pl.what_ifs(
            peak.demands,
            setup.allowed,
            peak.clerks,
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
        roster=roster,
        churn=churn,
        computed_at=timezone.now(),
        seconds=time.perf_counter() - started,
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


# --- cost of a change and the roster ----------------------------------------------------------


def churn_from(text: str | None) -> pd.Churn:
    """The cost of changing a window from the page's field: the percentage points of
    the worst category's share in time a change must buy (0: free; default 2)."""
    text = (text or "").strip()[:6]
    if not text:
        return pd.DEFAULT_CHURN
    try:
        points = float(text)
    except ValueError:
        raise InvalidInput("planning.bad_churn", "调整代价应为0到20之间的数字。") from None
    if not 0 <= points <= 20:
        raise InvalidInput("planning.bad_churn", "调整代价应为0到20之间的数字。")
    scale = points / (pd.DEFAULT_CHURN.share * 100)
    return pd.Churn(share=points / 100, wait=pd.DEFAULT_CHURN.wait * scale)


def roster_starts(*, scope, center_id) -> list[dt.time]:
    """The half hours a roster is set for: those the hall is open in, over a week."""
    center = planning_center_get(scope=scope, center_id=center_id)
    today = timezone.localdate()
    slots = set()
    for k in range(7):
        slots.update(_slots_of(center, today + dt.timedelta(days=k)))
    return [start_of(s) for s in sorted(slots)]
