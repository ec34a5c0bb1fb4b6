"""How a lower level's month turns into a score (R-SUP-3): pure, no Django.

Each measure (the ten indicators of ``oversight/indicators`` rolled up over the unit's
network, and three coverage measures) is worth its weight in points (the weights sum
to 100). A measure earns its whole weight at or beyond its target (达标值: the
indicator's default threshold; 100% for coverage), nothing at or beyond its zero line
(零分线), and in between a straight line:

    higher is better:  share = (value − zero) ÷ (target − zero), kept within 0…1
    lower is better:   share = (zero − value) ÷ (zero − target), kept within 0…1
    points = weight × share

A measure without data (no case decided, no review …) is left out and the score is
scaled to the weights that had data: score = 100 × Σ points ÷ Σ weights with data,
rounded to 0.1. A unit with no measure at all has no score.

The annual target assessment (年度目标责任考核) takes the year's average monthly score at
its weight: annual points = average × weight of 政务服务 ÷ 100 (e.g. 5 of 100 points)."""

from __future__ import annotations

from dataclasses import dataclass

COVERAGE_SITES, COVERAGE_STAFFED, COVERAGE_OPEN = (
    "coverage_sites",
    "coverage_staffed",
    "coverage_open",
)


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    higher_is_better: bool
    target: float
    zero: float


# Zero lines of the indicators (their targets are the indicators' default thresholds).
ZERO_LINES: dict[str, float] = {
    "entry_rate": 60,
    "online_rate": 0,
    "on_the_spot_rate": 0,
    "compression": 0,
    "on_time_rate": 60,
    "satisfaction": 60,
    "rectification_on_time": 0,
    "complaints_on_time": 0,
    "mailroom": 5,
    "outside_loop": 10,
}

COVERAGE: tuple[Measure, ...] = (
    Measure(COVERAGE_SITES, "网点覆盖率", True, 100, 0),
    Measure(COVERAGE_STAFFED, "网点有人率", True, 100, 0),
    Measure(COVERAGE_OPEN, "网点开放率", True, 100, 0),
)

COVERAGE_FORMULAS: dict[str, str] = {
    COVERAGE_SITES: "网点覆盖率 = 有服务机构的区划数 ÷ 区划数（本级及所辖乡镇、村社区：乡镇有便民服务中心，村有代办点）",
    COVERAGE_STAFFED: "网点有人率 = 当月有在岗窗口人员或代办员的服务机构数 ÷ 服务机构数",
    COVERAGE_OPEN: "网点开放率 = 当月运行中且公布办公时间或有办理记录（取号、收件、窗口签到）的服务机构数 ÷ 服务机构数",
}

# Default weights (points of 100): the indicators 72, coverage 28.
DEFAULT_WEIGHTS: dict[str, int] = {
    "entry_rate": 8,
    "online_rate": 8,
    "on_the_spot_rate": 6,
    "compression": 6,
    "on_time_rate": 12,
    "satisfaction": 12,
    "rectification_on_time": 6,
    "complaints_on_time": 6,
    "mailroom": 4,
    "outside_loop": 4,
    COVERAGE_SITES: 10,
    COVERAGE_STAFFED: 10,
    COVERAGE_OPEN: 8,
}
DEFAULT_ANNUAL_POINTS = 5.0
TOTAL = 100


def share(measure: Measure, value: float | None) -> float | None:
    """The share of the weight a value earns (None: no data)."""
    if value is None:
        return None
    if measure.target == measure.zero:
        reached = value >= measure.target if measure.higher_is_better else value <= measure.target
        return 1.0 if reached else 0.0
    if measure.higher_is_better:
        raw = (value - measure.zero) / (measure.target - measure.zero)
    else:
        raw = (measure.zero - value) / (measure.zero - measure.target)
    return min(1.0, max(0.0, raw))


def points(measure: Measure, value: float | None, weight: float) -> float | None:
    s = share(measure, value)
    return None if s is None else round(weight * s, 2)


def score(parts: list[tuple[float, float | None]]) -> float | None:
    """(weight, points or None) of every measure → the score out of 100."""
    counted = [(w, p) for w, p in parts if p is not None]
    weight = sum(w for w, _p in counted)
    if not weight:
        return None
    return round(100 * sum(p for _w, p in counted) / weight, 1)


def weights_problem(weights: dict[str, float], codes) -> str:
    """A Chinese message naming what is wrong with a set of weights, or ''."""
    codes = list(codes)
    missing = [c for c in codes if c not in weights]
    if missing or set(weights) - set(codes):
        return "权重须逐项填写每一个考核项目。"
    if any(w < 0 for w in weights.values()):
        return "权重不能为负数。"
    total = sum(weights.values())
    if abs(total - TOTAL) > 1e-9:
        return f"各项权重之和须为100分，现为{total:g}分。"
    return ""


def annual_points(
    month_scores: list[float | None], weight: float
) -> tuple[float | None, float | None]:
    """(average monthly score, points in the annual target assessment)."""
    scored = [s for s in month_scores if s is not None]
    if not scored:
        return None, None
    average = round(sum(scored) / len(scored), 1)
    return average, round(average * weight / 100, 2)


@dataclass(frozen=True)
class Ranked:
    key: object
    score: float | None
    rank: int
    mark: str  # "red", "black" or ""


def rank(scores: list[tuple[object, float | None, str]], size: int, floor: float) -> list[Ranked]:
    """(key, score, tie-breaker) → ranked, best first (equal scores share a rank and are
    listed by the tie-breaker; no score last). The red list: ranks 1…``size`` at or above
    the floor. The black list: every unit under the floor or without a score, and the
    ``size`` lowest scores (with those tied with them), never one tied with a red unit."""
    order = sorted(scores, key=lambda t: (t[1] is None, -(t[1] or 0), t[2]))
    values = [v for _k, v, _t in order]
    n = len(order)
    cut = values[max(0, n - size)] if n and size else None
    red_scores: set[float] = set()
    out = []
    for key, value, _tie in order:
        place = 1 + sum(1 for v in values if v is not None and value is not None and v > value)
        place = place if value is not None else n - values.count(None) + 1
        red = place <= size and value is not None and value >= floor
        if red:
            red_scores.add(value)
        low = value is None or value < floor or (cut is not None and value <= cut)
        black = not red and low and value not in red_scores
        out.append(Ranked(key, value, place, "red" if red else "black" if black else ""))
    return out
