"""Standard matters and their guides: the versions, their materials and steps (R-CAT-1, R-CAT-5..8)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from onewindow.org.models import Department, DepartmentLine, Level, ScopedQuerySet


class MatterKind(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    PAYMENT = "payment", "行政给付"
    CONFIRMATION = "confirmation", "行政确认"
    ADJUDICATION = "adjudication", "行政裁决"
    REWARD = "reward", "行政奖励"
    LEVY = "levy", "行政征收"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


ADMINISTRATIVE_POWER_KINDS = frozenset(MatterKind.values) - {MatterKind.PUBLIC_SERVICE}


class OnlineDepth(models.TextChoices):
    INFO = "info", "网上咨询"
    PRE_REVIEW = "pre_review", "网上预审"
    ONLINE_APPLY = "online_apply", "网上申报、到场一次"
    FULL_ONLINE = "full_online", "全程网办"
    ON_SITE = "on_site", "到场办理"


# Guides whose online depth allows an application on the portal (在线申请).
ONLINE_APPLY_DEPTHS = (OnlineDepth.PRE_REVIEW, OnlineDepth.ONLINE_APPLY, OnlineDepth.FULL_ONLINE)


class LimitUnit(models.TextChoices):
    WORKING = "working", "工作日"
    NATURAL = "natural", "自然日"


class MatterQuerySet(ScopedQuerySet):
    """Standard matters are public; staff scope applies to their owner department."""

    scope_lookups = {"center": None, "department": "department", "region_path": None}

    def active(self):
        return self.filter(status=Matter.Status.ACTIVE)


class Matter(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "在用"
        CANCELLED = "cancelled", "已取消"

    code = models.CharField("基本编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("事项类型", max_length=20, choices=MatterKind.choices)
    line = models.ForeignKey(
        DepartmentLine, verbose_name="部门系统", on_delete=models.PROTECT, related_name="matters"
    )
    level = models.CharField("实施层级", max_length=12, choices=Level.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="标准维护部门",
        on_delete=models.PROTECT,
        related_name="owned_matters",
        help_text="编制和维护该事项标准办事指南的部门。",
    )
    domain = models.CharField(
        "领域", max_length=50, blank=True, help_text="如：市场准入、社会保障、不动产"
    )
    keywords = models.CharField(
        "检索词", max_length=300, blank=True, help_text="群众常用说法，空格分隔，如：开饭店 餐馆"
    )
    for_persons = models.BooleanField("面向个人", default=True)
    for_enterprises = models.BooleanField("面向企业", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    current_version = models.ForeignKey(
        "GuideVersion",
        verbose_name="现行指南",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "level"], name="matter_code_once_per_level"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_administrative_power(self) -> bool:
        return self.kind in ADMINISTRATIVE_POWER_KINDS

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class GuideVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            status__in=[GuideVersion.Status.PUBLISHED, GuideVersion.Status.SUPERSEDED]
        )


class GuideVersion(models.Model):
    """One version of a matter's standard guide (R-CAT-5). Immutable once published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "in_review", "审核中"
        PUBLISHED = "published", "现行"
        SUPERSEDED = "superseded", "已被替代"

    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    legal_basis = models.TextField("设定依据")
    conditions = models.TextField("受理条件")
    statutory_days = models.PositiveIntegerField("法定时限")
    promised_days = models.PositiveIntegerField("承诺时限")
    limit_unit = models.CharField(
        "时限单位", max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKING
    )
    visits = models.PositiveSmallIntegerField("到现场次数", default=1)
    online_depth = models.CharField(
        "网办深度", max_length=16, choices=OnlineDepth.choices, default=OnlineDepth.PRE_REVIEW
    )
    fees = models.TextField("收费标准及依据", default="不收费")
    is_free = models.BooleanField("不收费", default=True)
    result = models.CharField("办理结果", max_length=200, blank=True, help_text="如：营业执照")
    # [{"question": "...", "answer": "..."}]
    faq = models.JSONField("常见问题", default=list, blank=True)
    # [{"key": "applicant_name", "label": "申请人姓名", "type": "text", "required": true}]
    form_fields = models.JSONField("申请表字段", default=list, blank=True)
    compression_exception_reason = models.TextField(
        "未达压缩要求的理由",
        blank=True,
        help_text="承诺时限超过法定时限的40%时必须填写，并经审改部门终审认可。",
    )
    compression_exception_accepted = models.BooleanField("压缩例外已认可", default=False)
    change_note = models.TextField("修订说明", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = GuideVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "办事指南版本"
        verbose_name_plural = "办事指南版本"
        ordering = ["matter", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "number"], name="guide_version_number_once"),
            models.UniqueConstraint(
                fields=["matter"],
                condition=models.Q(status="published"),
                name="one_published_guide_per_matter",
            ),
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")),
                name="promised_not_over_statutory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter.name} 第{self.number}版"

    @property
    def allows_online_application(self) -> bool:
        return self.online_depth in ONLINE_APPLY_DEPTHS

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_review(self) -> bool:
        return self.status == self.Status.IN_REVIEW

    @property
    def is_current(self) -> bool:
        """Published and not yet superseded."""
        return self.status == self.Status.PUBLISHED

    @property
    def tone(self) -> str:
        """How a badge shows the status: ``ok`` current, ``warn`` in review."""
        return {self.Status.PUBLISHED: "ok", self.Status.IN_REVIEW: "warn"}.get(self.status, "")

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED, self.Status.IN_REVIEW)

    @property
    def compression_ratio(self) -> float | None:
        """Promised as a share of statutory (R-CAT-8 wants ≤ 0.4)."""
        if not self.statutory_days:
            return None
        return self.promised_days / self.statutory_days

    @property
    def meets_compression(self) -> bool:
        ratio = self.compression_ratio
        return ratio is None or ratio <= COMPRESSION_LIMIT

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("allow_frozen", False):
            stored = (
                GuideVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored in (self.Status.PUBLISHED, self.Status.SUPERSEDED):
                raise PermissionError("a published guide version never changes")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise PermissionError("only drafts may be deleted")
        return super().delete(*args, **kwargs)

    def process_facts(self) -> dict:
        """What a process change is about (R-CAT-8): steps, materials, time and visits."""
        return {
            "steps": [s.name for s in self.steps.all()],
            "materials": [m.name for m in self.materials.all()],
            "statutory_days": self.statutory_days,
            "promised_days": self.promised_days,
            "limit_unit": self.limit_unit,
            "visits": self.visits,
        }


COMPRESSION_LIMIT = 0.4

# What a guide version, a material and a step may be given by the services (and the
# Excel import).
GUIDE_FIELDS = (
    "legal_basis",
    "conditions",
    "statutory_days",
    "promised_days",
    "limit_unit",
    "visits",
    "online_depth",
    "fees",
    "is_free",
    "result",
    "faq",
    "form_fields",
    "compression_exception_reason",
    "change_note",
)
MATERIAL_FIELDS = (
    "name",
    "form",
    "copies",
    "requirement",
    "condition",
    "source",
    "shared_from",
    "pledge_allowed",
    "paper_needed",
    "note",
)
STEP_FIELDS = ("name", "description", "days")


class FrozenWithVersion(models.Model):
    """Children of a guide version change only while it is a draft."""

    class Meta:
        abstract = True

    def _check_draft(self):
        status = (
            GuideVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        )
        if status is not None and status != GuideVersion.Status.DRAFT:
            raise PermissionError("a published guide version never changes")

    def save(self, *args, **kwargs):
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_draft()
        return super().delete(*args, **kwargs)


class MaterialType(models.Model):
    """A common material (居民身份证, 营业执照 …) so bundles can merge duplicates."""

    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)

    class Meta:
        verbose_name = "通用材料"
        verbose_name_plural = "通用材料"

    def __str__(self) -> str:
        return self.name


class Material(FrozenWithVersion):
    """A material the guide asks for (R-CAT-5)."""

    class Form(models.TextChoices):
        ORIGINAL = "original", "原件"
        COPY = "copy", "复印件"
        ORIGINAL_AND_COPY = "original_and_copy", "原件及复印件"
        ELECTRONIC = "electronic", "电子材料"

    class Requirement(models.TextChoices):
        REQUIRED = "required", "必要"
        CONDITIONAL = "conditional", "容缺/情形必要"

    class Source(models.TextChoices):
        APPLICANT = "applicant", "申请人提供"
        SHARED = "shared", "部门共享获取（无需提交）"
        ISSUED = "issued", "窗口现场填写或打印"

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("材料名称", max_length=200)
    material_type = models.ForeignKey(
        MaterialType, verbose_name="通用材料", null=True, blank=True, on_delete=models.PROTECT
    )
    form = models.CharField("材料形式", max_length=20, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    requirement = models.CharField(
        "必要性", max_length=12, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    condition = models.CharField(
        "适用情形", max_length=300, blank=True, help_text="情形必要时写明在什么情形下需要。"
    )
    source = models.CharField(
        "来源", max_length=12, choices=Source.choices, default=Source.APPLICANT
    )
    shared_from = models.CharField("共享来源部门", max_length=100, blank=True)
    pledge_allowed = models.BooleanField("可告知承诺替代", default=False)
    paper_needed = models.BooleanField(
        "需纸质材料", default=True, help_text="电子材料已在线收取的，不得再要求纸质材料。"
    )
    blank_form = models.FileField("空白表格", upload_to="guides/forms/", blank=True)
    sample = models.FileField("填写示例", upload_to="guides/samples/", blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.requirement == self.Requirement.CONDITIONAL and not self.condition.strip():
            errors["condition"] = "情形必要的材料须写明适用情形。"
        if self.source == self.Source.SHARED and not self.shared_from.strip():
            errors["shared_from"] = "部门共享获取的材料须写明共享来源部门。"
        if errors:
            raise ValidationError(errors)


class Step(FrozenWithVersion):
    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("环节", max_length=100)
    description = models.TextField("办理要求", blank=True)
    days = models.PositiveSmallIntegerField("环节时限", default=0)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name
