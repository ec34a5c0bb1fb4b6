"""The evaluation statistics as an Excel workbook: one sheet per breakdown, Chinese
headers; counts as numbers, rates as fractions shown in percent (``core.xlsx``)."""

from __future__ import annotations

from openpyxl import Workbook

from onewindow.core import xlsx
from onewindow.evaluation.selectors import EvaluationStats, Row

HEADER = [
    "名称",
    "实际评价",
    "满意及以上",
    "满意度",
    "差评",
    "差评率",
    "默认好评（另计）",
    "申诉成立不计入",
    "已报告整改",
    "按时整改",
    "整改按时率",
]
RATES = {"满意度": xlsx.PERCENT, "差评率": xlsx.PERCENT, "整改按时率": xlsx.PERCENT}


def _row(r: Row) -> list:
    return [
        r.label,
        r.total,
        r.good,
        r.satisfaction,
        r.bad,
        r.bad_rate,
        r.defaults,
        r.excluded,
        r.reported,
        r.on_time,
        r.on_time_rate,
    ]


def stats_workbook(s: EvaluationStats) -> bytes:
    wb = Workbook()
    xlsx.add_sheet(
        wb,
        "概况",
        HEADER,
        [[f"{s.start:%Y-%m-%d} 至 {s.end:%Y-%m-%d}", *_row(s.total)[1:]]],
        formats=RATES,
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
        xlsx.add_sheet(wb, title, HEADER, [_row(r) for r in rows], formats=RATES)
    xlsx.add_sheet(wb, "差评原因", ["原因", "次数"], [list(x) for x in s.top_reasons])
    xlsx.add_sheet(wb, "差评高频词", ["词语", "次数"], [list(x) for x in s.top_words])
    return xlsx.to_bytes(wb)
