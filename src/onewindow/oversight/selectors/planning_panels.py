"""The planning page's panels (R-HALL-4), from a day's plan: the heat map of expected
wait per category and half hour (recommended against today's set-up), the windows'
categories per half hour, the what-ifs, the forecast against what happened, the coming
days and the roster. Reads only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from onewindow.core.calendar import calendar_for
from onewindow.oversight.selectors.planning import DayPlan, History
from onewindow.oversight.selectors.planning_roster import SOURCE_LABELS, center_roster
from onewindow.planning import forecast as fc
from onewindow.planning import plan as pl
from onewindow.planning.simulate import Demand


def minutes_text(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:.1f}"


@dataclass
class Cell:
    text: str
    level: str  # "ok", "warn" (within the target but over half of it), "over"


@dataclass
class HeatRow:
    label: str
    recommended: list[Cell]
    today: list[Cell]


def _cell(wait: float, target: pl.Target) -> Cell:
    limit = target.max_mean_wait_min or target.within_min
    if wait == float("inf"):
        return Cell("∞", "over")
    level = "over" if wait > limit else "warn" if wait > limit / 2 else "ok"
    return Cell(f"{wait:.0f}" if wait >= 1 else "<1", level)


def heat_rows(dp: DayPlan) -> list[HeatRow]:
    rows = []
    for c in dp.history.categories:
        rec, now = [], []
        for s in dp.slots:
            if s.demands[c.index].arrivals_per_hour <= 0:
                rec.append(Cell("", "none"))
                now.append(Cell("", "none"))
                continue
            rec.append(_cell(s.plan.figures.wait[c.index], dp.target))
            now.append(_cell(s.plan.today_figures.wait[c.index], dp.target))
        rows.append(HeatRow(c.label, rec, now))
    return rows


@dataclass
class WindowRow:
    label: str
    today: str
    slots: list[str]


def window_rows(dp: DayPlan) -> list[WindowRow]:
    letters = {c.index: c.letter for c in dp.history.categories}

    def text(cats) -> str:
        return "".join(letters[i] for i in sorted(cats)) or "—"

    return [
        WindowRow(str(w), text(dp.setup.today[k]), [text(s.plan.setup[k]) for s in dp.slots])
        for k, w in enumerate(dp.setup.windows)
    ]


@dataclass
class WhatIf:
    label: str
    worst_within: float
    total_wait_per_person: float
    meets: bool
    key: str = ""  # recommended, one_clerk_less, one_more_window, to_terminal

    @property
    def wait_text(self) -> str:
        return minutes_text(self.total_wait_per_person)


def what_if_rows(dp: DayPlan) -> list[WhatIf]:
    if dp.peak is None:
        return []
    people = sum(d.arrivals_per_hour for d in dp.peak.demands) or 1.0
    moved = dp.to_terminal.label if dp.to_terminal else ""
    labels = {
        "one_clerk_less": "少一名窗口人员",
        "one_more_window": "增加一个无差别综合窗口",
        "to_terminal": f"{moved}改由自助终端办理",
    }
    rows = [("recommended", "推荐方案", dp.peak.plan.figures)]
    rows += [(k, labels[k], f) for k, f in dp.what_ifs.items()]
    out = []
    for key, label, f in rows:
        demands = dp.peak.demands
        if key == "to_terminal" and dp.to_terminal is not None:
            demands = [
                Demand(0.0, d.mean_service_min) if i == dp.to_terminal.index else d
                for i, d in enumerate(demands)
            ]
        out.append(
            WhatIf(label, f.worst_within, f.total_wait / people, f.meets(dp.target, demands), key)
        )
    return out


@dataclass
class ForecastRow:
    label: str
    error: float | None
    days: list[tuple[float, float]]  # (forecast, actual) per held-back day


def forecast_rows(h: History) -> list[ForecastRow]:
    bt = h.backtest
    return [
        ForecastRow(
            c.label,
            bt.error.get(c.index),
            list(zip(bt.predicted.get(c.index, []), bt.actual.get(c.index, []), strict=True)),
        )
        for c in h.categories
    ]


def coming_days(h: History, start: dt.date, count: int = 5) -> list[tuple[dt.date, str, float]]:
    """The next working days from ``start``: the day, its pattern and the people expected."""
    cal = calendar_for(center=h.center)
    out, day = [], start
    while len(out) < count and day < start + dt.timedelta(days=40):
        if cal.is_workday(day):
            pattern = fc.pattern_of(day, cal.is_workday)
            total = sum(h.model.predict(day, pattern).values())
            out.append((day, fc.pattern_label(pattern), total))
        day += dt.timedelta(days=1)
    return out


@dataclass
class RosterRow:
    start: dt.time
    chosen: int | None  # set by the center
    clerks: int  # used by the plan
    source: str

    @property
    def field(self) -> str:
        return f"clerks-{self.start:%H%M}"


def roster_rows(dp: DayPlan) -> list[RosterRow]:
    chosen = center_roster(dp.history.center)
    return [
        RosterRow(s.start, chosen.get(s.start), s.clerks, SOURCE_LABELS[s.roster_source])
        for s in dp.slots
    ]
