"""The monthly rollup of tickets (``core/rollups.py``); kept by ``hall/rollups.py``."""

from __future__ import annotations

from django.db import models

from onewindow.org.rollups import MonthlyRollup, big_counter, counter


class TicketMonth(MonthlyRollup):
    """Tickets per subject and month (by the ticket's day): issued; served to the end, with the sums and counts of their waits and service times in seconds.

    Each subject's month is kept in ``STRIPES`` rows (``stripe``), a write adding to one
    of them, so that the hall's terminals and windows, which all add to their center's
    row, do not queue behind one row lock; a reader sums the stripes (a rebuild writes
    stripe 0 only)."""

    issued = counter("取号")
    served = counter("办结")
    wait_sum = big_counter("等候秒数合计")
    wait_count = counter("等候计数")
    service_sum = big_counter("办理秒数合计")
    service_count = counter("办理计数")
    stripe = models.SmallIntegerField("分片", default=0, db_default=0)

    ROLLUP_KEY = (*MonthlyRollup.ROLLUP_KEY, "stripe")
    STRIPES = 16

    class Meta:
        verbose_name = "取号月度汇总"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_key", "month", "center", "dept_key", "stripe"],
                name="hall_ticketmonth_stripe_key",
            )
        ]
        indexes = [models.Index(fields=["subject", "month"], name="hall_ticketmonth_sm")]
