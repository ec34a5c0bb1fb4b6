"""The indicators departments are assessed on (R-SUP-2, R-EVAL-3), each defined once:
its code, Chinese name, the formula in words (shown on every page next to its value),
where the data comes from, its period, which direction is better and its unit.

A value is always a numerator over a denominator (``Figure``), so that a center, a
county's network and the prefecture add up their departments' figures before
dividing; a rate without a denominator is "no data", never zero."""

from __future__ import annotations

from dataclasses import dataclass

HIGHER, LOWER = "higher", "lower"
PERCENT, COUNT, CASES = "%", "项", "件"
COUNTS = (COUNT, CASES)
MONTH, SNAPSHOT = "month", "snapshot"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    formula: str
    source: str
    period: str  # MONTH: counted over the month; SNAPSHOT: the catalog's state, kept monthly
    direction: str  # HIGHER or LOWER is better
    unit: str  # PERCENT: num ÷ den; COUNT: num, a number of matters or cases
    default_threshold: float | None = None
    note: str = ""

    @property
    def period_label(self) -> str:
        return "按月" if self.period == MONTH else "按月快照（本月为目录当前状态）"

    @property
    def direction_label(self) -> str:
        return "越高越好" if self.direction == HIGHER else "越低越好"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == HIGHER

    def worse_than(self, value: float | None, threshold: float | None) -> bool:
        """Whether a value falls short of a threshold (no value, or no threshold: no)."""
        if value is None or threshold is None:
            return False
        return value < threshold if self.higher_is_better else value > threshold


@dataclass(frozen=True)
class Figure:
    """A numerator over a denominator; ``value`` in the indicator's unit."""

    num: float = 0
    den: int = 0

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.num + other.num, self.den + other.den)

    def value(self, unit: str) -> float | None:
        if unit in COUNTS:
            return self.num if self.den else None
        return round(self.num / self.den * 100, 1) if self.den else None


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "entry_rate",
        "进驻率",
        "进驻率 = 本部门在用实施清单中在中心内办理的事项数 ÷ 本部门在用实施清单事项数",
        "事项目录·实施清单（是否在中心外办理）",
        SNAPSHOT,
        HIGHER,
        PERCENT,
        100,
    ),
    Indicator(
        "online_rate",
        "网办率",
        "网办率 = 当月收件中经网上、移动端申请的件数 ÷ 当月收件件数，不含未提交的网上草稿",
        "办件（收件时间、申请渠道）",
        MONTH,
        HIGHER,
        PERCENT,
        30,
    ),
    Indicator(
        "on_the_spot_rate",
        "即办率",
        "即办率 = 当月作出决定的办件中受理当日即作出决定的件数 ÷ 当月作出决定的件数",
        "办件（受理时间、决定时间）",
        MONTH,
        HIGHER,
        PERCENT,
        20,
    ),
    Indicator(
        "compression",
        "承诺时限压缩率",
        "承诺时限压缩率 = 本部门在用实施清单事项现行指南的（1 − 承诺时限 ÷ 法定时限）的平均值，"
        "法定时限为0的不计",
        "事项目录·现行办事指南（法定时限、承诺时限）",
        SNAPSHOT,
        HIGHER,
        PERCENT,
        60,
    ),
    Indicator(
        "on_time_rate",
        "按时办结率",
        "按时办结率 = 当月作出决定且不晚于承诺期限的件数 ÷ 当月作出决定的件数，"
        "不含没有承诺期限的办件",
        "办件（决定时间、承诺时限截止日）",
        MONTH,
        HIGHER,
        PERCENT,
        95,
    ),
    Indicator(
        "satisfaction",
        "满意率",
        "满意率 = 当月好差评中“满意”“非常满意”的条数 ÷ 当月评价条数，"
        "不含默认好评和申诉成立后不计入的评价",
        "好差评（评价时间、评价等级）",
        MONTH,
        HIGHER,
        PERCENT,
        95,
    ),
    Indicator(
        "rectification_on_time",
        "差评整改按时率",
        "差评整改按时率 = 当月差评中已报告整改且按时整改的件数 ÷ 当月差评中已报告整改的件数",
        "好差评·差评整改（是否按时整改）",
        MONTH,
        HIGHER,
        PERCENT,
        90,
    ),
    Indicator(
        "complaints_on_time",
        "投诉按期答复率",
        "投诉按期答复率 = 当月答复的投诉中答复日期不晚于答复期限的件数 ÷ 当月答复且有答复期限的投诉件数，"
        "不含建议和表扬",
        "投诉（答复时间、答复期限）",
        MONTH,
        HIGHER,
        PERCENT,
        90,
    ),
    Indicator(
        "mailroom",
        "“收发室”迹象",
        "“收发室”迹象 = 窗口已获授权当场办结、当月本部门有办件作出决定、"
        "却没有一件由获授权的窗口人员作出决定的事项数",
        "窗口授权（可当场办结）与办件（决定人）",
        MONTH,
        LOWER,
        COUNT,
        0,
        note="窗口只收件不办理，授权形同虚设。",
    ),
    Indicator(
        "outside_loop",
        "“体外循环”迹象",
        "“体外循环”迹象 = 当月由部门作出决定的办件中，开始审查与作出决定相隔不足5分钟"
        "且未写决定意见的件数（审批未在系统内留痕、线下办完后补录）",
        "办件及办理记录（开始审查与决定的时间、决定意见）",
        MONTH,
        LOWER,
        CASES,
        0,
        note="系统内没有部门审批环节的痕迹，决定直接回到窗口。",
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
