"""What groups an applicant's cases: a "one thing" bundle application (一件事, R-CASE-7)
and an assisted major project (帮办代办, R-CASE-10). Both are seen within a center's scope."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.catalog.models import Bundle
from onewindow.core.fields import ProtectedJSONField
from onewindow.core.models import AppendOnly
from onewindow.org.models import Center, CenterUnit, ScopedQuerySet


class CenterScopedQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class BundleApplication(models.Model):
    """One application for a bundle (一件事一次办): one merged form, one deduplicated
    material list; a sub-case per matter, processed in parallel; delivered once. Its
    deadline is the longest of its parts, not their sum."""

    class State(models.TextChoices):
        OPEN = "open", "办理中"
        READY = "ready", "待出件"
        DELIVERED = "delivered", "已送达"
        CLOSED = "closed", "已终结"

    number = models.CharField("申请编号", max_length=32, unique=True)
    token = models.CharField("查询码", max_length=24, unique=True)
    bundle = models.ForeignKey(
        Bundle, verbose_name="一件事", on_delete=models.PROTECT, related_name="applications"
    )
    center = models.ForeignKey(
        Center,
        verbose_name="受理中心",
        on_delete=models.PROTECT,
        related_name="bundle_applications",
    )
    applicant = models.ForeignKey(
        "Applicant", verbose_name="申请人", on_delete=models.PROTECT, related_name="bundles"
    )
    channel = models.CharField("渠道", max_length=10, default="window")
    state = models.CharField(
        "状态", max_length=12, choices=State.choices, default=State.OPEN, db_index=True
    )
    form_data = ProtectedJSONField("合并申请表", default=dict, blank=True)
    intake_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField("收件时间", default=timezone.now)
    due = models.DateField("承诺办结日（最长子件）", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=10, blank=True)
    tracking_number = models.CharField("邮寄单号", max_length=40, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "一件事申请"
        verbose_name_plural = "一件事申请"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.number


class AssistedProject(models.Model):
    """A major project guided by an agency team before intake and followed after
    (帮办代办, R-CASE-10); the enterprise sees who its agent is."""

    class Team(models.TextChoices):
        DEVELOPMENT = "development", "发展改革"
        HOUSING = "housing", "住房和城乡建设"
        INVESTMENT = "investment", "招商引资"
        MARKET = "market", "市场监管"
        CENTER = "center", "政务服务中心"

    class State(models.TextChoices):
        GUIDING = "guiding", "前期辅导"
        FOLLOWING = "following", "跟踪办理"
        DONE = "done", "已办结"

    name = models.CharField("项目名称", max_length=200)
    applicant = models.ForeignKey(
        "Applicant", verbose_name="项目单位", on_delete=models.PROTECT, related_name="projects"
    )
    center = models.ForeignKey(
        Center, verbose_name="中心", on_delete=models.PROTECT, related_name="assisted_projects"
    )
    unit = models.ForeignKey(
        CenterUnit,
        verbose_name="代办中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    team = models.CharField("代办团队", max_length=12, choices=Team.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代办员",
        on_delete=models.PROTECT,
        related_name="assisted_projects",
    )
    state = models.CharField(
        "状态", max_length=12, choices=State.choices, default=State.GUIDING, db_index=True
    )
    description = models.TextField("项目概况", blank=True)
    investment = models.DecimalField(
        "总投资（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    started_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "帮办代办项目"
        verbose_name_plural = "帮办代办项目"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ProjectNote(AppendOnly):
    """A step of guidance or follow-up on an assisted project. Append-only."""

    project = models.ForeignKey(AssistedProject, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("记录")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "代办记录"
        verbose_name_plural = "代办记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.at:%Y-%m-%d}"
