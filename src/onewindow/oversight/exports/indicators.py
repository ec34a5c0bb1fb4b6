"""The month's indicators as an Excel workbook: the definitions (formula, source,
period, direction, unit, threshold), then one sheet of departments and one of centers
with each indicator's value, numerator and denominator."""

from __future__ import annotations

from openpyxl import Workbook

from onewindow.core import xlsx
from onewindow.oversight.indicators import IndicatorReport, ReportRow


def _values_header(title: str, report: IndicatorReport) -> list[str]:
    out = [title]
    for ind in report.indicators:
        out += [
            f"{ind.name}（{ind.unit}）",
            f"{ind.name}分子",
            f"{ind.name}分母",
            f"{ind.name}低于阈值",
        ]
    return out


def _values(row: ReportRow) -> list:
    out = [row.label]
    for c in row.cells:
        out += [c.value, c.figure.num, c.figure.den, "是" if c.below else ""]
    return out


def indicators_workbook(report: IndicatorReport) -> Workbook:
    book = Workbook()
    xlsx.add_sheet(
        book,
        "指标定义",
        ["指标", "公式", "数据来源", "统计周期", "方向", "单位", "阈值"],
        [
            [
                i.name,
                i.formula,
                i.source,
                i.period_label,
                i.direction_label,
                i.unit,
                report.thresholds.get(i.code),
            ]
            for i in report.indicators
        ],
        first=True,
    )
    xlsx.add_sheet(
        book, "按部门", _values_header("部门", report), [_values(r) for r in report.departments]
    )
    centers = [*report.centers, report.total] if report.total else report.centers
    xlsx.add_sheet(
        book, "按中心", _values_header("服务中心", report), [_values(r) for r in centers]
    )
    return book
