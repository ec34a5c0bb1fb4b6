"""Leader duty (领导坐班, R-SUP-1, R-SUP-3): who must sit at a center (the roster), each
sitting signed in and out, the problems found and the walks through a process (走流程).

The rule of how much sitting is enough lives in one place: ``oversight/duty_rule.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.org.models import Center, Department, Region, ScopedQuerySet, StaffProfile


class DutyKind(models.TextChoices):
    HEAD = "head", "部门主要领导"
    DEPUTY = "deputy", "部门分管领导"
    COUNTY = "county", "县级领导"


class CountyDutySettingQuerySet(ScopedQuerySet):
    scope_lookups = {"center": None, "department": None, "region_path": "region__path"}


class CountyDutySetting(models.Model):
    """Whether a county adopts county leaders' duty (县级领导坐班制) and how much."""

    region = models.OneToOneField(
        Region, verbose_name="县市", on_delete=models.CASCADE, related_name="duty_setting"
    )
    adopted = models.BooleanField("实行县级领导坐班", default=False)
    half_days_per_quarter = models.PositiveSmallIntegerField(
        "每季度最少坐班半天数", default=6, help_text="一个全天按两个半天计。"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CountyDutySettingQuerySet.as_manager()

    class Meta:
        verbose_name = "县级领导坐班设置"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.region.name}县级领导坐班"


class DutyPostQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}


class DutyPost(models.Model):
    """A leader on a center's duty roster, with the kind that sets the minimum."""

    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="duty_posts"
    )
    leader = models.ForeignKey(
        StaffProfile, verbose_name="领导", on_delete=models.PROTECT, related_name="duty_posts"
    )
    kind = models.CharField("类别", max_length=10, choices=DutyKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_posts",
    )
    active = models.BooleanField("在册", default=True)
    since = models.DateField("列入排班日期")
    note = models.CharField("备注", max_length=100, blank=True)

    objects = DutyPostQuerySet.as_manager()

    class Meta:
        verbose_name = "领导坐班排班"
        verbose_name_plural = verbose_name
        ordering = ["center", "department__name", "kind", "leader__user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "leader"], name="one_duty_post_per_center"),
            models.CheckConstraint(
                condition=Q(kind="county", department__isnull=True)
                | (~Q(kind="county") & Q(department__isnull=False)),
                name="duty_post_department_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader.user.full_name}（{self.get_kind_display()}）"


class SignVia(models.TextChoices):
    QR = "qr", "扫码"
    DESK = "desk", "管理员登记"


class DutySittingQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "post__department"}


class DutySitting(models.Model):
    """One sitting: signed in at the center, signed out when the leader leaves."""

    post = models.ForeignKey(DutyPost, on_delete=models.PROTECT, related_name="sittings")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("签到时间", db_index=True)
    ended_at = models.DateTimeField("签退时间", null=True, blank=True)
    in_via = models.CharField("签到方式", max_length=6, choices=SignVia.choices)
    out_via = models.CharField("签退方式", max_length=6, choices=SignVia.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = DutySittingQuerySet.as_manager()

    class Meta:
        verbose_name = "坐班记录"
        verbose_name_plural = verbose_name
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(ended_at__isnull=True), name="one_open_sitting"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gt=models.F("started_at")),
                name="sitting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float | None:
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() / 3600


class DutyProblemQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}


class DutyProblem(models.Model):
    """A problem a leader found on duty, tracked to its close: owner, working-day
    deadline, result."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        DutyPost, verbose_name="发现人", on_delete=models.PROTECT, related_name="problems"
    )
    sitting = models.ForeignKey(
        DutySitting, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    found_on = models.DateField("发现日期")
    description = models.CharField("发现的问题", max_length=300)
    fix_planned = models.CharField("整改措施", max_length=300)
    owner = models.ForeignKey(
        StaffProfile, verbose_name="责任人", on_delete=models.PROTECT, related_name="duty_items"
    )
    working_days = models.PositiveSmallIntegerField("整改时限（工作日）")
    deadline = models.DateField("整改期限")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    result = models.CharField("整改结果", max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DutyProblemQuerySet.as_manager()

    class Meta:
        verbose_name = "坐班发现问题"
        verbose_name_plural = verbose_name
        ordering = ["closed_at", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(result=""), name="closed_problem_result"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ProcessWalkQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "post__department"}


class ProcessWalk(models.Model):
    """走流程: a leader goes through a matter as an applicant would and records it."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(DutyPost, on_delete=models.PROTECT, related_name="walks")
    walked_on = models.DateField("日期")
    matter = models.ForeignKey(
        Matter,
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField("体验的业务", max_length=100)
    role_played = models.CharField(
        "体验方式",
        max_length=20,
        default="以办事人身份",
        help_text="如：以办事人身份、陪同办事群众",
    )
    minutes = models.PositiveSmallIntegerField("用时（分钟）", null=True, blank=True)
    findings = models.CharField("体验情况", max_length=500)
    problem = models.ForeignKey(
        DutyProblem, null=True, blank=True, on_delete=models.SET_NULL, related_name="walks"
    )

    objects = ProcessWalkQuerySet.as_manager()

    class Meta:
        verbose_name = "走流程记录"
        verbose_name_plural = verbose_name
        ordering = ["-walked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} {self.walked_on}"
