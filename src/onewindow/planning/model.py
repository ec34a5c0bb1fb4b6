"""The model of one interval of the hall (R-HALL-4): what a set-up of the windows
gives each category. Pure: no Django.

Category ``i`` brings ``a_i = λ_i·S_i`` erlangs of work. A window open with the set
``S_w`` of categories lends its capacity to them; the split of every window's capacity
is balanced so that the categories it serves are equally busy (iterated proportional
fitting, ``_shares``). Category ``i`` then waits as in the pool of the windows serving
it (``evaluate``): Erlang C with those windows and the work they carry.

The evaluation is the inner loop of the search (thousands of set-ups an interval), so
it is computed on arrays: windows with the same set of categories have the same split,
so the balancing runs over the distinct sets (weighted by how many windows have each)
rather than over the windows, and the per-category Erlang figures are memoised by
their inputs (a move leaves most pools as they were).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

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
        covered = live & (cap > 1e-9) & (size > 0)
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


def evaluate(demands: Sequence[Demand], setup: Setup, within_min: float) -> Figures:
    """Category ``i`` waits as in the pool of the windows serving it: Erlang C with
    those windows, the work they carry (of ``i`` and of the other categories they
    serve, by the balanced split) and its mean service time. Dedicated windows give
    plain M/M/c; windows all serving the same categories give the pooled M/M/c."""
    return Batch(demands, [setup], within_min).figures(0)
