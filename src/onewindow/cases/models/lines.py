"""The next line of each running case (R-CASE-4), in a narrow table of its own.

A case whose promised clock runs and that has a line still to cross has one row here:
the next day the deadline sweep looks at it (the first day of its warning, then the day
after its due date). A case alarmed, or whose clock stands, has none. Kept by
``cases.services.clock`` in the same transaction as every step that moves a clock, and
by the sweep as it moves each line on.

Why a table of its own: the sweep reads the lines that have come through one small index
and moves them on; on the wide case row that moving would rewrite the row and every one
of its indexes. Here a move touches a row of two columns and two indexes, and the case
row's warning level (indexed nowhere) is updated in place."""

from __future__ import annotations

from django.db import models

from onewindow.cases.models.case import Case


class CaseLine(models.Model):
    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="line"
    )
    alert_on = models.DateField("下次预警检查日", db_index=True)

    class Meta:
        verbose_name = "办件时限检查日"
        verbose_name_plural = "办件时限检查日"

    def __str__(self) -> str:
        return f"{self.case_id} {self.alert_on:%Y-%m-%d}"
