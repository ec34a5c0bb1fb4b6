"""Case statistics as an Excel workbook: one sheet per breakdown (center, department,
matter, month), counts as numbers, shares and rates as fractions shown in percent."""

from __future__ import annotations

from openpyxl import Workbook

from onewindow.core import xlsx
from onewindow.oversight.selectors.case_stats import GROUPS, CaseStats, StatRow


def header_for(title: str, s: CaseStats) -> list[str]:
    shares = []
    for label in s.channel_labels:
        shares += [f"{label}件数", f"{label}占比"]
    return [title, "收件量", *shares, "办结量", "有承诺期限", "按时办结", "按时办结率"]


def row_values(r: StatRow) -> list:
    shares = []
    for _label, n, share in r.shares:
        shares += [n, share]
    return [r.label, r.received, *shares, r.decided, r.dated, r.on_time, r.on_time_rate]


def case_stats_workbook(s: CaseStats) -> Workbook:
    book = Workbook()
    first = True
    sheets = [("合计", "范围", [s.total])]
    sheets += [(f"按{t}", t, s.by[g]) for g, (t, _k, _n) in GROUPS.items()]
    sheets.append(("按月份", "月份", s.by_month))
    for sheet, title, rows in sheets:
        header = header_for(title, s)
        rates = {h: xlsx.PERCENT for h in header if h.endswith("占比") or h.endswith("率")}
        xlsx.add_sheet(
            book, sheet, header, [row_values(r) for r in rows], formats=rates, first=first
        )
        first = False
    return book
