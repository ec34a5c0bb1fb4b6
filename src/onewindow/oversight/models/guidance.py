"""Guidance (导办, R-HALL-9): each visitor the guidance desk directs, what they asked
and where they were sent; and the center's complaint channels (§18)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from onewindow.catalog.models import Matter
from onewindow.org.models import Center, ScopedQuerySet


class GuidanceTopic(models.TextChoices):
    GUIDE = "guide", "咨询办事指南"
    PROGRESS = "progress", "查询办件进度"
    CERTIFICATE = "certificate", "领取证照结果"
    PRINT = "print", "打印复印材料"
    COMPLAINT = "complaint", "投诉建议"
    OTHER = "other", "其他"


class GuidanceChannel(models.TextChoices):
    WINDOW = "window", "窗口办理"
    ONLINE = "online", "网上办理"
    PHONE = "phone", "掌上/电话办理"
    TERMINAL = "terminal", "自助终端"


# The channels other than the hall's windows: the share sent there is R-HALL-9's figure.
OTHER_CHANNELS = frozenset(
    {GuidanceChannel.ONLINE, GuidanceChannel.PHONE, GuidanceChannel.TERMINAL}
)


class GuidanceQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class Guidance(models.Model):
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导办人员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField("问题", max_length=12, choices=GuidanceTopic.choices, blank=True)
    channel = models.CharField("引导去向", max_length=10, choices=GuidanceChannel.choices)

    objects = GuidanceQuerySet.as_manager()

    class Meta:
        verbose_name = "导办记录"
        verbose_name_plural = verbose_name
        ordering = ["-at"]
        indexes = [models.Index(fields=["center", "at"], name="guidance_center_at")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(matter__isnull=False) & Q(topic=""))
                | (Q(matter__isnull=True) & ~Q(topic="")),
                name="guidance_matter_or_topic",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asked} → {self.get_channel_display()}"

    @property
    def asked(self) -> str:
        return self.matter.name if self.matter_id else self.get_topic_display()


class ComplaintChannelsQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class ComplaintChannels(models.Model):
    """What a center publishes of its complaint channels (§18); the phone falls back to
    the center's complaint phone, 12345 and the portal's form are always listed."""

    center = models.OneToOneField(
        Center, on_delete=models.CASCADE, related_name="complaint_channels"
    )
    office = models.CharField("负责投诉处置的机构", max_length=100, blank=True)
    reception_place = models.CharField("投诉接待场所", max_length=200, blank=True)
    reception_hours = models.CharField("接待时间", max_length=100, blank=True)
    box_location = models.CharField("意见箱位置", max_length=200, blank=True)
    phone = models.CharField("投诉电话", max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplaintChannelsQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉渠道"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.center.name}投诉渠道"
