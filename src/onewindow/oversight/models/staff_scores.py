"""The staff assessment's records (R-STAFF-3, R-SUP-3): the center's weights and rules
of the staff scores, the month's published 服务之星 and 红旗窗口 (fixed once published),
the year's decided grades, and the supervisors' findings of abuse (乱作为) with the
records they rest on. The arithmetic is pure: ``planning/staff_scores.py``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.org.models import Center, Department, ScopedQuerySet
from onewindow.planning.staff_scores import Weights

_W = Weights()


class CenterScopedQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class StaffScoreSettings(models.Model):
    """A center's weights and rules; a center without a row uses the defaults."""

    center = models.OneToOneField(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="+"
    )
    evaluation = models.PositiveSmallIntegerField("评价权重（%）", default=_W.evaluation)
    efficiency = models.PositiveSmallIntegerField("效能权重（%）", default=_W.efficiency)
    conduct = models.PositiveSmallIntegerField("作风权重（%）", default=_W.conduct)
    bad_review_points = models.DecimalField(
        "每条差评扣分", max_digits=5, decimal_places=1, default=_W.bad_review_points
    )
    spot_check_points = models.DecimalField(
        "每次抽查不合格扣分", max_digits=5, decimal_places=1, default=_W.spot_check_points
    )
    attitude_points = models.DecimalField(
        "每条态度差评扣分", max_digits=5, decimal_places=1, default=_W.attitude_points
    )
    absence_points = models.DecimalField(
        "每个缺勤工作日扣分", max_digits=5, decimal_places=1, default=_W.absence_points
    )
    no_data_score = models.DecimalField(
        "无数据得分", max_digits=5, decimal_places=1, default=_W.no_data_score
    )
    window_review_share = models.PositiveSmallIntegerField(
        "红旗窗口中评价占比（%）", default=_W.window_review_share
    )
    star_count = models.PositiveSmallIntegerField("每月服务之星人数", default=_W.star_count)
    normal_ratio = models.PositiveSmallIntegerField("正常优秀比例（%）", default=_W.normal_ratio)
    extra_points = models.PositiveSmallIntegerField(
        "中心上浮（百分点，10–15）", default=_W.extra_points
    )
    basic_below = models.DecimalField(
        "低于此分为基本称职", max_digits=5, decimal_places=1, default=_W.basic_below
    )
    fail_below = models.DecimalField(
        "低于此分为不称职", max_digits=5, decimal_places=1, default=_W.fail_below
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "人员考核设置"
        verbose_name_plural = "人员考核设置"

    def __str__(self) -> str:
        return f"{self.center} 人员考核设置"

    def weights(self) -> Weights:
        values = {name: getattr(self, name) for name in FIELDS}
        return Weights(**{k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()})


FIELDS = tuple(Weights.__dataclass_fields__)


class MonthHonours(models.Model):
    """The month's 服务之星 and 红旗窗口 of a center, as published: fixed afterwards."""

    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("月份")
    # [{"profile": id, "name": …, "staff_no": …, "department": …, "total": 91.5}]
    stars = models.JSONField("服务之星", default=list)
    stars_tied = models.BooleanField("并列", default=False)
    # [{"window": id, "label": "3号窗口", "score": 93.2}]
    flags = models.JSONField("红旗窗口", default=list)
    flags_tied = models.BooleanField("红旗窗口并列", default=False)
    formula = models.TextField("计分公式")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务之星与红旗窗口"
        verbose_name_plural = "服务之星与红旗窗口"
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["center", "month"], name="honours_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.month:%Y-%m}"


class YearGrades(models.Model):
    """The year's assessment grades of a center's staff, as decided within the quota."""

    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    # {profile id: {"grade": "excellent", "total": 92.1, "name": …, "staff_no": …}}
    grades = models.JSONField("等次", default=dict)
    quota = models.PositiveSmallIntegerField("优秀名额")
    quota_words = models.CharField("名额计算", max_length=200)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度考核等次"
        verbose_name_plural = "年度考核等次"
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="grades_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.year}年度"


class AbuseFindingQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}


class AbuseFinding(models.Model):
    """乱作为: a supervisor's finding against a person or a department, with the
    records it rests on (R-SUP-3)."""

    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finding = models.TextField("认定情况")
    case_numbers = models.JSONField("办件编号", default=list, blank=True)
    complaint_numbers = models.JSONField("投诉编号", default=list, blank=True)
    review_ids = models.JSONField("评价编号", default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = AbuseFindingQuerySet.as_manager()

    class Meta:
        verbose_name = "乱作为认定"
        verbose_name_plural = "乱作为认定"
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False) | models.Q(person__isnull=False),
                name="abuse_finding_names_someone",
            )
        ]

    def __str__(self) -> str:
        return f"乱作为认定 {self.pk}"
