"""The catalog indicators' monthly snapshot (``CatalogSnapshot``): the entry rate and
the time compression of every department as the catalog stands. The sweep keeps the
current month's snapshot following the catalog (at most every 15 minutes), so each month
ends with the state of its last days; the monthly-report command takes the reported
month's snapshot if none was taken. Idempotent: one row per department and month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from onewindow.core import clock
from onewindow.org.models import Department
from onewindow.oversight.indicators.definitions import Figure
from onewindow.oversight.indicators.sources import compression_now, entry_rate_now, month_of
from onewindow.oversight.models import CatalogSnapshot

EVERY = dt.timedelta(minutes=15)


@transaction.atomic
def catalog_snapshot_take(*, month: dt.date, now: dt.datetime | None = None, replace=True) -> int:
    """The month's snapshot of every department from the catalog's state now (``replace``
    False: only where the month has none). Returns the rows written."""
    now = clock.now(now)
    month = month_of(month)
    depts = list(Department.objects.values_list("pk", flat=True))
    have = set(CatalogSnapshot.objects.filter(month=month).values_list("department_id", flat=True))
    if not replace:
        depts = [d for d in depts if d not in have]
    entry, comp = entry_rate_now(depts), compression_now(depts)
    rows = []
    for dept in depts:
        e, c = entry.get(dept, Figure()), comp.get(dept, Figure())
        rows.append(
            CatalogSnapshot(
                department_id=dept,
                month=month,
                entry_num=int(e.num),
                entry_den=e.den,
                compression_sum=float(c.num),
                compression_den=c.den,
                taken_at=now,
            )
        )
    # One upsert for all: a department's row of the month is written or brought up to date.
    CatalogSnapshot.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["department", "month"],
        update_fields=["entry_num", "entry_den", "compression_sum", "compression_den", "taken_at"],
    )
    return len(rows)


@dataclass
class SnapshotResult:
    month: dt.date
    written: int

    def summary(self) -> str:
        if not self.written:
            return f"目录指标快照：{self.month:%Y年%m月}15分钟内已更新，未重复。"
        return f"目录指标快照：{self.month:%Y年%m月} {self.written} 个部门。"


def sweep(now: dt.datetime | None = None) -> SnapshotResult:
    now = clock.now(now)
    month = month_of(timezone.localdate(now))
    recent = CatalogSnapshot.objects.filter(month=month, taken_at__gt=now - EVERY).exists()
    return SnapshotResult(month, 0 if recent else catalog_snapshot_take(month=month, now=now))
