"""The departments' indicators (R-SUP-2, R-EVAL-3), defined once: ``definitions`` (code,
name, formula, source, period, direction, unit), ``sources`` (where each one's figures
come from), ``table`` (per department and month, rolled up per node, thresholds and
the talk list)."""

from onewindow.oversight.indicators.definitions import BY_CODE, INDICATORS, Figure, Indicator
from onewindow.oversight.indicators.report import (
    IndicatorReport,
    ReportRow,
    indicator_report,
    report_centers,
)
from onewindow.oversight.indicators.table import (
    Cell,
    cells,
    department_figures,
    months_back,
    parse_month,
    rolled,
    talk_list,
    thresholds_for,
)

__all__ = [
    "BY_CODE",
    "INDICATORS",
    "Cell",
    "Figure",
    "Indicator",
    "IndicatorReport",
    "ReportRow",
    "indicator_report",
    "report_centers",
    "cells",
    "department_figures",
    "months_back",
    "parse_month",
    "rolled",
    "talk_list",
    "thresholds_for",
]
