"""Case statistics (R-SUP-4): volume, channel share and on-time rate per center,
department, matter and month over a date range, in the caller's scope.

What the figures mean:
- received (收件量): cases received in the range, online drafts never sent left out;
- channel share: each channel's part of the cases received (窗口, 网上, 移动端,
  自助终端, 帮办代办);
- decided (办结): cases whose decision (准予/不予) falls in the range; on time (按时):
  decided no later than the promised due date; the on-time rate is on time ÷ decided
  with a due date (the same rule as the 按时办结率 indicator).

Whole months come from the monthly rollup the case services keep; the days of a month
the range only partly covers are counted from the cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case, CaseMonth
from onewindow.catalog.models import Matter
from onewindow.core.rollups import CENTER, DEPARTMENT, MATTER, whole_months
from onewindow.org.models import Center, Department

CHANNELS = list(Case.Channel.choices)
GROUPS = {
    CENTER: ("服务中心", "center_id", "center__name"),
    DEPARTMENT: ("部门", "department_id", "department__name"),
    MATTER: ("事项", "matter_id", "matter__name"),
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


ROLLED = ("received", *(f"received_{c}" for c, _l in CHANNELS), "decided", "dated", "on_time")


def _add_rolled(row: StatRow, r: dict) -> None:
    row.received += r["received"]
    for c, _l in CHANNELS:
        row.channels[c] = row.channels.get(c, 0) + r[f"received_{c}"]
    row.decided += r["decided"]
    row.dated += r["dated"]
    row.on_time += r["on_time"]


def case_stats(
    *, scope, start: dt.date, end: dt.date, center_id: int | None = None, within=None
) -> CaseStats:
    """``within``: a further filter (a Q on center and department) on the cases, e.g. a
    node of the dashboard. Whole months are read from the monthly rollup
    (``cases.CaseMonth``), the days of a month begun or not ended from the cases."""
    months, spans = whole_months(start, end)
    total = StatRow(None, "合计")
    groups: dict[str, dict] = {g: {} for g in GROUPS}
    by_month: dict[dt.date, StatRow] = {}

    def month_row(month: dt.date) -> StatRow:
        return by_month.setdefault(month, StatRow(month, f"{month.year}年{month.month}月"))

    if months:
        rows = CaseMonth.objects.visible_to(scope).filter(
            month__in=months, subject__in=[CENTER, DEPARTMENT, MATTER]
        )
        if center_id:
            rows = rows.filter(center_id=center_id)
        if within is not None:
            rows = rows.filter(within)
        sums = {c: Sum(c) for c in ROLLED}
        got = list(rows.values("subject", "subject_key", "month").annotate(**sums))
        names = _names(got)
        for r in got:
            subject, key = r["subject"], r["subject_key"]
            if subject == CENTER:
                _add_rolled(total, r)
                _add_rolled(month_row(r["month"]), r)
            row = groups[subject].setdefault(
                key, StatRow(key, names[subject].get(key, "（未关联）"))
            )
            _add_rolled(row, r)
    for lo_day, hi_day in spans:
        _from_records(scope, lo_day, hi_day, center_id, within, total, groups, month_row)
    by = {g: sorted(v.values(), key=lambda x: (-x.received, x.label)) for g, v in groups.items()}
    return CaseStats(
        start=start,
        end=end,
        total=total,
        by=by,
        by_month=[by_month[m] for m in sorted(by_month)],
        channel_labels=[label for _c, label in CHANNELS],
    )


def _names(rows: list[dict]) -> dict[str, dict[int, str]]:
    ids: dict[str, set[int]] = {g: set() for g in GROUPS}
    for r in rows:
        ids[r["subject"]].add(r["subject_key"])
    return {
        CENTER: dict(
            Center.objects.filter(pk__in=ids[CENTER]).order_by().values_list("pk", "name")
        ),
        DEPARTMENT: dict(
            Department.objects.filter(pk__in=ids[DEPARTMENT]).order_by().values_list("pk", "name")
        ),
        MATTER: dict(
            Matter.objects.filter(pk__in=ids[MATTER]).order_by().values_list("pk", "name")
        ),
    }


def _from_records(scope, start, end, center_id, within, total, groups, month_row) -> None:
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

    def rows_for(r: dict, day: dt.date) -> list[StatRow]:
        out = [total]
        for g, (_t, key, name) in GROUPS.items():
            out.append(groups[g].setdefault(r[key], StatRow(r[key], r[name] or "（未关联）")))
        out.append(month_row(day.replace(day=1)))
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
