"""The shape every monthly rollup shares (``core/rollups.py`` keeps them): one row per
subject (center, department, clerk, window, matter), month, center and department,
so a caller's scope filters a rollup as it filters the records it counts. Subjects are
plain ids: a rollup is derived data, rebuilt from the records by a command."""

from __future__ import annotations

from django.db import models

from onewindow.org.models import Center, Department, ScopedQuerySet


def counter(label: str):
    return models.IntegerField(label, default=0, db_default=0)


def big_counter(label: str):
    return models.BigIntegerField(label, default=0, db_default=0)


class MonthlyRollup(models.Model):
    subject = models.CharField("对象类型", max_length=12)
    subject_key = models.IntegerField("对象编号")
    month = models.DateField("月份")
    center = models.ForeignKey(
        Center, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    dept_key = models.IntegerField(default=0)  # department id or 0: one key without NULL

    objects = ScopedQuerySet.as_manager()

    ROLLUP_KEY = ("subject", "subject_key", "month", "center_id", "dept_key")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_key} {self.month:%Y-%m}"
