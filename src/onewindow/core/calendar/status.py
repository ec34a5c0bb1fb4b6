"""What the calendar knows of each year (R-CASE-4): official, loaded or missing, and the
warning administrators see when a schedule is missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from onewindow.core.calendar.official import official_covers
from onewindow.core.models import CalendarYear


@dataclass(frozen=True)
class YearStatus:
    year: int
    official: bool  # the package covers it
    loaded: CalendarYear | None

    @property
    def state(self) -> str:
        if self.loaded is not None:
            return "loaded"
        return "official" if self.official else "missing"

    @property
    def label(self) -> str:
        return {"loaded": "已载入", "official": "官方数据", "missing": "未载入（暂定）"}[self.state]

    @property
    def covered(self) -> bool:
        return self.state != "missing"


def calendar_status(today: date) -> list[YearStatus]:
    """The years around today and every loaded year: official, loaded or missing."""
    loaded = {y.year: y for y in CalendarYear.objects.select_related("loaded_by")}
    years = sorted(set(range(today.year - 1, today.year + 2)) | set(loaded))
    return [YearStatus(year, official_covers(year), loaded.get(year)) for year in years]


def _covered(year: int) -> bool:
    return official_covers(year) or CalendarYear.objects.filter(year=year).exists()


def calendar_warning(today: date) -> str | None:
    """A warning for administrators when a year's official schedule is missing."""
    if not _covered(today.year):
        return (
            f"{today.year}年的官方节假日安排尚未载入，当前时限按周末推算，均为暂定。"
            "请尽快载入国务院办公厅发布的节假日安排。"
        )
    if today.month >= 10 and not _covered(today.year + 1):
        return (
            f"{today.year + 1}年的官方节假日安排尚未载入，跨入{today.year + 1}年的时限按周末推算，"
            "标为暂定。国务院办公厅公布后请及时载入，系统将自动重新计算。"
        )
    return None
