"""Geometry of a small inline trend line (a sparkline) for the dashboard. Pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spark:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y …"
    dots: tuple[tuple[float, float], ...]
    last: tuple[float, float] | None

    @property
    def empty(self) -> bool:
        return not self.dots


def sparkline(
    values: list[float | None], *, width: int = 120, height: int = 28, pad: int = 3
) -> Spark:
    """Points for the values (None: a gap, not a zero); flat values sit mid-height."""
    known = [v for v in values if v is not None]
    if not known:
        return Spark(width, height, "", (), None)
    lo, hi = min(known), max(known)
    span = hi - lo
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    dots = []
    for i, v in enumerate(values):
        if v is None:
            continue
        y = height / 2 if span == 0 else pad + (hi - v) / span * (height - 2 * pad)
        dots.append((round(pad + i * step, 1), round(y, 1)))
    points = " ".join(f"{x},{y}" for x, y in dots)
    return Spark(width, height, points, tuple(dots), dots[-1])
