"""The hall's zones and facilities, their daily check and faults, and the free services
counted per day (R-HALL-8, §3, §22)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from onewindow.org.models import Center, ScopedQuerySet


class CenterScoped(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class HallZone(models.Model):
    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="hall_zones"
    )
    name = models.CharField("功能区", max_length=50, help_text="如：综合受理区、等候区、自助服务区")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    objects = CenterScoped.as_manager()

    class Meta:
        verbose_name = "大厅功能区"
        verbose_name_plural = verbose_name
        ordering = ["center", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="one_zone_name_per_center")
        ]

    def __str__(self) -> str:
        return self.name


class FacilityKind(models.TextChoices):
    PRINTER = "printer", "打印机"
    COPIER = "copier", "复印机"
    WHEELCHAIR = "wheelchair", "轮椅"
    GLASSES = "glasses", "老花镜"
    CHARGER = "charger", "充电设施"
    WATER = "water", "饮水机"
    FIRST_AID = "first_aid", "急救药箱"
    CCTV = "cctv", "视频监控"
    EMERGENCY_LIGHT = "emergency_light", "应急照明"
    FIRE = "fire", "消防器材"
    TERMINAL = "terminal", "自助终端"
    OTHER = "other", "其他"


class Facility(models.Model):
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="facilities")
    zone = models.ForeignKey(
        HallZone, verbose_name="功能区", on_delete=models.PROTECT, related_name="facilities"
    )
    kind = models.CharField("类别", max_length=20, choices=FacilityKind.choices)
    name = models.CharField("名称", max_length=50)
    quantity = models.PositiveSmallIntegerField("数量", default=1)
    active = models.BooleanField("在用", default=True)

    objects = CenterScoped.as_manager()

    class Meta:
        verbose_name = "便民设施"
        verbose_name_plural = verbose_name
        ordering = ["center", "zone__order", "zone_id", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.zone.name}·{self.name}"


class FacilityCheck(models.Model):
    """The day's checklist of a hall: one per center and day."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    day = models.DateField("检查日期")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="检查人", on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField("检查时间")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = CenterScoped.as_manager()

    class Meta:
        verbose_name = "设施日常检查"
        verbose_name_plural = verbose_name
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["center", "day"], name="one_facility_check_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.day}"


class FacilityCheckItem(models.Model):
    daily = models.ForeignKey(FacilityCheck, on_delete=models.CASCADE, related_name="items")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    ok = models.BooleanField("正常")
    note = models.CharField("问题", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["daily", "facility"], name="one_item_per_facility"),
            models.CheckConstraint(condition=Q(ok=True) | ~Q(note=""), name="fault_item_named"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id}：{'正常' if self.ok else self.note}"


class FacilityFault(models.Model):
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(
        Facility, verbose_name="设施", on_delete=models.PROTECT, related_name="faults"
    )
    description = models.CharField("故障情况", max_length=200)
    reported_at = models.DateTimeField("报修时间")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    fixed_at = models.DateTimeField("修复时间", null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fix_note = models.CharField("处理情况", max_length=200, blank=True)

    objects = CenterScoped.as_manager()

    class Meta:
        verbose_name = "设施故障"
        verbose_name_plural = verbose_name
        ordering = ["fixed_at", "-reported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility"], condition=Q(fixed_at__isnull=True), name="one_open_fault"
            ),
            models.CheckConstraint(
                condition=Q(fixed_at__isnull=True) | Q(fixed_at__gte=models.F("reported_at")),
                name="fault_fixed_after_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility}：{self.description}"

    @property
    def hours_to_fix(self) -> float | None:
        if self.fixed_at is None:
            return None
        return (self.fixed_at - self.reported_at).total_seconds() / 3600


class FreeService(models.TextChoices):
    PRINTING = "printing", "免费打印"
    COPYING = "copying", "免费复印"
    MAILING = "mailing", "免费邮寄"
    FAX = "fax", "免费传真"


class FreeServiceCount(models.Model):
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    service = models.CharField("服务", max_length=10, choices=FreeService.choices)
    count = models.PositiveIntegerField("次数", default=0)

    objects = CenterScoped.as_manager()

    class Meta:
        verbose_name = "免费便民服务"
        verbose_name_plural = verbose_name
        ordering = ["-day", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "service"], name="one_count_per_service_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_service_display()} {self.count}次"
