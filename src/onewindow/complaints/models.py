"""Complaints and consultation (投诉咨询, R-CPL-1, R-CASE-3).

- ``Complaint``: a complaint, suggestion or praise from any channel (hall desk,
  suggestion box, phone, the 12345 hotline, the portal, the terminal, Open311); its
  life follows ``complaints/states.py``; its answer clock is a core Deadline. The
  complainant's name and phone are never shown to the department complained about.
- ``ComplaintEvent``: every step with who, when and what they wrote. Append-only.
- ``ComplaintRules``: a center's own limits (answer, extension, return, repeat window);
  a center without a row uses the settings' defaults.
- ``Inquiry`` / ``InquiryHandover``: a consultation (咨询) owned by the staff member
  first asked until it is answered or handed over (首问负责, R-CASE-3).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.complaints import states
from onewindow.core.models import ApiClient, AppendOnly, Deadline, StepEvent
from onewindow.org.models import Center, Department, ScopedQuerySet


class ComplaintRules(models.Model):
    center = models.OneToOneField(
        Center, verbose_name="中心", on_delete=models.PROTECT, related_name="complaint_rules"
    )
    answer_days = models.PositiveSmallIntegerField("答复时限（工作日）", default=5)
    extension_days = models.PositiveSmallIntegerField("延期（工作日）", default=5)
    return_days = models.PositiveSmallIntegerField("退回时限（工作日）", default=1)
    repeat_window_days = models.PositiveSmallIntegerField("重复投诉认定期（自然日）", default=30)

    class Meta:
        verbose_name = "投诉办理时限"
        verbose_name_plural = "投诉办理时限"

    def __str__(self) -> str:
        return f"{self.center} 投诉时限"


class ComplaintQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}

    def counted(self):
        """Complaints counted in statistics: a linked repeat is not counted twice."""
        return self.filter(related_to__isnull=True)


class Finding(models.TextChoices):
    UPHELD = "upheld", "属实"
    PARTLY = "partly", "部分属实"
    UNFOUNDED = "unfounded", "不属实"
    # complaints answered before the finding was recorded (set by the migration)
    UNRECORDED = "unrecorded", "未认定（早于核查结论登记）"


# What a department may find when it answers; what puts a complaint on the list.
FINDINGS_OFFERED = (Finding.UPHELD, Finding.PARTLY, Finding.UNFOUNDED)
FINDINGS_UPHELD = frozenset({Finding.UPHELD, Finding.PARTLY})


class Complaint(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "投诉"
        SUGGESTION = "suggestion", "建议"
        PRAISE = "praise", "表扬"

    class Source(models.TextChoices):
        DESK = "desk", "大厅投诉台"
        BOX = "box", "意见箱"
        PHONE = "phone", "投诉电话"
        HOTLINE = "hotline", "12345热线"
        WEB = "web", "网上/手机"
        TERMINAL = "terminal", "自助终端"
        OPEN311 = "open311", "Open311接口"

    number = models.CharField("投诉编号", max_length=32, unique=True)
    token = models.CharField("查询码", max_length=32, unique=True)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    center = models.ForeignKey(
        Center, verbose_name="中心", on_delete=models.PROTECT, related_name="complaints"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    suggested_department = models.ForeignKey(
        Department,
        verbose_name="系统建议部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name="涉及事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    staff_concerned = models.CharField("涉及工作人员/窗口", max_length=100, blank=True)
    subject = models.CharField("主题", max_length=200)
    content = models.TextField("内容")
    words = models.JSONField("主题词", default=list, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    name = models.CharField("投诉人", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, db_index=True)
    email = models.CharField("电子邮箱", max_length=120, blank=True)
    address = models.CharField("地点", max_length=200, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    state = models.CharField(
        "状态",
        max_length=12,
        choices=list(states.LABELS.items()),
        default=states.RECEIVED,
        db_index=True,
    )
    received_at = models.DateTimeField("登记时间", default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dispatched_at = models.DateTimeField("分办时间", null=True, blank=True)
    return_due = models.DateField("退回期限", null=True, blank=True)
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    return_reason = models.TextField("退回理由", blank=True)
    deadline = models.OneToOneField(
        Deadline,
        verbose_name="答复时限",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extension = models.CharField(
        "延期",
        max_length=10,
        blank=True,
        choices=[("requested", "已申请"), ("approved", "已批准"), ("refused", "未批准")],
    )
    extension_reason = models.TextField("延期理由", blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The department's finding when it answers a complaint (R-SUP-3: complaints upheld go
    # on the accountability list), and the person it concerns, if one.
    finding = models.CharField(
        "核查结论", max_length=12, choices=Finding.choices, blank=True, default=""
    )
    finding_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经核查涉及的工作人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    feedback = models.TextField("投诉人意见", blank=True)
    reopened = models.BooleanField("已重新办理", default=False)
    revisit_note = models.TextField("回访记录", blank=True)
    revisited_at = models.DateTimeField("回访时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    overdue = models.BooleanField("逾期", default=False)
    related_to = models.ForeignKey(
        "self",
        verbose_name="重复投诉，关联",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    # The 12345 hotline's order (工单): its number and its own time limit.
    hotline_order = models.CharField("12345工单号", max_length=40, blank=True)
    hotline_due = models.DateTimeField("12345办结时限", null=True, blank=True)
    hotline_client = models.ForeignKey(
        ApiClient,
        verbose_name="来自接入系统",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hotline_returned_at = models.DateTimeField("已回复热线", null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉建议"
        verbose_name_plural = "投诉建议"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["center", "state"]),
            models.Index(fields=["department", "state"]),
            models.Index(fields=["overdue", "state"], name="complaint_sweep"),
            models.Index(fields=["phone", "received_at"], name="complaint_repeat"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hotline_order"],
                condition=~models.Q(hotline_order=""),
                name="one_complaint_per_hotline_order",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(name="", phone=""),
                name="anonymous_complaint_has_no_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def state_label(self) -> str:
        return states.LABELS.get(self.state, self.state)

    @property
    def status(self) -> states.Status:
        return states.STATUS[self.state]

    @property
    def public_status(self) -> str:
        return self.status.label


class ComplaintEvent(StepEvent):
    """One step of a complaint: who, when, what they wrote. Append-only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")

    class Meta:
        verbose_name = "投诉办理记录"
        verbose_name_plural = "投诉办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.action}"


class InquiryQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}


class FaqState(models.TextChoices):
    PENDING = "pending", "待部门审核"
    PUBLISHED = "published", "已公开"
    DECLINED = "declined", "不予公开"


class Inquiry(models.Model):
    """A consultation (咨询): the person first asked owns it until it is answered or
    handed over (首问负责, R-CASE-3)."""

    class State(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"

    class Channel(models.TextChoices):
        WINDOW = "window", "窗口"
        DESK = "desk", "咨询台"
        PHONE = "phone", "电话"
        HOTLINE = "hotline", "12345热线"
        WEB = "web", "网上"

    center = models.ForeignKey(
        Center, verbose_name="中心", on_delete=models.PROTECT, related_name="inquiries"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="当前部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    matter = models.ForeignKey(
        Matter, verbose_name="涉及事项", null=True, blank=True, on_delete=models.PROTECT
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default="window")
    question = models.TextField("咨询内容")
    asker_name = models.CharField("咨询人", max_length=100, blank=True)
    asker_phone = models.CharField("联系电话", max_length=20, blank=True)
    # A question asked online (网上咨询) has no owner until someone of the department
    # takes it; whoever takes it is its first owner (首问负责).
    first_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="首问责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_inquiries",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="当前责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_inquiries",
    )
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    asked_at = models.DateTimeField("登记时间", default=timezone.now, db_index=True)
    # 网上咨询 (R-CASE-8): the answer is due within the center's working days; with the
    # asker's consent the answer becomes a FAQ of the guide once the department approves.
    due = models.DateField("答复期限", null=True, blank=True)
    publish_consent = models.BooleanField("同意公开为常见问题", default=False)
    faq_state = models.CharField(
        "常见问题审核", max_length=10, choices=FaqState.choices, blank=True, default=""
    )
    faq_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    faq_reviewed_at = models.DateTimeField(null=True, blank=True)
    # Flagged once by the sweep when an online question is still open past its due day.
    overdue = models.BooleanField("逾期未答复", default=False)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = "咨询"
        verbose_name_plural = "咨询"
        ordering = ["-asked_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["matter", "faq_state"], name="inquiry_faq"),
            models.Index(fields=["overdue", "state", "due"], name="inquiry_sweep"),
        ]

    def __str__(self) -> str:
        return f"咨询 {self.pk}"

    @property
    def taken(self) -> bool:
        return self.owner_id is not None


class InquiryEvent(StepEvent):
    """A step of a consultation the trail of handovers does not hold (the sweep's
    overdue flag). Append-only."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="events")

    class Meta:
        verbose_name = "咨询记录"
        verbose_name_plural = "咨询记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.inquiry} {self.action}"


class InquiryHandover(AppendOnly):
    """A consultation handed from one owner to the next, with the reason. Append-only."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("移交原因", max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "咨询移交"
        verbose_name_plural = "咨询移交"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.inquiry} → {self.to_user}"


from onewindow.complaints.rollup_models import ComplaintMonth  # noqa: E402, F401  (the monthly rollup)
