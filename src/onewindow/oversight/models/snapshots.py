"""The monthly history of the catalog's indicators (R-SUP-2): the entry rate and the
time compression come from the catalog's state, which keeps no history; a snapshot per
department and month keeps each month's figures (numerator and denominator) so the
indicators table and the dashboard show a trend. The current month's snapshot follows
the catalog until the month ends (``services/snapshots.py``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from onewindow.org.models import Department, ScopedQuerySet


class SnapshotQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "department__center", "department": "department"}


class CatalogSnapshot(models.Model):
    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField("月份")
    entry_num = models.IntegerField("在中心办理的清单事项数", default=0)
    entry_den = models.IntegerField("在用清单事项数", default=0)
    compression_sum = models.FloatField("压缩率合计", default=0)
    compression_den = models.IntegerField("计入压缩率的事项数", default=0)
    taken_at = models.DateTimeField("快照时间", default=timezone.now)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "目录指标月度快照"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["department", "month"], name="one_catalog_snapshot_per_department_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.month:%Y-%m}"
