"""Assessment settings of a center (R-SUP-2): the threshold each indicator must reach
for the departments stationed there. The figures themselves are computed from the
records (``oversight/indicators/``); a threshold the center has not set is the
indicator's default."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.org.models import Center, ScopedQuerySet


class ThresholdQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class IndicatorThreshold(models.Model):
    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField("指标", max_length=32)
    value = models.DecimalField("阈值", max_digits=6, decimal_places=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    objects = ThresholdQuerySet.as_manager()

    class Meta:
        verbose_name = "考核指标阈值"
        verbose_name_plural = "考核指标阈值"
        constraints = [
            models.UniqueConstraint(
                fields=["center", "indicator"], name="one_threshold_per_center_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.indicator} {self.value}"
