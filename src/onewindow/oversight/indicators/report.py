"""The month's indicators as a page or a workbook reads them: one row per department
in scope, one per center (its stationed departments added up) and one for the whole
scope, each cell with its value, its numerator and denominator and whether it falls
short of the threshold that applies."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from onewindow.core.errors import NotFound
from onewindow.org.models import Center, Department
from onewindow.oversight.indicators.definitions import INDICATORS, Indicator
from onewindow.oversight.indicators.table import (
    Cell,
    cells,
    department_figures,
    thresholds_for,
)


@dataclass
class ReportRow:
    label: str
    cells: list[Cell]
    kind: str = "department"  # department, center, total
    obj: object = None

    @property
    def shortfalls(self) -> int:
        return sum(1 for c in self.cells if c.below)


@dataclass
class IndicatorReport:
    month: dt.date
    indicators: tuple[Indicator, ...]
    departments: list[ReportRow] = field(default_factory=list)
    centers: list[ReportRow] = field(default_factory=list)
    total: ReportRow | None = None
    thresholds: dict[str, float | None] = field(default_factory=dict)
    center: Center | None = None


def report_centers(*, scope):
    return Center.objects.visible_to(scope).filter(departments__isnull=False).distinct()


def indicator_report(*, scope, month: dt.date, center_id: int | None = None) -> IndicatorReport:
    center = None
    depts = Department.objects.visible_to(scope).select_related("center", "region")
    if center_id is not None:
        center = report_centers(scope=scope).filter(pk=center_id).first()
        if center is None:
            raise NotFound("center.not_found", "未找到该服务中心。")
        depts = depts.filter(center=center)
    depts = list(depts.order_by("region__path", "name"))
    figures = department_figures([d.pk for d in depts], [month])
    limits = thresholds_for(d.center_id for d in depts)
    report = IndicatorReport(month=month, indicators=INDICATORS, center=center)
    by_center: dict[int, list[int]] = defaultdict(list)
    names: dict[int, Center] = {}
    for d in depts:
        report.departments.append(
            ReportRow(d.name, cells(figures, [d.pk], month, limits[d.center_id]), obj=d)
        )
        if d.center_id:
            by_center[d.center_id].append(d.pk)
            names[d.center_id] = d.center
    for cid, ids in by_center.items():
        report.centers.append(
            ReportRow(
                names[cid].name, cells(figures, ids, month, limits[cid]), "center", names[cid]
            )
        )
    own = limits[center.pk] if center else {i.code: i.default_threshold for i in INDICATORS}
    report.thresholds = own
    report.total = ReportRow("合计", cells(figures, [d.pk for d in depts], month, own), "total")
    return report
