"""Open-case counts (R-SUP-4): how many running cases each center and department has,
by the figures the dashboard shows (running, warned, overdue), kept by database
triggers on ``cases_case`` (``cases/open_counts.py`` writes them; the migration
``0013_case_open_counts`` creates them), so every write of a case counts, whatever
path it takes."""

from __future__ import annotations

from django.db import models

from onewindow.org.models import Center, Department, ScopedQuerySet

# Groups of an open case (a draft is not counted), worked out from the row alone:
ALARMED = "L"  # the sweep's alarm (level 2), or decided after its due date: overdue
FOLDED = "P"  # running clock past its due date, folded by the first sweep of the day
RUNNING = "R0"  # clock running with a due date, not warned: overdue once the date passes
RUNNING_WARNED = "R1"  # the same, warned (level 1)
STANDING = "S0"  # clock standing or no due date: never overdue by its date
STANDING_WARNED = "S1"  # the same, warned
GROUPS = (ALARMED, FOLDED, RUNNING, RUNNING_WARNED, STANDING, STANDING_WARNED)
DATED = (RUNNING, RUNNING_WARNED)  # the groups whose rows carry the due date
UNDATED = "2000-01-01"  # the ``due`` of the rows of the other groups (a key is not null)
STRIPES = 4  # rows per key, by case id: concurrent writers rarely wait on one row


class CaseOpenCount(models.Model):
    """Open cases per center, department, group, due date (running groups only) and
    stripe; a figure is the sum of ``n`` over the stripes."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    grp = models.CharField("分组", max_length=2)
    due = models.DateField("承诺截止日")
    stripe = models.PositiveSmallIntegerField("分片")
    n = models.IntegerField("件数", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "在办件计数"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["center", "department", "grp", "due", "stripe"],
                name="cases_caseopencount_key",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.center_id}/{self.department_id} {self.grp} {self.due} #{self.stripe}: {self.n}"
        )
