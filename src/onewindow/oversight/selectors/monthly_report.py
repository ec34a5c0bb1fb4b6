"""The monthly report (R-SUP-4) of a node of the network (the prefecture, a county's
network, a center, a department): the month's indicators per department with their
formulas, the case statistics, the reviews and complaints of the month and the talk
list. Built from the same reads as the dashboard and the indicator page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from onewindow.complaints.models import Complaint
from onewindow.evaluation.models import Review
from onewindow.oversight.indicators import (
    INDICATORS,
    ReportRow,
    cells,
    department_figures,
    talk_list,
    thresholds_for,
)
from onewindow.oversight.indicators.sources import bounds, next_month
from onewindow.oversight.selectors.case_stats import CaseStats, case_stats
from onewindow.oversight.selectors.dashboard import Node, node_centers, node_departments


@dataclass
class MonthlyReport:
    node: Node
    month: dt.date
    indicators: tuple = INDICATORS
    departments: list[ReportRow] = field(default_factory=list)
    total: ReportRow | None = None
    cases: CaseStats | None = None
    reviews: int = 0
    good: int = 0
    bad: int = 0
    complaints: int = 0
    complaints_overdue: int = 0
    talks: list = field(default_factory=list)
    made_at: dt.datetime | None = None

    @property
    def satisfaction(self) -> str:
        return f"{self.good / self.reviews * 100:.1f}%" if self.reviews else "—"

    @property
    def title(self) -> str:
        return f"{self.node.label}{self.month.year}年{self.month.month}月政务服务月报"


def _within(scope, node: Node) -> Q:
    if node.kind == "d":
        return Q(department=node.obj)
    return Q(center__in=node_centers(scope=scope, node=node))


def monthly_report(*, scope, node: Node, month: dt.date) -> MonthlyReport:
    depts = list(node_departments(scope=scope, node=node).select_related("center"))
    ids = [d.pk for d in depts]
    figures = department_figures(ids, [month])
    limits = thresholds_for(d.center_id for d in depts)
    report = MonthlyReport(node=node, month=month, made_at=timezone.now())
    report.departments = [
        ReportRow(d.name, cells(figures, [d.pk], month, limits[d.center_id]), obj=d) for d in depts
    ]
    report.total = ReportRow("合计", cells(figures, ids, month), "total")
    end = next_month(month) - dt.timedelta(days=1)
    within = _within(scope, node)
    report.cases = case_stats(scope=scope, start=month, end=end, within=within)
    lo, hi = bounds([month])
    reviews = (
        Review.objects.visible_to(scope)
        .counted()
        .filter(within, created_at__gte=lo, created_at__lt=hi)
    )
    report.reviews = reviews.count()
    report.good = reviews.filter(level__gte=4).count()
    report.bad = reviews.filter(level__lte=2).count()
    complaints = Complaint.objects.visible_to(scope).filter(
        within, received_at__gte=lo, received_at__lt=hi
    )
    report.complaints = complaints.count()
    report.complaints_overdue = complaints.filter(overdue=True).count()
    report.talks = talk_list(depts, month)
    return report
