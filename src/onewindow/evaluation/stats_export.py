"""The evaluation statistics as an Excel workbook: one sheet per breakdown, Chinese
headers; rates in percent, one decimal."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from onewindow.evaluation.selectors import EvaluationStats, Row

HEADER = [
    "名称",
    "实际评价",
    "满意及以上",
    "满意度（%）",
    "差评",
    "差评率（%）",
    "默认好评（另计）",
    "申诉成立不计入",
    "已报告整改",
    "按时整改",
    "整改按时率（%）",
]


def _pct(value):
    return None if value is None else round(value * 100, 1)


def _row(r: Row) -> list:
    return [
        r.label,
        r.total,
        r.good,
        _pct(r.satisfaction),
        r.bad,
        _pct(r.bad_rate),
        r.defaults,
        r.excluded,
        r.reported,
        r.on_time,
        _pct(r.on_time_rate),
    ]


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(name) * 2 + 2)
    ws.freeze_panes = "A2"


def stats_workbook(s: EvaluationStats) -> bytes:
    wb = Workbook()
    _sheet(
        wb,
        "概况",
        HEADER,
        [[f"{s.start:%Y-%m-%d} 至 {s.end:%Y-%m-%d}", *_row(s.total)[1:]]],
        first=True,
    )
    for title, rows in (
        ("按月份", s.by_month),
        ("按服务中心", s.by_center),
        ("按部门", s.by_department),
        ("按工作人员", s.by_staff),
        ("按窗口", s.by_window),
        ("按事项", s.by_matter),
        ("按渠道", s.by_channel),
        ("按评价类型", s.by_kind),
    ):
        _sheet(wb, title, HEADER, [_row(r) for r in rows])
    _sheet(wb, "差评原因", ["原因", "次数"], [list(x) for x in s.top_reasons])
    _sheet(wb, "差评高频词", ["词语", "次数"], [list(x) for x in s.top_words])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
