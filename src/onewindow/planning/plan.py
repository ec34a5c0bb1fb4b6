"""Which categories each window serves, interval by interval (R-HALL-4). Pure.

The model of one interval (``model``): a window open with the set ``S_w`` of
categories (at most ``per_window`` of those its clerk is authorised for) lends its
capacity to them, balanced so that the categories it serves are equally busy; each
category waits as in the pool of the windows serving it (Erlang C).

The objective, in order: the worst category's share called within the target minutes
(higher is better), then the total expected wait ``Σ λ_i·W_i`` (lower), then the
highest utilisation (lower). ``heuristic`` (greedy, then local search: add, drop or
swap one category at one window, open or close a window; a window's moves evaluated
together on arrays) finds a plan in milliseconds; ``exhaustive`` tries every plan of a
small instance (windows with the same authorisations are interchangeable, so it
enumerates multisets per kind of window). ``day.plan_day`` plans a whole day.
Every recommended plan is checked by the simulation (``simulate``) before it is shown.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from onewindow.planning.erlang import fewest_windows, fewest_windows_for_mean
from onewindow.planning.model import Figures, Setup, Target, evaluate, evaluate_many
from onewindow.planning.simulate import Demand, Outcome, simulate

__all__ = ["Figures", "Setup", "Target", "evaluate"]


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
    *,
    starts: Sequence[Setup] | None = None,
    score: Callable[[Setup, Figures], tuple] | None = None,
) -> tuple[Setup, Figures]:
    """Local search from the greedy plan and from the broadest pooling (or from
    ``start``, or from each of ``starts``); the best found. ``score`` (larger is
    better) replaces the objective ``Figures.key`` (the day's plan adds the cost of
    changing a window). The descents share the set-ups already evaluated."""
    if starts is None:
        starts = (
            [start]
            if start is not None
            else [
                greedy(demands, allowed, clerks, per_window),
                greedy(demands, allowed, clerks, per_window, fill=True),
            ]
        )
    seen: dict[Setup, tuple[Figures, tuple]] = {}
    found = [
        _descend(demands, allowed, clerks, within_min, per_window, s, max_passes, seen, score)
        for s in dict.fromkeys(tuple(s) for s in starts)
    ]
    setup, figs, _ = max(found, key=lambda triple: triple[2])
    return setup, figs


def _descend(
    demands, allowed, clerks, within_min, per_window, start, max_passes, seen=None, score=None
):
    """Local search: at each window in turn, the best of its moves (add, drop or swap
    one category, open it; or, when every clerk is busy and it is closed, take over one
    open window's work), all evaluated together; it stops when a whole pass finds no
    improving move. ``seen`` keeps the set-ups already judged (shared by descents)."""
    live = _live(demands)
    setup = list(start)
    seen = {} if seen is None else seen

    def judge(trials: list[Setup]) -> list[tuple[Figures | None, tuple]]:
        fresh = [t for t in dict.fromkeys(trials) if t not in seen]
        if fresh:
            batch = evaluate_many(demands, fresh, within_min)
            for b, t in enumerate(fresh):
                key = batch.key(b)
                seen[t] = (batch, b, key if score is None else score(t, key))
        return [seen[t] for t in trials]

    ((batch, b, best_key),) = judge([tuple(setup)])
    best = (batch, b)
    for _ in range(max_passes):
        improved = False
        for w in range(len(setup)):
            trials = []
            for cand in _moves(setup, w, allowed[w], live, per_window, clerks):
                trial = setup.copy()
                trial[w] = cand
                trials.append(tuple(trial))
            if not setup[w] and sum(1 for x in setup if x) >= clerks:
                # Move an open window's work here: open this one, close that one.
                for v in range(len(setup)):
                    moved = setup[v] & allowed[w] & live
                    if setup[v] and moved:
                        trial = setup.copy()
                        trial[v], trial[w] = frozenset(), frozenset(moved)
                        trials.append(tuple(trial))
            if not trials:
                continue
            for trial, (batch, b, key) in zip(trials, judge(trials), strict=True):
                if key > best_key:
                    setup, best, best_key, improved = list(trial), (batch, b), key, True
        if not improved:
            break
    return tuple(setup), best[0].figures(best[1]), best_key


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
    batch: int = 1,
) -> tuple[Setup, Figures]:
    """The best plan by trying all (windows of one kind taken as a multiset), one at a
    time, or ``batch`` at a time on arrays (the same figures)."""
    best_setup, best_key, best = None, None, None
    chunk: list[Setup] = []

    def judge() -> None:
        nonlocal best_setup, best_key, best
        found = evaluate_many(demands, chunk, within_min)
        for b, setup in enumerate(chunk):
            key = found.key(b)
            if best_key is None or key > best_key:
                best_setup, best_key, best = setup, key, (found, b)
        chunk.clear()

    for setup in _every_plan(demands, allowed, clerks, per_window):
        chunk.append(setup)
        if len(chunk) >= batch:
            judge()
    if chunk:
        judge()
    return best_setup, best[0].figures(best[1])


def _every_plan(demands, allowed, clerks, per_window):
    live = _live(demands)
    kinds: dict[frozenset[int], list[int]] = {}
    for w, a in enumerate(allowed):
        kinds.setdefault(a, []).append(w)
    per_kind = []
    for a, ws in kinds.items():
        opts = [frozenset()] + options(a, live, per_window)
        per_kind.append((ws, list(itertools.combinations_with_replacement(opts, len(ws)))))
    for combo in itertools.product(*(choices for _, choices in per_kind)):
        setup: list[frozenset[int]] = [frozenset()] * len(allowed)
        for (ws, _), picked in zip(per_kind, combo, strict=True):
            for w, s in zip(ws, picked, strict=True):
                setup[w] = s
        if sum(1 for s in setup if s) <= clerks:
            yield tuple(setup)


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
    clerks: int | None = None  # clerks on the roster in the interval
    changes: int = 0  # windows whose categories differ from the interval before


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
        _, figs, _ = _descend(demands, allowed, n, target.within_min, per_window, start, 1)
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
    found: tuple[Setup, Figures] | None = None,
) -> IntervalPlan:
    """The plan of one interval (``found``: a set-up already searched for, as the
    day's plan does) with today's figures, the fewest windows and the check."""
    setup, figs = found or heuristic(demands, allowed, clerks, target.within_min, per_window)
    plan = IntervalPlan(setup=setup, figures=figs, meets=figs.meets(target, demands), clerks=clerks)
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
