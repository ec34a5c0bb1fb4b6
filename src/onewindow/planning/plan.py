"""Which categories each window serves, interval by interval (R-HALL-4). Pure.

The model of one interval. Category ``i`` brings ``a_i = λ_i·S_i`` erlangs of work.
A window open with the set ``S_w`` of categories (at most ``per_window`` of those its
clerk is authorised for) lends its capacity to them; the split of every window's
capacity is balanced so that the categories it serves are equally busy (iterated
proportional fitting, ``_shares``). Category ``i`` then waits as in the pool of the
windows serving it (``evaluate``): Erlang C with those windows and the work they carry.

The objective, in order: the worst category's share called within the target minutes
(higher is better), then the total expected wait ``Σ λ_i·W_i`` (lower), then the
highest utilisation (lower). ``heuristic`` (greedy, then local search: add, drop or
swap one category at one window, open or close a window) finds a plan in milliseconds;
``exhaustive`` tries every plan of a small instance (windows with the same
authorisations are interchangeable, so it enumerates multisets per kind of window).
Every recommended plan is checked by the simulation (``simulate``) before it is shown.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from onewindow.planning.erlang import fewest_windows, fewest_windows_for_mean, figures
from onewindow.planning.simulate import Demand, Outcome, simulate

Setup = tuple[frozenset[int], ...]  # per window, the categories it serves (empty: closed)


@dataclass(frozen=True)
class Target:
    """The center's target: ``share`` called within ``within_min`` minutes, or (when
    ``max_mean_wait_min`` is set) a mean wait of at most that many minutes."""

    within_min: float = 15.0
    share: float = 0.8
    max_mean_wait_min: float | None = None

    def label(self) -> str:
        if self.max_mean_wait_min is not None:
            return f"平均等候不超过{self.max_mean_wait_min:g}分钟"
        return f"{self.share:.0%}的群众{self.within_min:g}分钟内被叫号"


@dataclass
class Figures:
    """Per category (indexes as in the demands): capacity in windows, expected wait in
    minutes, share called within the target, utilisation; and the objective."""

    capacity: list[float]
    wait: list[float]
    within: list[float]
    utilisation: list[float]
    worst_within: float
    total_wait: float
    max_utilisation: float

    @property
    def uncovered(self) -> int:
        return sum(1 for u in self.utilisation if u == math.inf)

    @property
    def key(self) -> tuple[float, float, int, float]:
        """Larger is better: worst share in time, total wait, categories no window
        serves, highest utilisation of those served."""
        busiest = max((u for u in self.utilisation if u != math.inf), default=0.0)
        return (round(self.worst_within, 9), -self.total_wait, -self.uncovered, -busiest)

    def meets(self, target: Target, demands: Sequence[Demand]) -> bool:
        live = [i for i, d in enumerate(demands) if d.arrivals_per_hour > 0]
        if target.max_mean_wait_min is not None:
            return all(self.wait[i] <= target.max_mean_wait_min for i in live)
        return all(self.within[i] >= target.share - 1e-9 for i in live)


def _shares(loads: Sequence[float], setup: Setup, rounds: int = 6):
    """Balanced split of each open window's capacity: ``(x, cap)`` with ``x[w][i]`` the
    share of window ``w`` given to category ``i`` and ``cap[i] = Σ_w x[w][i]``."""
    m = len(loads)
    sets = [(w, [i for i in s if loads[i] > 0] or list(s)) for w, s in enumerate(setup) if s]
    rows: list[list[float]] = []
    cap = [0.0] * m
    for _, s in sets:
        total = sum(loads[i] for i in s)
        row = [loads[i] / total if total > 0 else 1 / len(s) for i in s]
        rows.append(row)
        for i, v in zip(s, row, strict=True):
            cap[i] += v
    shared = [k for k, (_, s) in enumerate(sets) if len(s) > 1]
    for _ in range(rounds if shared else 0):
        util = [loads[i] / cap[i] if cap[i] > 0 else 0.0 for i in range(m)]
        new = [0.0] * m
        moved = 0.0
        for k, (_, s) in enumerate(sets):
            if len(s) > 1:
                weights = [loads[i] * util[i] for i in s]
                total = sum(weights)
                row = [v / total for v in weights] if total > 0 else [1 / len(s)] * len(s)
                moved = max(moved, max(abs(p - q) for p, q in zip(row, rows[k], strict=True)))
                rows[k] = row
            for i, v in zip(s, rows[k], strict=True):
                new[i] += v
        cap = new
        if moved < 1e-3:
            break
    x = {w: dict(zip(s, row, strict=True)) for (w, s), row in zip(sets, rows, strict=True)}
    return x, cap


def evaluate(demands: Sequence[Demand], setup: Setup, within_min: float) -> Figures:
    """Category ``i`` waits as in the pool of the windows serving it: Erlang C with
    those windows, the work they carry (of ``i`` and of the other categories they
    serve, by the balanced split) and its mean service time. Dedicated windows give
    plain M/M/c; windows all serving the same categories give the pooled M/M/c."""
    loads = [d.arrivals_per_hour * d.mean_service_min / 60.0 for d in demands]
    x, cap = _shares(loads, setup)
    # Work (erlangs) and people per hour each open window carries.
    work, people = {}, {}
    for w, row in x.items():
        work[w] = sum(loads[i] * v / cap[i] for i, v in row.items() if cap[i] > 0)
        people[w] = sum(
            demands[i].arrivals_per_hour * v / cap[i] for i, v in row.items() if cap[i] > 0
        )
    wait, within, util = [], [], []
    for i, (a, c) in enumerate(zip(loads, cap, strict=True)):
        if a == 0:
            wait.append(0.0)
            within.append(1.0)
            util.append(0.0)
            continue
        pool = [w for w, row in x.items() if row.get(i, 0) > 0]
        if c <= 1e-9 or not pool:
            wait.append(math.inf)
            within.append(0.0)
            util.append(math.inf)
            continue
        erl = sum(work[w] for w in pool)
        per_hour = sum(people[w] for w in pool)
        f = figures(per_hour, 60.0 * erl / per_hour, len(pool), within_min)
        wait.append(f["mean_wait_min"])
        within.append(f["within"])
        util.append(a / c)
    live = [i for i, a in enumerate(loads) if a > 0]
    return Figures(
        capacity=cap,
        wait=wait,
        within=within,
        utilisation=util,
        worst_within=min((within[i] for i in live), default=1.0),
        total_wait=sum(demands[i].arrivals_per_hour * wait[i] for i in live),
        max_utilisation=max((util[i] for i in live), default=0.0),
    )


def options(allowed: frozenset[int], live: set[int], per_window: int) -> list[frozenset[int]]:
    """Every set of at most ``per_window`` live categories a window may serve."""
    cats = sorted(allowed & live)
    out = []
    for k in range(1, min(per_window, len(cats)) + 1):
        out.extend(frozenset(c) for c in itertools.combinations(cats, k))
    return out


def _live(demands: Sequence[Demand]) -> set[int]:
    return {i for i, d in enumerate(demands) if d.arrivals_per_hour > 0}


def greedy(
    demands: Sequence[Demand],
    allowed: Sequence[frozenset[int]],
    clerks: int,
    per_window: int = 3,
    fill: bool = False,
) -> Setup:
    """The baseline: open the most versatile windows, and give each in turn the
    categories with the most work not yet covered (with ``fill``, always as many as
    a window may take: the broadest pooling)."""
    loads = [d.arrivals_per_hour * d.mean_service_min / 60.0 for d in demands]
    live = _live(demands)
    order = sorted(range(len(allowed)), key=lambda w: (-len(allowed[w] & live), w))
    opened = set(order[: max(0, clerks)])
    covered = [0.0] * len(demands)
    setup: list[frozenset[int]] = [frozenset()] * len(allowed)
    for w in sorted(opened, key=lambda w: (len(allowed[w] & live), w)):
        cands = sorted(allowed[w] & live, key=lambda i: (covered[i] - loads[i], i))
        if not cands:
            continue
        chosen = [cands[0]] + [i for i in cands[1:per_window] if fill or loads[i] - covered[i] > 0]
        for i in chosen:
            covered[i] += 1 / len(chosen)
        setup[w] = frozenset(chosen)
    return tuple(setup)


def heuristic(
    demands: Sequence[Demand],
    allowed: Sequence[frozenset[int]],
    clerks: int,
    within_min: float,
    per_window: int = 3,
    start: Setup | None = None,
    max_passes: int = 6,
) -> tuple[Setup, Figures]:
    """Local search from the greedy plan and from the broadest pooling (or from
    ``start``); the better of the two."""
    starts = (
        [start]
        if start is not None
        else [
            greedy(demands, allowed, clerks, per_window),
            greedy(demands, allowed, clerks, per_window, fill=True),
        ]
    )
    found = [
        _descend(demands, allowed, clerks, within_min, per_window, s, max_passes) for s in starts
    ]
    return max(found, key=lambda pair: pair[1].key)


def _descend(demands, allowed, clerks, within_min, per_window, start, max_passes):
    live = _live(demands)
    setup = list(start)
    seen: dict[Setup, Figures] = {}

    def evaluate(demands, setup, within_min):
        if setup not in seen:
            seen[setup] = _evaluate(demands, setup, within_min)
        return seen[setup]

    best = evaluate(demands, tuple(setup), within_min)
    for _ in range(max_passes):
        improved = False
        for w in range(len(setup)):
            for cand in _moves(setup, w, allowed[w], live, per_window, clerks):
                trial = setup.copy()
                trial[w] = cand
                figs = evaluate(demands, tuple(trial), within_min)
                if figs.key > best.key:
                    setup, best, improved = trial, figs, True
            if not setup[w] and sum(1 for x in setup if x) >= clerks:
                # Move an open window's work here: open this one, close that one.
                for v in range(len(setup)):
                    moved = setup[v] & allowed[w] & live
                    if not setup[v] or not moved:
                        continue
                    trial = setup.copy()
                    trial[v], trial[w] = frozenset(), frozenset(moved)
                    figs = evaluate(demands, tuple(trial), within_min)
                    if figs.key > best.key:
                        setup, best, improved = trial, figs, True
        if not improved:
            break
    return tuple(setup), best


_evaluate = evaluate


def _moves(setup, w, allowed, live, per_window, clerks):
    current = setup[w]
    usable = allowed & live
    if not current:
        if sum(1 for s in setup if s) < clerks:
            yield from (frozenset({i}) for i in sorted(usable))
        return
    for i in sorted(usable - current):
        if len(current) < per_window:
            yield current | {i}
        for j in sorted(current):
            yield (current - {j}) | {i}
    if len(current) > 1:
        for j in sorted(current):
            yield current - {j}


def exhaustive(
    demands: Sequence[Demand],
    allowed: Sequence[frozenset[int]],
    clerks: int,
    within_min: float,
    per_window: int = 3,
) -> tuple[Setup, Figures]:
    """The best plan by trying all (windows of one kind taken as a multiset)."""
    live = _live(demands)
    kinds: dict[frozenset[int], list[int]] = {}
    for w, a in enumerate(allowed):
        kinds.setdefault(a, []).append(w)
    per_kind = []
    for a, ws in kinds.items():
        opts = [frozenset()] + options(a, live, per_window)
        per_kind.append((ws, list(itertools.combinations_with_replacement(opts, len(ws)))))
    best_setup, best = None, None
    for combo in itertools.product(*(choices for _, choices in per_kind)):
        setup: list[frozenset[int]] = [frozenset()] * len(allowed)
        for (ws, _), picked in zip(per_kind, combo, strict=True):
            for w, s in zip(ws, picked, strict=True):
                setup[w] = s
        if sum(1 for s in setup if s) > clerks:
            continue
        figs = evaluate(demands, tuple(setup), within_min)
        if best is None or figs.key > best.key:
            best_setup, best = tuple(setup), figs
    return best_setup, best


@dataclass
class IntervalPlan:
    """One interval: the recommended set-up and its figures, today's set-up and its
    figures, the fewest open windows meeting the target, and the simulation check."""

    setup: Setup
    figures: Figures
    meets: bool
    today: Setup | None = None
    today_figures: Figures | None = None
    today_meets: bool | None = None
    fewest_windows: int | None = None
    simulated: Outcome | None = None
    what_ifs: dict[str, Figures] = field(default_factory=dict)


def fewest_open(
    demands: Sequence[Demand],
    allowed: Sequence[frozenset[int]],
    target: Target,
    per_window: int = 3,
) -> int | None:
    """The fewest open windows whose plan meets the target (None: not even all). It
    starts from the windows one pool of all categories would need (no plan does
    better than pooling everything), and tries the broadest pooling, improved by a
    short local search, at each count."""
    live = _live(demands)
    if not live:
        return 0
    people = sum(demands[i].arrivals_per_hour for i in live)
    work = sum(demands[i].arrivals_per_hour * demands[i].mean_service_min for i in live)
    try:
        if target.max_mean_wait_min is not None:
            n = fewest_windows_for_mean(people, work / people, target.max_mean_wait_min)
        else:
            n = fewest_windows(people, work / people, target.share, target.within_min)
    except ValueError:
        return None
    while n <= len(allowed):
        start = greedy(demands, allowed, n, per_window, fill=True)
        _, figs = _descend(demands, allowed, n, target.within_min, per_window, start, 1)
        if figs.meets(target, demands):
            return n
        n += 1
    return None


def plan_interval(
    demands: Sequence[Demand],
    allowed: Sequence[frozenset[int]],
    clerks: int,
    target: Target,
    *,
    today: Setup | None = None,
    per_window: int = 3,
    check: bool = True,
    seeds: Sequence[int] = (1, 2),
) -> IntervalPlan:
    setup, figs = heuristic(demands, allowed, clerks, target.within_min, per_window)
    plan = IntervalPlan(setup=setup, figures=figs, meets=figs.meets(target, demands))
    if today is not None:
        plan.today = today
        plan.today_figures = evaluate(demands, today, target.within_min)
        plan.today_meets = plan.today_figures.meets(target, demands)
    plan.fewest_windows = fewest_open(demands, allowed, target, per_window)
    if check and _live(demands):
        plan.simulated = simulate(
            demands, [s for s in setup if s], target.within_min, seeds=seeds, hours=4
        )
    return plan


def what_ifs(
    demands: Sequence[Demand],
    allowed: Sequence[frozenset[int]],
    clerks: int,
    target: Target,
    *,
    to_terminal: int | None = None,
    per_window: int = 3,
) -> dict[str, Figures]:
    """The best plan's figures with one clerk less, one more unrestricted window, and
    category ``to_terminal`` taken by the self-service terminal (no window needed)."""
    every = frozenset(range(len(demands)))
    out = {
        "one_clerk_less": heuristic(
            demands, allowed, max(0, clerks - 1), target.within_min, per_window
        )[1],
        "one_more_window": heuristic(
            demands, [*allowed, every], clerks + 1, target.within_min, per_window
        )[1],
    }
    if to_terminal is not None:
        moved = [
            Demand(0.0, d.mean_service_min) if i == to_terminal else d
            for i, d in enumerate(demands)
        ]
        out["to_terminal"] = heuristic(moved, allowed, clerks, target.within_min, per_window)[1]
    return out
