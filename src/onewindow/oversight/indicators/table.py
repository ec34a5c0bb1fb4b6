"""The indicators per department and month, and rolled up per center, county network
and prefecture (sums of numerators and denominators); the thresholds that apply; the
talk list (约谈名单): departments under a threshold two months running."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from onewindow.oversight.indicators.definitions import BY_CODE, INDICATORS, Figure, Indicator
from onewindow.oversight.indicators.gathered import all_sources
from onewindow.oversight.indicators.sources import month_of
from onewindow.oversight.models import IndicatorThreshold


def months_back(month: dt.date, n: int) -> list[dt.date]:
    """The ``n`` months ending with ``month``, oldest first."""
    out = [month_of(month)]
    while len(out) < n:
        out.insert(0, month_of(out[0] - dt.timedelta(days=1)))
    return out


def parse_month(text: str | None, *, default: dt.date | None = None) -> dt.date:
    """``YYYY-MM`` from a form; anything else is the default (this month)."""
    default = default or month_of(timezone.localdate())
    text = (text or "").strip()
    try:
        year, month = (int(p) for p in text.split("-")[:2])
        value = dt.date(year, month, 1)
    except ValueError:
        return default
    return value if 2000 <= value.year <= 2100 else default


Figures = dict[str, dict[tuple[int, dt.date], Figure]]


def department_figures(dept_ids, months: list[dt.date], *, folded: bool = False) -> Figures:
    """Every indicator for these departments and months: code → {(dept, month): Figure}.
    ``folded``: the departments' sum, code → {(0, month): Figure} (``rolled(…, [0], …)``
    reads it), summed in the database where the source is a rollup."""
    dept_ids = list(dept_ids)
    if not dept_ids or not months:
        return {i.code: {} for i in INDICATORS}
    found = all_sources(dept_ids, months, folded=folded)
    return {i.code: found[i.code] for i in INDICATORS}


_NONE = Figure()


def rolled(figures: Figures, code: str, dept_ids, month: dt.date) -> Figure:
    per = figures.get(code, {})
    if type(dept_ids) is list and len(dept_ids) == 1:  # one department's (or the sum's)
        return per.get((dept_ids[0], month), _NONE)  # figures are frozen: shared
    total = Figure()
    for d in dept_ids:
        total += per.get((d, month), Figure())
    return total


@dataclass
class Cell:
    indicator: Indicator
    figure: Figure
    threshold: float | None = None

    @property
    def value(self) -> float | None:
        return self.figure.value(self.indicator.unit)

    @property
    def below(self) -> bool:
        return self.indicator.worse_than(self.value, self.threshold)

    @property
    def text(self) -> str:
        v = self.value
        if v is None:
            return "—"
        if self.indicator.unit == "%":
            return f"{v:g}%"
        return f"{int(v)}{self.indicator.unit}"

    @property
    def detail(self) -> str:
        f = self.figure
        if not f.den:
            return "无数据"
        if self.indicator.code == "compression":
            return f"{f.den}项平均"
        return f"{f.num:g}/{f.den}" if self.indicator.unit == "%" else f"共{f.den}"


def thresholds_for(center_ids) -> dict[int, dict[str, float]]:
    """center → code → threshold (set by the center, else the indicator's default)."""
    out: dict[int, dict[str, float]] = defaultdict(
        lambda: {i.code: i.default_threshold for i in INDICATORS}
    )
    rows = IndicatorThreshold.objects.filter(center_id__in=set(center_ids)).values_list(
        "center_id", "indicator", "value"
    )
    for center, code, value in rows:
        if code in BY_CODE:
            out[center][code] = float(value)
    return out


def cells(figures: Figures, dept_ids, month: dt.date, limits: dict | None = None) -> list[Cell]:
    limits = limits or {}
    return [
        Cell(i, rolled(figures, i.code, dept_ids, month), limits.get(i.code)) for i in INDICATORS
    ]


@dataclass
class TalkEntry:
    department: object
    reasons: list[tuple[Indicator, list[tuple[dt.date, Cell]]]] = field(default_factory=list)


def talk_list(departments, month: dt.date) -> list[TalkEntry]:
    """Departments under a threshold in ``month`` and the month before, with the
    figures of both months (R-SUP-2)."""
    departments = list(departments)
    months = months_back(month, 2)
    figures = department_figures([d.pk for d in departments], months)
    limits = thresholds_for(d.center_id for d in departments if d.center_id)
    out = []
    for dept in departments:
        own = limits[dept.center_id]
        entry = TalkEntry(dept)
        for ind in INDICATORS:
            pair = [
                (m, Cell(ind, rolled(figures, ind.code, [dept.pk], m), own.get(ind.code)))
                for m in months
            ]
            if all(c.below for _m, c in pair):
                entry.reasons.append((ind, pair))
        if entry.reasons:
            out.append(entry)
    return out
