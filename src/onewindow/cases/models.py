"""Cases (办件): one window in, the back office behind it, one window out (R-CASE-1..10).

- ``Applicant``: a person or an enterprise, its basic information taken once (一表申请).
- ``Case``: an application for one listing, pinned to the guide version it was taken in
  under (R-CAT-9); its state follows ``cases/states.py``; its clocks are core Deadlines.
- ``CaseEvent``: every step with who, when and what they wrote. Nothing is deleted.
- ``Document``: a submitted material; only the materials of the pinned version (R-CAT-7).
- ``Correction``: the one-time notice listing everything missing (一次告知).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from onewindow.cases import states
from onewindow.catalog.models import GuideVersion, Listing, Material, Matter
from onewindow.core.models import Deadline, IdentityNumberFields
from onewindow.org.models import Center, Department, ScopedQuerySet


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

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state"]),
            models.Index(fields=["center", "state"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def state_label(self) -> str:
        return states.LABELS.get(self.state, self.state)

    @property
    def public_status(self) -> str:
        return states.PUBLIC.get(self.state, "办理中")


class CaseEvent(models.Model):
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

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("case events are append-only")


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
