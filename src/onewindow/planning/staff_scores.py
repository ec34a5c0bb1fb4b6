"""The arithmetic of the staff assessment (R-STAFF-3, R-EVAL-3). Pure: no Django.

A person's score for a period (a month, a quarter or a year) has three parts, each
0–100, and the total is their weighted mean with the center's weights:

- evaluation (好差评): satisfaction × 100 − ``bad_review_points`` per bad review, where
  satisfaction = reviews naming the person rated 满意 or 非常满意 ÷ reviews naming
  them (default reviews and reviews excluded after an appeal do not count);
- efficiency (效能): the mean of the sub-scores that have data: on time = cases they
  decided on or before the promised date ÷ cases they decided with a promised date;
  speed = min(1, the center's median service time of the same categories, summed
  over their tickets ÷ their own service time); volume = min(1, tickets they served
  ÷ the median of tickets served by the center's clerks who served any);
- conduct (作风纪律): 100 − ``spot_check_points`` per failed spot check −
  ``attitude_points`` per bad review on attitude − ``absence_points`` per working day
  without a window sign-in (only for those attendance is kept for), at least 0.

A part without data (no reviews; no cases and no tickets) takes ``no_data_score``, and
says so. The words of the formula are built from the same weights (``formula_words``)
so a clerk can check the number by hand.

服务之星: the best totals among those with activity in the period (a ticket served or a
case decided); ``star_count`` places, and everyone tied with the last place is a star
too. 红旗窗口: each window's score = (1 − r) × the mean total of those who served at
it, weighted by the tickets each served there, + r × its satisfaction × 100
(r = ``window_review_share`` %; without reviews the staff part alone); the best
window, ties shown.

The year's grades: 优秀 within the quota = ⌊people assessed × (normal ratio + the
center's extra points) ÷ 100⌋, the extra points between 10 and 15 (§21: 优秀比例比正常
提高10-15个百分点); 不称职 below ``fail_below``, 基本称职 below ``basic_below``, 称职
otherwise. Only those with records of their own in the year (a ticket served or a case
decided) are proposed 优秀. A tie at the quota's edge is not split: the proposal stops
before it and names it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

EXCELLENT, COMPETENT, BASIC, INCOMPETENT = "excellent", "competent", "basic", "incompetent"
GRADE_LABELS = {
    EXCELLENT: "优秀",
    COMPETENT: "称职",
    BASIC: "基本称职",
    INCOMPETENT: "不称职",
}
EXTRA_MIN, EXTRA_MAX = 10, 15


@dataclass(frozen=True)
class Weights:
    evaluation: int = 40
    efficiency: int = 40
    conduct: int = 20
    bad_review_points: float = 5.0
    spot_check_points: float = 10.0
    attitude_points: float = 10.0
    absence_points: float = 2.0
    no_data_score: float = 80.0
    window_review_share: int = 30
    star_count: int = 3
    normal_ratio: int = 20
    extra_points: int = 15
    basic_below: float = 70.0
    fail_below: float = 60.0

    def problems(self) -> dict[str, str]:
        """What is wrong with these settings, field by field (Chinese), empty if none."""
        out = {}
        if min(self.evaluation, self.efficiency, self.conduct) < 0:
            out["evaluation"] = "权重不能为负数。"
        elif self.evaluation + self.efficiency + self.conduct != 100:
            out["evaluation"] = "三部分权重之和须为100。"
        for name in ("bad_review_points", "spot_check_points", "attitude_points", "absence_points"):
            if not 0 <= getattr(self, name) <= 100:
                out[name] = "扣分须在0到100之间。"
        if not 0 <= self.no_data_score <= 100:
            out["no_data_score"] = "无数据得分须在0到100之间。"
        if not 0 <= self.window_review_share <= 100:
            out["window_review_share"] = "评价占比须在0到100之间。"
        if not 1 <= self.star_count <= 20:
            out["star_count"] = "服务之星人数须在1到20之间。"
        if not 0 <= self.normal_ratio <= 85:
            out["normal_ratio"] = "正常优秀比例须在0到85之间。"
        if not EXTRA_MIN <= self.extra_points <= EXTRA_MAX:
            out["extra_points"] = f"中心上浮比例须在{EXTRA_MIN}到{EXTRA_MAX}个百分点之间。"
        if not 0 <= self.fail_below <= self.basic_below <= 100:
            out["basic_below"] = "须满足 0 ≤ 不称职线 ≤ 基本称职线 ≤ 100。"
        return out


@dataclass(frozen=True)
class Inputs:
    """One person's counts in the period."""

    reviews: int = 0  # counted reviews naming them
    good_reviews: int = 0  # of which 满意 / 非常满意
    bad_reviews: int = 0  # of which 差评
    cases_decided: int = 0  # decided by them, with a promised date
    cases_on_time: int = 0
    tickets: int = 0  # served (finished) by them
    service_seconds: float = 0.0  # their service time of the tickets with a time
    expected_seconds: float = 0.0  # the center's median of each such ticket's category
    spot_check_failures: int = 0
    attitude_bad_reviews: int = 0
    attendance_kept: bool = False
    missed_days: int = 0

    @property
    def active(self) -> bool:
        return bool(self.tickets or self.cases_decided)


@dataclass(frozen=True)
class Part:
    score: float
    words: str
    no_data: bool = False


@dataclass(frozen=True)
class Score:
    evaluation: Part
    efficiency: Part
    conduct: Part
    total: float


def _r(x: float) -> float:
    return round(x + 1e-9, 1)


def _pct(x: float) -> str:
    return f"{_r(x * 100)}%"


def evaluation_part(i: Inputs, w: Weights) -> Part:
    if not i.reviews:
        return Part(w.no_data_score, f"无评价，按无数据得分 {w.no_data_score:g} 计", True)
    sat = i.good_reviews / i.reviews
    score = max(0.0, sat * 100 - w.bad_review_points * i.bad_reviews)
    return Part(
        _r(score),
        f"满意率 {i.good_reviews}/{i.reviews}={_pct(sat)}，"
        f"差评 {i.bad_reviews} 条×{w.bad_review_points:g} 分",
    )


def efficiency_part(i: Inputs, w: Weights, *, median_tickets: float | None) -> Part:
    subs: list[tuple[float, str]] = []
    if i.cases_decided:
        rate = i.cases_on_time / i.cases_decided
        subs.append((rate, f"按时办结 {i.cases_on_time}/{i.cases_decided}={_pct(rate)}"))
    if i.tickets and i.service_seconds > 0 and i.expected_seconds > 0:
        speed = min(1.0, i.expected_seconds / i.service_seconds)
        subs.append(
            (
                speed,
                f"办理用时 中位用时合计 {_r(i.expected_seconds / 60)} 分"
                f"÷本人 {_r(i.service_seconds / 60)} 分={_pct(speed)}（最高100%）",
            )
        )
    if i.tickets and median_tickets:
        volume = min(1.0, i.tickets / median_tickets)
        subs.append(
            (volume, f"办理量 {i.tickets}÷中心中位数 {median_tickets:g}={_pct(volume)}（最高100%）")
        )
    if not subs:
        return Part(w.no_data_score, f"无办件和叫号，按无数据得分 {w.no_data_score:g} 计", True)
    score = math.fsum(s for s, _ in subs) / len(subs) * 100
    return Part(_r(score), "；".join(t for _, t in subs) + f"；取 {len(subs)} 项平均")


def conduct_part(i: Inputs, w: Weights) -> Part:
    score = (
        100
        - w.spot_check_points * i.spot_check_failures
        - w.attitude_points * i.attitude_bad_reviews
        - (w.absence_points * i.missed_days if i.attendance_kept else 0)
    )
    words = (
        f"100 − 抽查不合格 {i.spot_check_failures} 次×{w.spot_check_points:g} − "
        f"态度差评 {i.attitude_bad_reviews} 条×{w.attitude_points:g}"
    )
    if i.attendance_kept:
        words += f" − 缺勤 {i.missed_days} 个工作日×{w.absence_points:g}"
    return Part(_r(max(0.0, score)), words)


def score(i: Inputs, w: Weights, *, median_tickets: float | None = None) -> Score:
    e = evaluation_part(i, w)
    f = efficiency_part(i, w, median_tickets=median_tickets)
    c = conduct_part(i, w)
    total = (w.evaluation * e.score + w.efficiency * f.score + w.conduct * c.score) / 100
    return Score(e, f, c, _r(total))


def formula_words(w: Weights) -> str:
    return (
        f"总分 = 评价×{w.evaluation}% + 效能×{w.efficiency}% + 作风×{w.conduct}%。"
        f"评价 = 满意率×100 − 每条差评 {w.bad_review_points:g} 分；"
        "效能 = 按时办结率、办理用时（中心同类业务中位用时÷本人用时，最高100%）、"
        "办理量（本人办件量÷中心中位数，最高100%）中有数据各项的平均×100；"
        f"作风 = 100 − 每次抽查不合格 {w.spot_check_points:g} 分 − 每条态度差评 "
        f"{w.attitude_points:g} 分 − 每个缺勤工作日 {w.absence_points:g} 分（不低于0）；"
        f"某部分无数据时按 {w.no_data_score:g} 分计。"
    )


def median(values: Iterable[float]) -> float | None:
    data = sorted(values)
    if not data:
        return None
    mid = len(data) // 2
    return data[mid] if len(data) % 2 else (data[mid - 1] + data[mid]) / 2


# --- the month's best: stars and the red-flag window ------------------------------------------


@dataclass(frozen=True)
class Pick:
    winners: list  # the keys of those chosen, best first
    tied: bool  # a tie at the last place let more in than the places


def best(scores: Mapping, places: int) -> Pick:
    """The ``places`` best keys by score (higher is better), with all tied at the last
    place; keys compare for a stable order among equals."""
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))
    if not ranked or places < 1:
        return Pick([], False)
    cut = ranked[min(places, len(ranked)) - 1][1]
    winners = [k for k, v in ranked if v >= cut]
    return Pick(winners, len(winners) > places)


def window_score(
    staff_tickets: Mapping, totals: Mapping, good: int, reviews: int, share: int
) -> float | None:
    """(1 − share%) × ticket-weighted mean total of those who served at the window +
    share% × its satisfaction × 100; None when nobody served there."""
    weight = sum(n for k, n in staff_tickets.items() if k in totals)
    if not weight:
        return None
    staff = math.fsum(totals[k] * n for k, n in staff_tickets.items() if k in totals) / weight
    if not reviews:
        return _r(staff)
    return _r((100 - share) / 100 * staff + share / 100 * (good / reviews * 100))


# --- the year's grades --------------------------------------------------------------------------


def quota(people: int, w: Weights) -> int:
    return people * (w.normal_ratio + w.extra_points) // 100


def quota_words(people: int, w: Weights) -> str:
    return (
        f"优秀名额 = ⌊参加考核 {people} 人 ×（正常比例 {w.normal_ratio}% + 中心上浮 "
        f"{w.extra_points} 个百分点）⌋ = {quota(people, w)} 人"
    )


def grade_of(total: float, w: Weights) -> str:
    if total < w.fail_below:
        return INCOMPETENT
    if total < w.basic_below:
        return BASIC
    return COMPETENT


@dataclass
class Proposal:
    grades: dict
    quota: int
    held_back: list = field(default_factory=list)  # tied at the quota's edge, not proposed


def propose(totals: Mapping, w: Weights, *, eligible=None) -> Proposal:
    """优秀 for the best within the quota (not below ``basic_below``; only among
    ``eligible``, those with records of their own in the year, when given), the rest by
    the thresholds; a group tied across the quota's edge is held back for the center.
    The quota counts everyone assessed."""
    q = quota(len(totals), w)
    grades = {k: grade_of(v, w) for k, v in totals.items()}
    ranked = sorted(
        ((k, v) for k, v in totals.items() if eligible is None or k in eligible),
        key=lambda kv: (-kv[1], str(kv[0])),
    )
    held: list = []
    chosen = 0
    i = 0
    while i < len(ranked) and chosen < q:
        value = ranked[i][1]
        group = [k for k, v in ranked[i:] if v == value]
        if value < w.basic_below or grades[group[0]] != COMPETENT:
            break
        if chosen + len(group) > q:
            held = group
            break
        for k in group:
            grades[k] = EXCELLENT
        chosen += len(group)
        i += len(group)
    return Proposal(grades, q, held)


def over_quota(grades: Mapping, w: Weights) -> str:
    """The refusal (Chinese) when a decision gives more 优秀 than the quota, else ''."""
    excellent = sum(1 for g in grades.values() if g == EXCELLENT)
    q = quota(len(grades), w)
    if excellent <= q:
        return ""
    return (
        f"优秀 {excellent} 人，超过本中心优秀名额 {q} 人（{quota_words(len(grades), w)}），"
        "不能确定，请减少优秀人数。"
    )
