"""Staff records kept by the center (R-STAFF-1, R-STAFF-2, R-STAFF-4).

- ``StaffRecord``: one per staff profile: establishment, rank, who pays, the team, the
  declaration "no other work of the unit" and the center's confirmation, and whether
  the person is cleared to work a window alone (and on what basis).
- ``Posting``: the posting history; ``PostingChange``: a change or recall filed with
  the center in advance and decided by it; ``Secondment``: a secondment out during a
  posting, approved by the center.
- ``Recruitment`` and ``StaffContract``: the center's own teams (comprehensive window,
  agency): how they were recruited, and the contracts of third-party staff.
- ``TrainingRecord``: pre-job training, shadowing (跟班学习), special training on a
  re-engineered process (linked to the catalog's ``ProcessChange``), routine training.
- ``SpotCheck``: dress, badge, language and conduct checked on the floor, with a photo.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onewindow.catalog.models import ProcessChange
from onewindow.files.models import StoredFile
from onewindow.org.models import Center, Department, StaffProfile


def posting_short(started_on: date, on: date) -> bool:
    """Whether a posting begun on ``started_on`` is under two years on ``on``."""
    try:
        second_anniversary = started_on.replace(year=started_on.year + 2)
    except ValueError:  # 29 February
        second_anniversary = date(started_on.year + 2, 3, 1)
    return on < second_anniversary


class StaffScopedQuerySet(models.QuerySet):
    """Records about a person are seen by whoever sees the person's staff profile."""

    def visible_to(self, scope):
        if scope.everything:
            return self
        return self.filter(profile__in=StaffProfile.objects.visible_to(scope).values("pk"))


class CenterScopedQuerySet(models.QuerySet):
    def visible_to(self, scope):
        return self.filter(center__in=Center.objects.visible_to(scope).values("pk"))


class Establishment(models.TextChoices):
    ADMINISTRATIVE = "administrative", "行政编制"
    INSTITUTION = "institution", "事业编制"
    WORKER = "worker", "工勤编制"
    NONE = "none", "编外"


class Team(models.TextChoices):
    STATIONED = "stationed", "部门派驻"
    COMPREHENSIVE = "comprehensive", "综合窗口队伍"
    AGENCY = "agency", "帮办代办队伍"
    CENTER = "center", "中心工作人员"


class ClearanceBasis(models.TextChoices):
    IN_POST = "in_post", "系统启用时已在岗"
    PRE_JOB = "pre_job", "岗前培训合格"
    SHADOWING = "shadowing", "跟班学习合格"


class Recruitment(models.Model):
    """How the center recruited for one of its own teams (§19: 公开招聘)."""

    class Way(models.TextChoices):
        EXAM = "exam", "公开招聘（笔试+面试）"
        INTERVIEW = "interview", "公开招聘（考核）"
        SELECTION = "selection", "公开遴选"
        DISPATCH = "dispatch", "劳务派遣公开招录"
        PURCHASE = "purchase", "政府购买服务（公开招标）"

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="recruitments")
    team = models.CharField("队伍", max_length=16, choices=Team.choices)
    held_on = models.DateField("招聘日期")
    way = models.CharField("招聘方式", max_length=12, choices=Way.choices)
    openly = models.BooleanField("公开招聘", default=True)
    announcement = models.CharField("公告（发布渠道、文号）", max_length=200, blank=True)
    positions = models.PositiveSmallIntegerField("招聘名额", default=1)
    hired = models.PositiveSmallIntegerField("录用人数", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "招聘记录"
        verbose_name_plural = "招聘记录"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.center.name}{self.get_team_display()}招聘（{self.held_on:%Y-%m-%d}）"


class StaffRecord(models.Model):
    profile = models.OneToOneField(
        StaffProfile, on_delete=models.PROTECT, related_name="staffing_record"
    )
    team = models.CharField("队伍", max_length=16, choices=Team.choices, default=Team.STATIONED)
    establishment = models.CharField(
        "编制类型", max_length=16, choices=Establishment.choices, blank=True
    )
    rank = models.CharField("职级", max_length=50, blank=True)
    paid_by = models.CharField("工资待遇发放单位", max_length=100, blank=True)
    recruitment = models.ForeignKey(
        Recruitment,
        verbose_name="招聘记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recruits",
    )
    no_other_work_declared = models.BooleanField("已声明不承担原单位工作", default=False)
    declared_on = models.DateField("声明日期", null=True, blank=True)
    no_other_work_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    no_other_work_confirmed_at = models.DateTimeField("中心确认时间", null=True, blank=True)
    cleared_at = models.DateTimeField("可独立上岗时间", null=True, blank=True)
    cleared_basis = models.CharField(
        "上岗依据", max_length=12, choices=ClearanceBasis.choices, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "人员管理档案"
        verbose_name_plural = "人员管理档案"

    def __str__(self) -> str:
        return f"{self.profile}档案"

    @property
    def is_cleared(self) -> bool:
        return self.cleared_at is not None

    @property
    def no_other_work_confirmed(self) -> bool:
        return self.no_other_work_confirmed_at is not None


class Posting(models.Model):
    """One posting of a person at a center (the history, R-STAFF-1)."""

    class End(models.TextChoices):
        CHANGE = "change", "调整"
        RECALL = "recall", "召回"

    profile = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="postings")
    center = models.ForeignKey(Center, null=True, blank=True, on_delete=models.PROTECT)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    started_on = models.DateField("进驻日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end_kind = models.CharField("结束方式", max_length=8, choices=End.choices, blank=True)
    change = models.ForeignKey(
        "PostingChange", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "进驻记录"
        verbose_name_plural = "进驻记录"
        ordering = ["profile", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(ended_on__isnull=True), name="one_open_posting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} {self.started_on}"


class Decision(models.TextChoices):
    FILED = "filed", "待中心审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class FiledWithCenter(models.Model):
    """What a department files with the center and the center approves or refuses
    (a posting change, a secondment): who filed it, when, and the decision."""

    state = models.CharField(
        "状态", max_length=10, choices=Decision.choices, default=Decision.FILED
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_filed(self) -> bool:
        return self.state == Decision.FILED


class PostingChange(FiledWithCenter):
    """A change or recall of a stationed person, filed with the center in advance."""

    class Kind(models.TextChoices):
        CHANGE = "change", "调整（轮换）"
        RECALL = "recall", "召回"

    profile = models.ForeignKey(
        StaffProfile, on_delete=models.PROTECT, related_name="posting_changes"
    )
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    effective_on = models.DateField("拟生效日期")
    reason = models.TextField("理由")
    successor = models.ForeignKey(
        StaffProfile,
        verbose_name="接替人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    early = models.BooleanField("进驻未满两年", default=False)

    class Meta:
        verbose_name = "人员调整备案"
        verbose_name_plural = "人员调整备案"
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.profile}{self.get_kind_display()}（{self.get_state_display()}）"


class Secondment(FiledWithCenter):
    """A secondment out (借调) during a posting: only with the center's approval (§19)."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="secondments")
    to_unit = models.CharField("借调单位", max_length=100)
    starts_on = models.DateField("借调开始")
    ends_on = models.DateField("借调结束")
    reason = models.TextField("事由")

    class Meta:
        verbose_name = "借调"
        verbose_name_plural = "借调"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="secondment_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile}借调至{self.to_unit}"


class StaffContract(models.Model):
    """The contract of a third-party staff member (company, number, term)."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="contracts")
    company = models.CharField("服务公司", max_length=100)
    contract_no = models.CharField("合同编号", max_length=50)
    starts_on = models.DateField("合同起始")
    ends_on = models.DateField("合同截止")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "第三方人员合同"
        verbose_name_plural = "第三方人员合同"
        ordering = ["-ends_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.contract_no}"


class TrainingRecord(models.Model):
    class Kind(models.TextChoices):
        PRE_JOB = "pre_job", "岗前培训"
        SHADOWING = "shadowing", "跟班学习"
        SPECIAL = "special", "流程再造专项培训"
        ROUTINE = "routine", "日常培训"

    class Result(models.TextChoices):
        PASSED = "passed", "合格"
        FAILED = "failed", "不合格"

    profile = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    title = models.CharField("内容", max_length=100)
    trainer = models.CharField("培训人/带教人", max_length=50)
    mentor = models.ForeignKey(
        StaffProfile,
        verbose_name="带教窗口人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentored",
    )
    process_change = models.ForeignKey(
        ProcessChange,
        verbose_name="流程再造",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    result = models.CharField("结果", max_length=8, choices=Result.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-ended_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=500), name="training_hours_in_range"
            ),
            models.CheckConstraint(
                condition=~Q(kind="special") | Q(process_change__isnull=False),
                name="special_training_names_its_process_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def passed(self) -> bool:
        return self.result == self.Result.PASSED


class SpotCheck(models.Model):
    """Dress, badge, language and conduct checked on the floor (§14, R-STAFF-4)."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="spot_checks")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="spot_checks")
    checked_at = models.DateTimeField("检查时间", default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dress_ok = models.BooleanField("统一着装", default=True)
    badge_ok = models.BooleanField("亮牌上岗", default=True)
    language_ok = models.BooleanField("服务用语", default=True)
    conduct_ok = models.BooleanField("行为举止", default=True)
    note = models.TextField("情况说明", blank=True)
    photo = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "仪容仪表抽查"
        verbose_name_plural = "仪容仪表抽查"
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["profile", "checked_at"])]

    def __str__(self) -> str:
        return f"{self.profile} {self.checked_at:%Y-%m-%d}"

    @property
    def passed(self) -> bool:
        return self.dress_ok and self.badge_ok and self.language_ok and self.conduct_ok

    @property
    def failed_items(self) -> list[str]:
        names = [
            (self.dress_ok, "统一着装"),
            (self.badge_ok, "亮牌上岗"),
            (self.language_ok, "服务用语"),
            (self.conduct_ok, "行为举止"),
        ]
        return [label for ok, label in names if not ok]
