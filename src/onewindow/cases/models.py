"""Cases (办件): one window in, the back office behind it, one window out (R-CASE-1..10).

- ``Applicant``: a person or an enterprise, its basic information taken once (一表申请).
- ``Case``: an application for one listing, pinned to the guide version it was taken in
  under (R-CAT-9); its state follows ``cases/states.py``; its clocks are core Deadlines.
- ``CaseEvent``: every step with who, when and what they wrote. Nothing is deleted.
- ``Document``: a submitted material; only the materials of the pinned version (R-CAT-7).
- ``Correction``: the one-time notice listing everything missing (一次告知).
- ``ApplicantDocument``: the applicant's file store; materials once given are reused
  (材料复用, R-CASE-6).
- ``SpecialProcedure``: expert review, hearing, public notice… the clock stops (R-CASE-4).
- ``PledgeCheck`` / ``FalsePledge``: a pledge in place of a certificate is verified
  after the decision; a false one is recorded against the applicant (R-CASE-5).
- ``BundleApplication``: one application for a "one thing" bundle; its sub-cases run in
  parallel in their departments and are delivered once (R-CASE-7).
- ``AssistedProject``: a major project an agency team guides before intake and follows
  after (帮办代办, R-CASE-10).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import TruncDate
from django.utils import timezone

from onewindow.cases import states
from onewindow.catalog.models import Bundle, GuideVersion, Listing, Material, MaterialType, Matter
from onewindow.core.models import AppendOnly, Deadline, IdentityNumberFields
from onewindow.files.models import StoredFile
from onewindow.org.models import Center, CenterUnit, Department, ScopedQuerySet


class Applicant(IdentityNumberFields):
    class Kind(models.TextChoices):
        PERSON = "person", "个人"
        ENTERPRISE = "enterprise", "企业/组织"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField("姓名/名称", max_length=100)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        db_index=True,
        validators=[
            RegexValidator(
                r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                "统一社会信用代码应为18位。",
            )
        ],
    )
    phone = models.CharField("手机号", max_length=20)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    # Basic information reused across forms (一表申请): the form field keys of guides.
    profile = models.JSONField("基本信息", default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applicants",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "申请人"
        verbose_name_plural = "申请人"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=~models.Q(id_number_digest=""),
                name="one_applicant_per_identity_number",
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="one_applicant_per_credit_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_tail(self) -> str:
        return self.phone[-4:]


class CaseCounter(models.Model):
    """The last case number of a center on a day; locked to number a case."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day"], name="one_case_counter_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.day} {self.last}"


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
    form_data = models.JSONField("合并申请表", default=dict, blank=True)
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


# The deadline flag a case shows (R-CASE-4), worked out in one place from the sweep's
# level, the state and the promised due date: a running clock past its due date reads
# 已超时 even before the sweep has flagged it; 临近时限 only while the case is open.
OVERDUE, WARNING = "overdue", "warning"


def overdue_q(today) -> models.Q:
    """Cases that read 已超时 on ``today`` (the same rule as ``Case.deadline_flag``)."""
    # Each clause says its columns are not null, so that its negation (``warned_q``)
    # is plain true/false in SQL.
    dated = models.Q(deadline__isnull=False, deadline__due__isnull=False)
    return models.Q(warning_level__gte=2) | (
        dated
        & (
            models.Q(state__in=states.CLOCK_RUNNING, deadline__due__lt=today)
            | models.Q(decided_at__isnull=False, deadline__due__lt=TruncDate("decided_at"))
        )
    )


def warned_q(today) -> models.Q:
    """Open cases that read 临近时限 on ``today`` and are not overdue."""
    return models.Q(warning_level=1, state__in=states.OPEN) & ~overdue_q(today)


class CaseQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}

    def open(self):
        return self.filter(state__in=states.OPEN)


class Case(models.Model):
    class Channel(models.TextChoices):
        WINDOW = "window", "窗口"
        WEB = "web", "网上"
        MOBILE = "mobile", "移动端"
        TERMINAL = "terminal", "自助终端"
        AGENT = "agent", "帮办代办"

    number = models.CharField("办件编号", max_length=32, unique=True)
    token = models.CharField("查询码", max_length=24, unique=True)
    center = models.ForeignKey(
        Center, verbose_name="受理中心", on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        Department, verbose_name="承办部门", on_delete=models.PROTECT, related_name="cases"
    )
    listing = models.ForeignKey(
        Listing, verbose_name="实施清单", on_delete=models.PROTECT, related_name="cases"
    )
    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="cases"
    )
    guide_version = models.ForeignKey(
        GuideVersion, verbose_name="办事指南版本", on_delete=models.PROTECT, related_name="cases"
    )
    applicant = models.ForeignKey(
        Applicant, verbose_name="申请人", on_delete=models.PROTECT, related_name="cases"
    )
    channel = models.CharField(
        "渠道", max_length=10, choices=Channel.choices, default=Channel.WINDOW
    )
    state = models.CharField(
        "状态",
        max_length=20,
        default=states.INTAKE,
        choices=list(states.LABELS.items()),
        db_index=True,
    )
    intake_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="当前承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name="排队号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    form_data = models.JSONField("申请表", default=dict, blank=True)
    received_at = models.DateTimeField("收件时间", default=timezone.now)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField("决定意见", blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivery_method = models.CharField(
        "送达方式",
        max_length=10,
        blank=True,
        choices=[("window", "统一出件窗口领取"), ("mail", "免费邮寄")],
    )
    tracking_number = models.CharField("邮寄单号", max_length=40, blank=True)
    refusal_reason = models.TextField("不予受理理由", blank=True)
    deadline = models.OneToOneField(
        Deadline,
        verbose_name="承诺时限",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    statutory_deadline = models.OneToOneField(
        Deadline,
        verbose_name="法定时限",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    warning_level = models.PositiveSmallIntegerField(
        "预警", default=0, db_index=True, help_text="0 正常，1 临近时限，2 已超时"
    )
    # Online applications (R-CASE-8): pre-review is due in 1 working day; an application
    # nobody takes in within 5 working days counts as accepted from the day it was
    # received (行政许可法 §32), and is flagged.
    prereview_due = models.DateField("预审期限", null=True, blank=True)
    intake_due = models.DateField("受理期限", null=True, blank=True, db_index=True)
    deemed_accepted = models.BooleanField("逾期视为受理", default=False)
    bundle_application = models.ForeignKey(
        BundleApplication,
        verbose_name="一件事申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    project = models.ForeignKey(
        AssistedProject,
        verbose_name="帮办代办项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state"]),
            models.Index(fields=["center", "state"]),
            models.Index(fields=["assignee", "state"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def state_label(self) -> str:
        return states.LABELS.get(self.state, self.state)

    @property
    def public_status(self) -> str:
        return states.PUBLIC.get(self.state, "办理中")

    def deadline_flag_on(self, today) -> str:
        """``overdue``, ``warning`` or "" on ``today``; see ``overdue_q``. A case decided
        after its due date stays 已超时."""
        due = self.deadline.due if self.deadline_id and self.deadline else None
        late = due is not None and (
            (self.state in states.CLOCK_RUNNING and due < today)
            or (self.decided_at is not None and timezone.localdate(self.decided_at) > due)
        )
        if self.warning_level >= 2 or late:
            return OVERDUE
        if self.warning_level == 1 and self.state in states.OPEN:
            return WARNING
        return ""

    @property
    def deadline_flag(self) -> str:
        return self.deadline_flag_on(timezone.localdate())


class CaseEvent(AppendOnly):
    """One step of a case: who, when, what they wrote. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=32)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True)
    note = models.TextField("意见/说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"


class Document(models.Model):
    """A material submitted in a case: only those of the pinned guide version (R-CAT-7)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    electronic = models.BooleanField("电子材料", default=False)
    paper_received = models.BooleanField("已收纸质材料", default=False)
    by_pledge = models.BooleanField("告知承诺替代", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.ForeignKey(
        StoredFile,
        verbose_name="电子文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reused_from = models.ForeignKey(
        "ApplicantDocument",
        verbose_name="复用自",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uses",
    )

    class Meta:
        verbose_name = "申请材料（已提交）"
        verbose_name_plural = "申请材料（已提交）"
        constraints = [
            models.UniqueConstraint(fields=["case", "material"], name="one_document_per_material")
        ]

    def __str__(self) -> str:
        return self.material.name


class Correction(models.Model):
    """The one-time correction notice (一次性告知): everything missing, once."""

    class State(models.TextChoices):
        OPEN = "open", "待补正"
        ANSWERED = "answered", "已补正"
        LAPSED = "lapsed", "逾期未补正"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="corrections")
    stage = models.CharField(max_length=10, choices=[("intake", "受理前"), ("review", "审查中")])
    items = models.JSONField(
        "须补正内容", default=list
    )  # [{"material_id": .., "name": .., "note": ..}]
    due = models.DateField("补正期限")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "补正告知"
        verbose_name_plural = "补正告知"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state="open"),
                name="one_open_correction_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} 补正"


class CaseAlert(models.Model):
    """A deadline warning level reached by a case, recorded once with its time (R-CASE-4)."""

    class Level(models.IntegerChoices):
        WARNING = 1, "临近时限"
        OVERDUE = 2, "已超时"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="alerts")
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    at = models.DateTimeField(default=timezone.now)
    due = models.DateField("当时的截止日")

    class Meta:
        verbose_name = "时限预警"
        verbose_name_plural = "时限预警"
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level"], name="one_alert_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_level_display()}"


class Urging(models.Model):
    """督办催办: the center urges the department on a case; the department answers."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="urgings")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="urgings")
    message = models.TextField("督办内容")
    reply_by = models.DateField("答复期限")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField("部门答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "督办催办"
        verbose_name_plural = "督办催办"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.case} 督办"


class ApplicantDocument(models.Model):
    """A material in the applicant's file store, reused in later cases (材料复用)."""

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="documents")
    material_type = models.ForeignKey(
        MaterialType, verbose_name="通用材料", null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField("材料名称", max_length=200)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    source_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField("有效期至", null=True, blank=True)
    revoked = models.BooleanField("已失效", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "申请人材料库"
        verbose_name_plural = "申请人材料库"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class SpecialProcedure(models.Model):
    """A special procedure (特别程序) during review; the clocks stop until it ends."""

    class Kind(models.TextChoices):
        EXPERT = "expert", "专家评审"
        HEARING = "hearing", "听证"
        PUBLIC_NOTICE = "public_notice", "公示"
        INSPECTION = "inspection", "现场勘验"
        TESTING = "testing", "检验检测"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="special_procedures")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    reason = models.TextField("事由")
    started_on = models.DateField("开始日期")
    planned_end = models.DateField("预计结束", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    result = models.TextField("结果", blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "特别程序"
        verbose_name_plural = "特别程序"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_special_procedure_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class PledgeCheckQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "case__center", "department": "case__department"}


class PledgeCheck(models.Model):
    """Verification of a pledge given in place of a certificate (告知承诺核查)."""

    class State(models.TextChoices):
        PENDING = "pending", "待核查"
        TRUE = "true", "承诺属实"
        FALSE = "false", "虚假承诺"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pledge_checks")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="pledge_check")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("核查期限")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    note = models.TextField("核查情况", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PledgeCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "承诺核查"
        verbose_name_plural = "承诺核查"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.material}"


class FalsePledge(AppendOnly):
    """A false pledge recorded against the applicant (虚假承诺记录). Never deleted."""

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="false_pledges")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    pledge_check = models.OneToOneField(
        PledgeCheck, on_delete=models.PROTECT, related_name="record"
    )
    material_name = models.CharField("材料", max_length=200)
    note = models.TextField("情况")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "虚假承诺记录"
        verbose_name_plural = "虚假承诺记录"
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.applicant} {self.material_name}"
