"""The monthly rollup of complaints (``core/rollups.py``); kept by ``complaints/rollups.py``."""

from __future__ import annotations

from django.db import models

from onewindow.org.rollups import MonthlyRollup, counter


class ComplaintMonth(MonthlyRollup):
    """Complaints per subject and month: received (every kind, by the month received); complaints answered (by the month answered), those with an answer deadline and those answered on time."""

    received = counter("收到")
    answered = counter("答复的投诉")
    dated = counter("有答复期限的")
    on_time = counter("按期答复")

    class Meta:
        verbose_name = "投诉月度汇总"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_key", "month", "center", "dept_key"],
                name="complaints_complaintmonth_key",
            )
        ]
        indexes = [models.Index(fields=["subject", "month"], name="complaints_complaintmonth_sm")]
