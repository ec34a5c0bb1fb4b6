"""Case statistics (R-SUP-4): volume, channel share and on-time rate per center,
department, matter and month over a date range, in the caller's scope.

What the figures mean:
- received (收件量): cases received in the range, online drafts never sent left out;
- channel share: each channel's part of the cases received (窗口, 网上, 移动端,
  自助终端, 帮办代办);
- decided (办结): cases whose decision (准予/不予) falls in the range; on time (按时):
  decided no later than the promised due date; the on-time rate is on time ÷ decided
  with a due date (the same rule as the 按时办结率 indicator)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case

CHANNELS = list(Case.Channel.choices)
GROUPS = {
    "center": ("服务中心", "center_id", "center__name"),
    "department": ("部门", "department_id", "department__name"),
    "matter": ("事项", "matter_id", "matter__name"),
}


@dataclass
class StatRow:
    key: object
    label: str
    received: int = 0
    channels: dict[str, int] = field(default_factory=lambda: {c: 0 for c, _l in CHANNELS})
    decided: int = 0
    dated: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.dated if self.dated else None

    def share(self, channel: str) -> float | None:
        return self.channels[channel] / self.received if self.received else None

    @property
    def shares(self) -> list[tuple[str, int, float | None]]:
        return [(label, self.channels[c], self.share(c)) for c, label in CHANNELS]

    @property
    def on_time_pct(self) -> str:
        r = self.on_time_rate
        return "—" if r is None else f"{r * 100:.1f}%"


@dataclass
class CaseStats:
    start: dt.date
    end: dt.date
    total: StatRow
    by: dict[str, list[StatRow]]
    by_month: list[StatRow]
    channel_labels: list[str]


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def case_stats(
    *, scope, start: dt.date, end: dt.date, center_id: int | None = None, within=None
) -> CaseStats:
    """``within``: a further filter (a Q) on the cases, e.g. a node of the dashboard."""
    lo, hi = _bounds(start, end)
    cases = Case.objects.visible_to(scope)
    if center_id:
        cases = cases.filter(center_id=center_id)
    if within is not None:
        cases = cases.filter(within)
    cols = [
        "center_id",
        "center__name",
        "department_id",
        "department__name",
        "matter_id",
        "matter__name",
    ]
    total = StatRow(None, "合计")
    groups: dict[str, dict] = {g: {} for g in GROUPS}
    months: dict[dt.date, StatRow] = {}

    def rows_for(r: dict, day: dt.date) -> list[StatRow]:
        out = [total]
        for g, (_t, key, name) in GROUPS.items():
            out.append(groups[g].setdefault(r[key], StatRow(r[key], r[name] or "（未关联）")))
        month = day.replace(day=1)
        out.append(months.setdefault(month, StatRow(month, f"{month.year}年{month.month}月")))
        return out

    received = (
        cases.filter(received_at__gte=lo, received_at__lt=hi)
        .exclude(state=states.DRAFT)
        .values(*cols, "channel", "received_at")
    )
    for r in received:
        for row in rows_for(r, timezone.localdate(r["received_at"])):
            row.received += 1
            row.channels[r["channel"]] = row.channels.get(r["channel"], 0) + 1
    decided = cases.filter(decided_at__gte=lo, decided_at__lt=hi).values(
        *cols, "decided_at", "deadline__due"
    )
    for r in decided:
        day = timezone.localdate(r["decided_at"])
        for row in rows_for(r, day):
            row.decided += 1
            if r["deadline__due"] is not None:
                row.dated += 1
                row.on_time += day <= r["deadline__due"]
    by = {g: sorted(v.values(), key=lambda x: (-x.received, x.label)) for g, v in groups.items()}
    return CaseStats(
        start=start,
        end=end,
        total=total,
        by=by,
        by_month=[months[m] for m in sorted(months)],
        channel_labels=[label for _c, label in CHANNELS],
    )
