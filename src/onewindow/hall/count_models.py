"""Tickets per center, day and state (R-SUP-4: today's hall on the dashboard), kept by
database triggers on ``hall_ticket`` (``hall/day_counts.py``; the migration
``0007_ticket_day_counts`` creates them)."""

from __future__ import annotations

from django.db import models

from onewindow.org.models import Center

STRIPES = 4  # rows per key, by ticket id: concurrent writers rarely wait on one row


class TicketDayCount(models.Model):
    """Tickets of a center's day in a state, per stripe; a figure is the sum over the
    stripes."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    state = models.CharField("状态", max_length=12)
    stripe = models.PositiveSmallIntegerField("分片")
    n = models.IntegerField("张数", default=0)

    class Meta:
        verbose_name = "取号日计数"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "state", "stripe"], name="hall_ticketdaycount_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.day} {self.state} #{self.stripe}: {self.n}"
