"""The assessment of lower levels (R-SUP-3): the weights an assessing level (the
prefecture, or a county) gives each indicator in a year, with the share of the score in
the annual target assessment (年度目标责任考核); and the red and black list (红黑榜) as
published for a month, kept fixed after publication (new data never changes it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.org.models import Region


class LevelWeights(models.Model):
    """The weights (points of 100) of one assessing region's scoring of the level below
    in one year. A year without a row uses the defaults (``levels_rule.DEFAULT_WEIGHTS``)."""

    region = models.ForeignKey(
        Region, verbose_name="考核单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    weights = models.JSONField("各项权重", default=dict)
    annual_points = models.DecimalField(
        "计入年度目标责任考核的分值", max_digits=5, decimal_places=1, default=5
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "下级考核权重"
        verbose_name_plural = "下级考核权重"
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_weights_per_region_year")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年下级考核权重"


class RedBlackList(models.Model):
    """One assessing region's red and black list of a month, as published."""

    region = models.ForeignKey(
        Region, verbose_name="考核单位", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("月份")
    size = models.PositiveSmallIntegerField("红榜、黑榜各列名次")
    floor = models.DecimalField("黑榜分数线", max_digits=5, decimal_places=1)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "红黑榜"
        verbose_name_plural = "红黑榜"
        ordering = ["-month", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="one_list_per_region_month")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.month:%Y-%m} 红黑榜"


class Mark(models.TextChoices):
    RED = "red", "红榜"
    BLACK = "black", "黑榜"
    NONE = "", "—"


class RedBlackEntry(models.Model):
    """One assessed unit's place on a published list (its score then, fixed)."""

    listing = models.ForeignKey(RedBlackList, on_delete=models.CASCADE, related_name="entries")
    region = models.ForeignKey(
        Region, verbose_name="被考核单位", on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField("名次")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True)
    mark = models.CharField("上榜", max_length=6, choices=Mark.choices, blank=True)

    class Meta:
        verbose_name = "红黑榜名次"
        verbose_name_plural = "红黑榜名次"
        ordering = ["listing", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "region"], name="one_entry_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.region}"

    @property
    def is_red(self) -> bool:
        return self.mark == Mark.RED

    @property
    def is_black(self) -> bool:
        return self.mark == Mark.BLACK
