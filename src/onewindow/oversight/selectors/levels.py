"""The assessment of lower levels (R-SUP-3): the prefecture scores each county's network
(the county's center, its townships and villages), a county each township's (the
township's center and its village points), month by month, on the departments'
indicators rolled up over the unit (``oversight/indicators``, the same figures as the
dashboard's) and the network's coverage (``levels_coverage``), by the rule of
``levels_rule`` and the assessing level's weights of the year.

Scope: a reader assesses the prefecture or county regions their scope holds whole (the
prefecture's people every county, a county's its townships); anything else is not
found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from onewindow.core.errors import NotFound
from onewindow.org.models import Department, Level, Region
from onewindow.oversight import levels_rule as rule
from onewindow.oversight.indicators import INDICATORS, Cell, Figure, department_figures, rolled
from onewindow.oversight.indicators.sources import month_of
from onewindow.oversight.models import LevelWeights, RedBlackList
from onewindow.oversight.selectors.levels_coverage import Coverage, coverage

ASSESSING = (Level.PREFECTURE, Level.COUNTY)
MEASURES: tuple[rule.Measure, ...] = (
    *(
        rule.Measure(
            i.code, i.name, i.higher_is_better, float(i.default_threshold), rule.ZERO_LINES[i.code]
        )
        for i in INDICATORS
    ),
    *rule.COVERAGE,
)
FORMULAS = {**{i.code: i.formula for i in INDICATORS}, **rule.COVERAGE_FORMULAS}
UNITS = {i.code: i.unit for i in INDICATORS}


@dataclass
class Part:
    measure: rule.Measure
    weight: float
    figure: Figure
    value: float | None
    text: str
    detail: str
    points: float | None

    @property
    def formula(self) -> str:
        return FORMULAS[self.measure.code]


@dataclass
class UnitScore:
    unit: Region
    month: dt.date
    parts: list[Part]
    score: float | None
    annual_weight: float
    coverage: Coverage
    rank: int = 0

    @property
    def annual(self) -> float | None:
        return None if self.score is None else round(self.score * self.annual_weight / 100, 2)


@dataclass
class Weights:
    region: Region
    year: int
    weights: dict[str, float]
    annual_points: float
    custom: bool

    @property
    def rows(self) -> list[tuple[rule.Measure, float]]:
        return [(m, self.weights.get(m.code, 0)) for m in MEASURES]


@dataclass
class MonthTable:
    assessor: Region
    month: dt.date
    weights: Weights
    rows: list[UnitScore] = field(default_factory=list)
    published: RedBlackList | None = None


# --- who assesses whom ---------------------------------------------------------------------


def assessors(*, scope) -> list[Region]:
    """The prefecture and county regions the scope holds whole."""
    regions = Region.objects.filter(level__in=ASSESSING).order_by("path")
    if scope.everything:
        return list(regions)
    if not scope.region_paths:
        return []
    q = Q(pk__in=[])
    for path in scope.region_paths:
        q |= Q(path__startswith=path)
    return list(regions.filter(q))


def assessor_get(*, scope, region_id: int | None) -> Region:
    found = assessors(scope=scope)
    if region_id is None and found:
        return found[0]
    for region in found:
        if region.pk == region_id:
            return region
    raise NotFound("levels.not_found", "未找到该考核单位。")


def units_of(assessor: Region) -> list[Region]:
    return list(Region.objects.filter(parent=assessor).order_by("code"))


def weights_for(region: Region, year: int) -> Weights:
    row = LevelWeights.objects.filter(region=region, year=year).first()
    if row is None:
        return Weights(region, year, dict(rule.DEFAULT_WEIGHTS), rule.DEFAULT_ANNUAL_POINTS, False)
    return Weights(region, year, dict(row.weights), float(row.annual_points), True)


# --- scores ----------------------------------------------------------------------------------


def _part(measure: rule.Measure, weight: float, figure: Figure) -> Part:
    if measure.code in UNITS:
        ind = next(i for i in INDICATORS if i.code == measure.code)
        cell = Cell(ind, figure)
        value, text, detail = cell.value, cell.text, cell.detail
    else:
        value = figure.value("%")
        text = "—" if value is None else f"{value:g}%"
        detail = f"{figure.num:g}/{figure.den}" if figure.den else "无数据"
    return Part(measure, weight, figure, value, text, detail, rule.points(measure, value, weight))


def scores(assessor: Region, months: list[dt.date], units: list[Region] | None = None):
    """{(unit id, month): UnitScore} for the units assessed by ``assessor``."""
    units = units if units is not None else units_of(assessor)
    if not units:
        return {}
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(region__path__startswith=unit.path)
    depts = list(Department.objects.filter(q).values_list("pk", "region__path"))
    figures = department_figures([d for d, _p in depts], months)
    covered = coverage(units, months)
    weights = {y: weights_for(assessor, y) for y in {m.year for m in months}}
    out = {}
    for unit in units:
        ids = [d for d, path in depts if path.startswith(unit.path)]
        for month in months:
            w = weights[month.year]
            cov = covered[(unit.pk, month)]
            cov_figures = cov.figures
            parts = [
                _part(
                    m,
                    w.weights.get(m.code, 0),
                    cov_figures[m.code]
                    if m.code in cov_figures
                    else rolled(figures, m.code, ids, month),
                )
                for m in MEASURES
            ]
            total = rule.score([(p.weight, p.points) for p in parts])
            out[(unit.pk, month)] = UnitScore(unit, month, parts, total, w.annual_points, cov)
    return out


def ranked(rows: list[UnitScore]) -> list[UnitScore]:
    order = rule.rank([(r, r.score, r.unit.code) for r in rows], 0, 0)
    for r in order:
        r.key.rank = r.rank
    return [r.key for r in order]


def month_table(*, scope, region_id: int | None, month: dt.date) -> MonthTable:
    assessor = assessor_get(scope=scope, region_id=region_id)
    found = scores(assessor, [month])
    table = MonthTable(assessor, month, weights_for(assessor, month.year))
    table.rows = ranked(list(found.values()))
    table.published = RedBlackList.objects.filter(region=assessor, month=month).first()
    return table


def unit_detail(*, scope, unit_id: int | None, month: dt.date) -> tuple[Region, UnitScore]:
    unit = Region.objects.filter(pk=unit_id or 0).select_related("parent").first()
    if unit is None or unit.parent is None:
        raise NotFound("levels.not_found", "未找到该考核单位。")
    assessor = assessor_get(scope=scope, region_id=unit.parent_id)
    return assessor, scores(assessor, [month], [unit])[(unit.pk, month)]


@dataclass
class YearRow:
    unit: Region
    months: list[UnitScore]
    total: float  # the months' scores added up
    average: float | None
    annual: float | None


def year_months(year: int, today: dt.date | None = None) -> list[dt.date]:
    today = today or timezone.localdate()
    last = 12 if year < today.year else today.month if year == today.year else 0
    return [dt.date(year, m, 1) for m in range(1, last + 1)]


def year_table(*, scope, region_id: int | None, year: int) -> tuple[Region, Weights, list[YearRow]]:
    assessor = assessor_get(scope=scope, region_id=region_id)
    months = year_months(year)
    found = scores(assessor, months) if months else {}
    w = weights_for(assessor, year)
    rows = []
    for unit in units_of(assessor):
        per = [found[(unit.pk, m)] for m in months]
        average, annual = rule.annual_points([s.score for s in per], w.annual_points)
        rows.append(YearRow(unit, per, round(sum(s.score or 0 for s in per), 1), average, annual))
    rows.sort(key=lambda r: (r.average is None, -(r.average or 0), r.unit.code))
    return assessor, w, rows


# --- the published red and black lists (public) ---------------------------------------------


def published_months() -> list[dt.date]:
    return sorted(set(RedBlackList.objects.values_list("month", flat=True)), reverse=True)


def published_lists(month: dt.date) -> list[RedBlackList]:
    return list(
        RedBlackList.objects.filter(month=month)
        .select_related("region")
        .prefetch_related("entries__region")
        .order_by("region__path")
    )


def month_param(text: str | None, choices: list[dt.date]) -> dt.date | None:
    """A published month named ``YYYY-MM`` (else the latest; none published: None)."""
    for month in choices:
        if f"{month:%Y-%m}" == (text or "").strip():
            return month
    return choices[0] if choices else None


def last_finished_month(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return month_of(month_of(today) - dt.timedelta(days=1))
