"""The model of one interval of the hall (R-HALL-4): what a set-up of the windows
gives each category. Pure: no Django.

Category ``i`` brings ``a_i = λ_i·S_i`` erlangs of work. A window open with the set
``S_w`` of categories lends its capacity to them; the split of every window's capacity
is balanced so that the categories it serves are equally busy (iterated proportional
fitting, ``_shares``). Category ``i`` then waits as in the pool of the windows serving
it (``evaluate``): Erlang C with those windows and the work they carry.

``evaluate`` computes one set-up in plain Python (the reference, and the fastest for
one). The search evaluates thousands of set-ups an interval, so ``evaluate_many``
computes a batch of them on arrays (set-up × window × category): the balancing, the
pools and Erlang C (the Erlang B recursion run for all pools at once) — the same
figures to rounding (``tests/planning/test_day.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onewindow.planning.erlang import figures
from onewindow.planning.simulate import Demand

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


class Batch:
    """The figures of many set-ups of one interval at once (arrays: set-up × category).
    ``key(b)`` is the objective of set-up ``b``; ``figures(b)`` its ``Figures``."""

    def __init__(self, demands: Sequence[Demand], setups: Sequence[Setup], within_min: float):
        self.demands = demands
        loads = np.asarray(
            [d.arrivals_per_hour * d.mean_service_min / 60.0 for d in demands], dtype=float
        )
        arrivals = np.asarray([d.arrivals_per_hour for d in demands], dtype=float)
        rows, cap = _shares(loads, setups)
        frac = np.divide(rows, cap[:, None, :], out=np.zeros_like(rows), where=cap[:, None, :] > 0)
        work, people = frac @ loads, frac @ arrivals  # per set-up and window
        serves = rows > 0
        size = serves.sum(axis=1)
        erl = np.einsum("bw,bwi->bi", work, serves)
        per_hour = np.einsum("bw,bwi->bi", people, serves)
        m = len(loads)
        live = loads > 0
        covered = live & (cap > 0) & (size > 0)
        wait, within = _erlang(per_hour, erl, size, within_min, covered)
        util = np.divide(loads, cap, out=np.full(cap.shape, np.inf), where=covered)
        wait[:, ~live], within[:, ~live], util[:, ~live] = 0.0, 1.0, 0.0
        self.cap, self.wait, self.within, self.util = cap, wait, within, util
        self.live = live
        if live.any():
            self.worst = within[:, live].min(axis=1)
            self.total = (arrivals[live] * wait[:, live]).sum(axis=1)
            finite = np.where(np.isinf(util[:, live]), -np.inf, util[:, live])
            self.busiest = np.maximum(finite.max(axis=1), 0.0)
            self.uncovered = np.isinf(util[:, live]).sum(axis=1)
        else:
            n = len(setups)
            self.worst, self.total = np.ones(n), np.zeros(n)
            self.busiest, self.uncovered = np.zeros(n), np.zeros(n, dtype=int)
        self.m = m

    def key(self, b: int) -> tuple[float, float, int, float]:
        return (
            round(float(self.worst[b]), 9),
            -float(self.total[b]),
            -int(self.uncovered[b]),
            -float(self.busiest[b]),
        )

    def figures(self, b: int) -> Figures:
        live = self.live
        return Figures(
            capacity=[float(c) for c in self.cap[b]],
            wait=[float(x) for x in self.wait[b]],
            within=[float(x) for x in self.within[b]],
            utilisation=[float(x) for x in self.util[b]],
            worst_within=float(self.worst[b]),
            total_wait=float(self.total[b]),
            max_utilisation=float(self.util[b][live].max()) if live.any() else 0.0,
        )


def _shares(loads, setups: Sequence[Setup], rounds: int = 6):
    """Balanced split of each open window's capacity, for every set-up at once:
    ``(rows, cap)`` with ``rows[b, w, i]`` the share of window ``w`` given to category
    ``i`` in set-up ``b`` and ``cap[b, i] = Σ_w rows[b, w, i]``. A window's categories
    without work are left out unless none has any. Each set-up stops when its shares
    move by less than 0.001 (at most ``rounds`` rounds)."""
    nb, nw, m = len(setups), max((len(s) for s in setups), default=0), len(loads)
    pos = frozenset(np.flatnonzero(loads > 0).tolist())
    index: dict[frozenset[int], int] = {frozenset(): 0}
    closed = (frozenset(),) * nw
    codes = [
        [index.setdefault(s, len(index)) for s in (*setup, *closed[len(setup) :])]
        for setup in setups
    ]
    table = np.zeros((len(index), m))
    for s, k in index.items():
        if s:
            table[k, list(s & pos or s)] = 1.0
    member = table[np.asarray(codes, dtype=np.intp).reshape(nb, nw)]
    sizes = member.sum(axis=2)
    rows = _normalise(member * loads, member, sizes)
    cap = rows.sum(axis=1)
    active = (sizes > 1).any(axis=1)
    for _ in range(rounds):
        if not active.any():
            break
        util = np.divide(loads, cap, out=np.zeros_like(cap), where=cap > 0)
        new = _normalise(member * (loads * util)[:, None, :], member, sizes)
        moved = np.abs(new - rows).max(axis=(1, 2))
        rows = np.where(active[:, None, None], new, rows)
        cap = np.where(active[:, None], rows.sum(axis=1), cap)
        active &= moved >= 1e-3
    return rows, cap


def _normalise(weights, member, sizes):
    total = weights.sum(axis=2)
    flat = (total <= 0) & (sizes > 0)
    out = weights / np.where(total > 0, total, 1.0)[..., None]
    if flat.any():
        out[flat] = member[flat] / sizes[flat][:, None]
    return out


def _erlang(per_hour, erl, size, within_min, covered):
    """Erlang C of every (set-up, category) pool at once, as ``erlang.figures``: the
    pool of ``size`` windows carrying ``erl`` erlangs of ``per_hour`` people."""
    safe = np.where(covered, per_hour, 1.0)
    service = 60.0 * erl / safe
    a = safe * service / 60.0
    c = size.astype(float)
    ok = covered & (a < c)
    b = np.ones_like(a)
    for k in range(1, int(size.max(initial=0)) + 1):
        step = a * b / (k + a * b)
        b = np.where(k <= size, step, b)
    spare = np.where(ok, c - a, 1.0)
    c_wait = np.where(ok, c * b / np.where(ok, c - a * (1.0 - b), 1.0), 1.0)
    wait = np.where(ok, c_wait * service / spare, np.inf)
    within = np.where(
        ok,
        np.maximum(0.0, 1.0 - c_wait * np.exp(-spare * within_min / np.where(ok, service, 1.0))),
        0.0,
    )
    return wait, within


def evaluate_many(demands: Sequence[Demand], setups: Sequence[Setup], within_min: float) -> Batch:
    """The figures of every set-up in ``setups`` (one interval), computed together."""
    return Batch(demands, list(setups), within_min)


def _shares_one(loads: Sequence[float], setup: Setup, rounds: int = 6):
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
    x, cap = _shares_one(loads, setup)
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
        if c <= 0 or not pool:
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
