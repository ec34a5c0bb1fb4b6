"""A discrete-event simulation of the hall (R-HALL-4), on ``ciw``. Pure: no Django.

Windows serve several categories; each window may call only the categories it is set
up for. Green-channel tickets (elderly, disabled, …) are called before everyone else,
then first come first served, as in ``queueing``. Arrivals are Poisson, service
exponential with each category's mean. The simulation checks what Erlang C cannot
model: windows with different category sets, and priorities.

``simulate`` runs independent replications (one seed each) of a steady hall and gives
per category the mean wait, the share called within the target, and a 95 % confidence
interval over the replications.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

import ciw

# Two-sided 95 % Student t quantiles by degrees of freedom (1 … 30).
_T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]  # fmt: skip


def t95(dof: int) -> float:
    return _T95[dof - 1] if 1 <= dof <= len(_T95) else 1.96


# Fewer arrivals than this (one person in about a century) are no demand: the model
# and the plans treat the category as empty rather than give it a vanishing share.
NEGLIGIBLE_PER_HOUR = 1e-6


@dataclass(frozen=True)
class Demand:
    """One category: arrivals per hour, mean service in minutes, green-channel share.
    Arrivals below ``NEGLIGIBLE_PER_HOUR`` are taken as none."""

    arrivals_per_hour: float
    mean_service_min: float
    priority_share: float = 0.0

    def __post_init__(self) -> None:
        if self.arrivals_per_hour < NEGLIGIBLE_PER_HOUR:
            object.__setattr__(self, "arrivals_per_hour", 0.0)


@dataclass(frozen=True)
class Estimate:
    mean: float
    half_width: float

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    def covers(self, value: float, slack: float = 0.0) -> bool:
        return self.low - slack <= value <= self.high + slack


@dataclass
class Outcome:
    """Per category: ``mean_wait_min`` and ``within`` estimates (those still waiting at
    the end count with their wait so far), and how many were served."""

    mean_wait_min: list[Estimate] = field(default_factory=list)
    within: list[Estimate] = field(default_factory=list)
    served: list[int] = field(default_factory=list)
    worst_within: float = 1.0


def estimate(values: Sequence[float]) -> Estimate:
    if not values:
        return Estimate(0.0, 0.0)
    if len(values) == 1:
        return Estimate(values[0], math.inf)
    m = statistics.fmean(values)
    return Estimate(m, t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values)))


class RestrictedNode(ciw.Node):
    """A pool whose servers may each call only some customer classes; a free server
    calls the first waiting eligible customer of the best priority class."""

    allowed: dict[int, frozenset[str]] = {}

    def _may(self, server, ind) -> bool:
        return ind.customer_class in self.allowed.get(server.id_number, frozenset())

    def _start(self, server, ind):
        self.attach_server(server, ind)
        ind.service_start_date = self.now
        self.give_individual_a_service_time(ind)
        ind.service_end_date = self.increment_time(ind.service_start_date, ind.service_time)
        self.number_in_service += 1
        self.reset_class_change(ind)
        server.next_end_service_date = ind.service_end_date

    def begin_service_if_possible_accept(self, next_individual):
        next_individual.arrival_date = self.now
        for server in self.servers:
            if not server.busy and self._may(server, next_individual):
                self._start(server, next_individual)
                return

    def begin_service_if_possible_release(self, next_individual, newly_free_server):
        if newly_free_server is None or newly_free_server not in self.servers:
            return
        for queue in self.individuals:
            for ind in queue:
                if not ind.server and self._may(newly_free_server, ind):
                    self._start(newly_free_server, ind)
                    return


def _class_name(category: int, green: bool) -> str:
    return f"{category}{'g' if green else 'n'}"


def simulate(
    demands: Sequence[Demand],
    windows: Sequence[set[int] | frozenset[int]],
    within_min: float,
    *,
    seeds: Sequence[int] = (1, 2, 3, 4, 5),
    hours: float = 8.0,
    warmup_hours: float = 1.0,
) -> Outcome:
    """Simulate ``windows`` (each the set of category indexes it serves) facing
    ``demands``; one replication per seed, ``hours`` long after ``warmup_hours``."""
    names: list[str] = []
    arrivals, services, priorities = {}, {}, {}
    for i, d in enumerate(demands):
        for green, share in ((True, d.priority_share), (False, 1 - d.priority_share)):
            name = _class_name(i, green)
            rate = d.arrivals_per_hour * share / 60.0
            if rate <= 0:
                continue
            names.append(name)
            arrivals[name] = [ciw.dists.Exponential(rate)]
            mean = max(d.mean_service_min, 1e-6)
            services[name] = [ciw.dists.Exponential(1.0 / mean)]
            priorities[name] = 0 if green else 1
    levels = sorted(set(priorities.values()))
    priorities = {n: levels.index(p) for n, p in priorities.items()}
    allowed = {
        k + 1: frozenset(_class_name(i, g) for i in cats for g in (True, False))
        for k, cats in enumerate(windows)
    }
    node_class = type("HallNode", (RestrictedNode,), {"allowed": allowed})
    waits = [[] for _ in demands]
    shares = [[] for _ in demands]
    served = [0 for _ in demands]
    start, end = warmup_hours * 60.0, (warmup_hours + hours) * 60.0
    for seed in seeds:
        if not windows or not names:
            break
        network = ciw.create_network(
            arrival_distributions=arrivals,
            service_distributions=services,
            number_of_servers=[len(windows)],
            priority_classes=priorities,
        )
        ciw.seed(seed)
        sim = ciw.Simulation(network, node_class=node_class)
        sim.simulate_until_max_time(end)
        per_cat: list[list[float]] = [[] for _ in demands]
        for r in sim.get_all_records():
            if r.arrival_date >= start and r.record_type == "service":
                per_cat[int(r.customer_class[:-1])].append(r.waiting_time)
                served[int(r.customer_class[:-1])] += 1
        # Those still waiting at the end count with their wait so far.
        for ind in sim.nodes[1].all_individuals:
            if not ind.server and ind.arrival_date >= start:
                per_cat[int(ind.customer_class[:-1])].append(end - ind.arrival_date)
        for i, ws in enumerate(per_cat):
            if ws:
                waits[i].append(statistics.fmean(ws))
                shares[i].append(sum(w <= within_min for w in ws) / len(ws))
    out = Outcome(
        mean_wait_min=[estimate(w) for w in waits],
        within=[estimate(s) for s in shares],
        served=served,
    )
    eligible = [
        out.within[i].mean for i, d in enumerate(demands) if d.arrivals_per_hour > 0 and shares[i]
    ]
    unserved = any(
        d.arrivals_per_hour > 0 and not any(i in w for w in windows) for i, d in enumerate(demands)
    )
    out.worst_within = 0.0 if unserved else min(eligible, default=1.0)
    return out
