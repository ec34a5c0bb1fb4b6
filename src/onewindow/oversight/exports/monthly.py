"""The monthly report as PDF (WeasyPrint, the CJK font embedded by the template's
font stack) and as an Excel workbook."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from openpyxl import Workbook

from onewindow.core import pdf, xlsx
from onewindow.oversight.exports.case_stats import header_for, row_values
from onewindow.oversight.selectors.monthly_report import MonthlyReport


def monthly_html(report: MonthlyReport) -> str:
    return render_to_string("oversight/report/monthly.html", {"report": report})


def monthly_pdf(report: MonthlyReport) -> bytes:
    """Raises ``core.pdf.PdfUnavailable`` where WeasyPrint cannot load."""
    return pdf.html_to_pdf(monthly_html(report), base_url=str(settings.BASE_DIR))


def monthly_workbook(report: MonthlyReport) -> Workbook:
    book = Workbook()
    header = ["部门"]
    for ind in report.indicators:
        header += [f"{ind.name}（{ind.unit}）", f"{ind.name}分子", f"{ind.name}分母"]
    rows = []
    for row in [*report.departments, report.total]:
        line = [row.label]
        for c in row.cells:
            line += [c.value, c.figure.num, c.figure.den]
        rows.append(line)
    xlsx.add_sheet(book, "考核指标", header, rows, first=True)
    xlsx.add_sheet(
        book,
        "指标定义",
        ["指标", "公式", "数据来源", "统计周期", "方向", "单位"],
        [
            [i.name, i.formula, i.source, i.period_label, i.direction_label, i.unit]
            for i in report.indicators
        ],
    )
    s = report.cases
    for title, rows_ in (("按部门", s.by["department"]), ("按事项", s.by["matter"])):
        xlsx.add_sheet(
            book, f"办件{title}", header_for(title[1:], s), [row_values(r) for r in rows_]
        )
    xlsx.add_sheet(
        book,
        "好差评与投诉",
        ["项目", "数量"],
        [
            ["实际评价", report.reviews],
            ["满意及以上", report.good],
            ["差评", report.bad],
            ["投诉建议", report.complaints],
            ["逾期未答复", report.complaints_overdue],
        ],
    )
    return book
