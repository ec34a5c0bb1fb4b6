"""Erlang C for a pool of identical windows (M/M/c), R-HALL-4. Pure: no Django.

People arrive at random (Poisson, ``arrivals_per_hour``), each is served for an
exponential time with mean ``mean_service_min`` minutes, by any of ``windows`` windows,
first come first served. The offered load is ``a = λ·S`` erlangs. With ``c`` windows
and ``a < c``:

* Erlang B by the recursion ``B(0) = 1``, ``B(k) = a·B(k-1) / (k + a·B(k-1))`` (no
  factorials, stable for hundreds of windows);
* the probability of waiting at all ``C = c·B / (c - a·(1 - B))``;
* the mean wait ``W = C·S / (c - a)``;
* the share called within ``t`` minutes ``1 - C·exp(-(c - a)·t / S)``.

An overloaded pool (``a ≥ c``) never settles: everybody waits (``p_wait`` 1), the
mean wait grows without bound (``math.inf``) and no share is called in time (0).
"""

from __future__ import annotations

import math


def erlang_b(offered_erlangs: float, windows: int) -> float:
    """Blocking probability of ``windows`` servers offered ``offered_erlangs``."""
    if windows < 0:
        raise ValueError("windows must be ≥ 0")
    b = 1.0
    for k in range(1, windows + 1):
        b = offered_erlangs * b / (k + offered_erlangs * b)
    return b


def figures(
    arrivals_per_hour: float, mean_service_min: float, windows: int, within_min: float
) -> dict[str, float]:
    """Waiting figures of one pool: ``offered_erlangs``, ``p_wait``, ``mean_wait_min``,
    ``within`` (share called within ``within_min`` minutes) and ``utilisation``."""
    if arrivals_per_hour < 0 or mean_service_min < 0 or windows < 0 or within_min < 0:
        raise ValueError("inputs must be ≥ 0")
    a = arrivals_per_hour * mean_service_min / 60.0
    if a == 0:
        return {
            "offered_erlangs": 0.0,
            "p_wait": 0.0,
            "mean_wait_min": 0.0,
            "within": 1.0,
            "utilisation": 0.0,
        }
    if windows == 0 or a >= windows:
        return {
            "offered_erlangs": a,
            "p_wait": 1.0,
            "mean_wait_min": math.inf,
            "within": 0.0,
            "utilisation": 1.0,
        }
    b = erlang_b(a, windows)
    c_wait = windows * b / (windows - a * (1.0 - b))
    spare = windows - a
    return {
        "offered_erlangs": a,
        "p_wait": c_wait,
        "mean_wait_min": c_wait * mean_service_min / spare,
        "within": max(0.0, 1.0 - c_wait * math.exp(-spare * within_min / mean_service_min)),
        "utilisation": a / windows,
    }


def fewest_windows(
    arrivals_per_hour: float,
    mean_service_min: float,
    target_share: float,
    within_min: float,
    limit: int = 1000,
) -> int:
    """The fewest windows with at least ``target_share`` called within ``within_min``
    minutes (0 when nobody comes). ``ValueError`` past ``limit`` windows or for a
    target no pool reaches (a share above 1)."""
    if not 0 <= target_share <= 1:
        raise ValueError("target_share must lie in [0, 1]")
    a = arrivals_per_hour * mean_service_min / 60.0
    if a == 0:
        return 0
    c = max(1, math.floor(a) + 1)
    while c <= limit:
        if figures(arrivals_per_hour, mean_service_min, c, within_min)["within"] >= target_share:
            return c
        c += 1
    raise ValueError(f"no pool of at most {limit} windows meets the target")


def fewest_windows_for_mean(
    arrivals_per_hour: float, mean_service_min: float, max_mean_wait_min: float, limit: int = 1000
) -> int:
    """The fewest windows whose mean wait is at most ``max_mean_wait_min`` minutes."""
    a = arrivals_per_hour * mean_service_min / 60.0
    if a == 0:
        return 0
    c = max(1, math.floor(a) + 1)
    while c <= limit:
        if figures(arrivals_per_hour, mean_service_min, c, 0)["mean_wait_min"] <= max_mean_wait_min:
            return c
        c += 1
    raise ValueError(f"no pool of at most {limit} windows meets the target")
