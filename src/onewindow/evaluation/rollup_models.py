"""The monthly rollup of reviews (``core/rollups.py``); kept by ``evaluation/rollups.py``."""

from __future__ import annotations

from django.db import models

from onewindow.org.rollups import MonthlyRollup, counter


class ReviewMonth(MonthlyRollup):
    """Reviews per subject and month (by the month given): counted reviews (no defaults, not excluded) by level, good (4–5) and bad (1–2); excluded ones; rectifications of the month's bad reviews reported and reported on time."""

    total = counter("评价数")
    good = counter("好评")
    bad = counter("差评")
    level_1 = counter("非常不满意")
    level_2 = counter("不满意")
    level_3 = counter("基本满意")
    level_4 = counter("满意")
    level_5 = counter("非常满意")
    defaults = counter("默认好评")
    excluded = counter("申诉成立不计入")
    rect_reported = counter("已报告整改")
    rect_on_time = counter("按时整改")

    class Meta:
        verbose_name = "好差评月度汇总"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_key", "month", "center", "dept_key"],
                name="evaluation_reviewmonth_key",
            )
        ]
        indexes = [models.Index(fields=["subject", "month"], name="evaluation_reviewmonth_sm")]
