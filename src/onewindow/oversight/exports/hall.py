"""The hall statistics as an Excel workbook: one sheet per breakdown, Chinese headers.
Counts are numbers, durations minutes (one decimal), loads hours, rates fractions
shown in percent (``core.xlsx``)."""

from __future__ import annotations

from openpyxl import Workbook

from onewindow.core import xlsx
from onewindow.oversight.selectors.hall import HallStats, Row

SHEETS = ("概况", "按业务类别", "按窗口", "按时段", "按工作人员")


def _min(seconds: float | None):
    return None if seconds is None else round(seconds / 60, 1)


def _pct(value: float | None):
    return None if value is None else round(value, 4)


COMMON = [
    "取号数",
    "办结数",
    "过号数",
    "取消数",
    "未办结数",
    "绿色通道",
    "转移",
    "平均等候（分钟）",
    "等候90%分位（分钟）",
    "平均办理（分钟）",
    "办理90%分位（分钟）",
]


def _common(r: Row) -> list:
    return [
        r.issued,
        r.served,
        r.no_show,
        r.cancelled,
        r.open,
        r.priority,
        r.transferred,
        _min(r.wait.mean),
        _min(r.wait.p90),
        _min(r.service.mean),
        _min(r.service.p90),
    ]


MINUTES = {h: xlsx.DECIMAL_1 for h in COMMON if "分钟" in h}
FORMATS = {
    **MINUTES,
    "过号率": xlsx.PERCENT,
    "负荷占比": xlsx.PERCENT,
    "负荷（小时）": xlsx.DECIMAL_2,
    "办理总时长（小时）": xlsx.DECIMAL_2,
    "与平均负荷之比": xlsx.DECIMAL_2,
}


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], *, first: bool = False):
    formats = {h: f for h, f in FORMATS.items() if h in header}
    return xlsx.add_sheet(wb, title, header, rows, formats=formats, first=first)


def stats_workbook(stats: HallStats) -> bytes:
    wb = Workbook()
    t, b = stats.total, stats.balance
    _sheet(
        wb,
        SHEETS[0],
        ["项目", "数值"],
        [
            ["服务中心", stats.center.name],
            ["统计区间", f"{stats.start:%Y-%m-%d} 至 {stats.end:%Y-%m-%d}（{stats.days}天）"],
            ["有取号的天数", stats.days_with_tickets],
            ["取号数", t.issued],
            ["办结数", t.served],
            ["过号数", t.no_show],
            ["过号率", _pct(t.no_show_rate)],
            ["取消数", t.cancelled],
            ["未办结数", t.open],
            ["绿色通道", t.priority],
            ["转移", t.transferred],
            ["平均等候（分钟）", _min(t.wait.mean)],
            ["等候90%分位（分钟）", _min(t.wait.p90)],
            ["平均办理（分钟）", _min(t.service.mean)],
            ["办理90%分位（分钟）", _min(t.service.p90)],
            ["参与比较的窗口数", len(b.shares)],
            ["窗口平均负荷（小时）", None if b.mean is None else round(b.mean / 3600, 2)],
            ["负荷变异系数", None if b.cv is None else round(b.cv, 3)],
            [
                "负荷偏高或偏低（超过平均±30%）的窗口",
                "、".join(w.label for w in stats.flagged_windows) or "无",
            ],
        ],
        first=True,
    )
    _sheet(
        wb,
        SHEETS[1],
        ["业务类别", *COMMON, "过号率"],
        [[r.label, *_common(r), _pct(r.no_show_rate)] for r in stats.categories],
    )
    _sheet(
        wb,
        SHEETS[2],
        [
            "窗口",
            "类型",
            "办结数",
            "平均等候（分钟）",
            "等候90%分位（分钟）",
            "平均办理（分钟）",
            "办理90%分位（分钟）",
            "负荷（小时）",
            "负荷占比",
            "与平均负荷之比",
            "提示",
        ],
        [
            [
                r.label,
                r.kind_label,
                r.served,
                _min(r.wait.mean),
                _min(r.wait.p90),
                _min(r.service.mean),
                _min(r.service.p90),
                round(r.service.total / 3600, 2),
                _pct(r.share),
                None if r.ratio is None else round(r.ratio, 2),
                r.flag_label,
            ]
            for r in stats.windows
        ],
    )
    _sheet(
        wb, SHEETS[3], ["时段（取号时间）", *COMMON], [[r.label, *_common(r)] for r in stats.hours]
    )
    _sheet(
        wb,
        SHEETS[4],
        [
            "工作人员",
            "办结数",
            "过号数",
            "平均等候（分钟）",
            "平均办理（分钟）",
            "办理90%分位（分钟）",
            "办理总时长（小时）",
        ],
        [
            [
                r.label,
                r.served,
                r.no_show,
                _min(r.wait.mean),
                _min(r.service.mean),
                _min(r.service.p90),
                round(r.service.total / 3600, 2),
            ]
            for r in stats.clerks
        ],
    )
    overview = wb[SHEETS[0]]
    row_formats = {**FORMATS, "窗口平均负荷（小时）": xlsx.DECIMAL_2, "负荷变异系数": "0.000"}
    for label, cell in overview.iter_rows(min_row=2, max_col=2):
        if label.value in row_formats and isinstance(cell.value, int | float):
            cell.number_format = row_formats[label.value]
    xlsx.fit_columns(overview)
    return xlsx.to_bytes(wb)
