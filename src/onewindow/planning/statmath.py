"""Arithmetic of the hall statistics (R-HALL-2, R-HALL-4). Pure: no Django.

Percentiles use linear interpolation between closest ranks, the definition of
PostgreSQL's ``percentile_cont`` and NumPy's default: for sorted values x[0..n-1]
and a fraction p, the rank is h = p·(n−1); the result is
x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). The 90th percentile of 1..10 is 9.1.
Empty input gives None, never zero: "no data" is not "no waiting".

The balance of the windows' load (R-HALL-4) compares each window's load with the
mean of the windows: its ratio to the mean, flagged when it is more than a
threshold (30%) above or below; the spread of the whole hall is the coefficient of
variation (population standard deviation over the mean; 0 is perfectly even).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

HIGH = "high"
LOW = "low"
EVEN = ""


def mean(values: Iterable[float]) -> float | None:
    data = list(values)
    if not data:
        return None
    return math.fsum(data) / len(data)


def percentile(values: Iterable[float], p: float, *, presorted: bool = False) -> float | None:
    """The p-quantile (0 ≤ p ≤ 1) by linear interpolation; None for no values."""
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    data = values if presorted else sorted(values)
    if not isinstance(data, list):
        data = list(data)
    n = len(data)
    if n == 0:
        return None
    h = p * (n - 1)
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return data[lo] + (h - lo) * (data[hi] - data[lo])


@dataclass
class Summary:
    """Count, mean, 90th percentile and total of a list of durations (seconds)."""

    count: int = 0
    mean: float | None = None
    p90: float | None = None
    total: float = 0.0

    @classmethod
    def of(cls, values: Iterable[float]) -> Summary:
        data = sorted(values)
        if not data:
            return cls()
        return cls(
            count=len(data),
            mean=math.fsum(data) / len(data),
            p90=percentile(data, 0.9, presorted=True),
            total=math.fsum(data),
        )


@dataclass(frozen=True)
class WindowShare:
    key: Hashable
    load: float
    ratio: float | None  # load / mean load; None when the mean is zero
    flag: str  # HIGH, LOW or EVEN


@dataclass
class Balance:
    mean: float | None = None
    cv: float | None = None  # coefficient of variation
    threshold: float = 0.3
    shares: list[WindowShare] = field(default_factory=list)

    @property
    def flagged(self) -> list[WindowShare]:
        return [s for s in self.shares if s.flag]

    def share(self, key: Hashable) -> WindowShare | None:
        return next((s for s in self.shares if s.key == key), None)


def balance(loads: Mapping[Hashable, float], *, threshold: float = 0.3) -> Balance:
    """Each window's load against the mean of the windows (order of ``loads`` kept)."""
    if not loads:
        return Balance(threshold=threshold)
    values = list(loads.values())
    m = math.fsum(values) / len(values)
    if m == 0:
        return Balance(
            mean=0.0,
            cv=None,
            threshold=threshold,
            shares=[WindowShare(k, v, None, EVEN) for k, v in loads.items()],
        )
    sd = math.sqrt(math.fsum((v - m) ** 2 for v in values) / len(values))
    shares = []
    for key, value in loads.items():
        ratio = value / m
        # compare with a small tolerance so that exactly 30% off is not flagged by rounding
        if ratio > 1 + threshold + 1e-9:
            flag = HIGH
        elif ratio < 1 - threshold - 1e-9:
            flag = LOW
        else:
            flag = EVEN
        shares.append(WindowShare(key, value, ratio, flag))
    return Balance(mean=m, cv=sd / m, threshold=threshold, shares=shares)
