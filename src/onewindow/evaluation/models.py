"""Good-or-bad evaluation (好差评, R-EVAL-1..3).

- ``Review``: one judgement on five levels of a visit (一次一评), a case (一事一评), a
  matter, window, department or center (综合点评), or a supervisor's spot check
  (监督查评). The reviewed staff member, window, department, center and matter are
  resolved once at creation, so statistics are GROUP BYs over indexed columns. The
  reviewer's contact is encrypted. Default reviews (基本满意 after N days) and reviews
  excluded by an upheld appeal are kept and counted apart. Nothing is deleted.
- ``Rectification``: every bad review's rectification; its life is ``states.py``.
- ``RectificationEvent``: every step of it, append-only.
- ``Appeal``: the department's appeal (申诉) against a bad review, decided by the center.
- ``PadDevice``: a tablet paired to a window by the center (its key's digest only).
- ``EvaluationSettings``: a center's rectification limits in working days.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onewindow.core import crypto
from onewindow.core.models import Deadline, StepEvent
from onewindow.evaluation import scheme, states
from onewindow.files.models import StoredFile
from onewindow.org.models import Center, CenterScopedQuerySet, ScopedQuerySet


class EvaluationSettings(models.Model):
    center = models.OneToOneField(
        Center, on_delete=models.PROTECT, related_name="evaluation_settings"
    )
    contact_days = models.PositiveSmallIntegerField("联系评价人时限（工作日）", default=1)
    rectify_days = models.PositiveSmallIntegerField("整改时限（工作日）", default=5)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "差评整改时限"
        verbose_name_plural = "差评整改时限"

    def __str__(self) -> str:
        return f"{self.center.name}差评整改时限"


class ReviewQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}

    def counted(self):
        """Real reviews that count: not default, not excluded by an upheld appeal."""
        return self.filter(is_default=False, excluded=False)


class Review(models.Model):
    class Kind(models.TextChoices):
        VISIT = scheme.VISIT, scheme.KINDS[scheme.VISIT]
        CASE = scheme.CASE, scheme.KINDS[scheme.CASE]
        UNSOLICITED = scheme.UNSOLICITED, scheme.KINDS[scheme.UNSOLICITED]
        SPOT_CHECK = scheme.SPOT_CHECK, scheme.KINDS[scheme.SPOT_CHECK]

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    subject = models.CharField(
        "点评对象", max_length=12, blank=True, choices=list(scheme.SUBJECTS.items())
    )
    stage = models.CharField("评价环节", max_length=12, blank=True, default="")
    channel = models.CharField("渠道", max_length=10, choices=list(scheme.CHANNELS.items()))
    level = models.PositiveSmallIntegerField("评价", choices=sorted(scheme.LEVELS.items()))
    indicators = models.JSONField("分项评价", default=dict, blank=True)
    reasons = models.JSONField("勾选原因", default=list, blank=True)
    text = models.TextField("评价内容", blank=True)
    ticket = models.ForeignKey(
        "hall.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被评价人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews_received",
    )
    window = models.ForeignKey(
        "hall.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="reviews")
    matter = models.ForeignKey(
        "catalog.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    # The reviewer's contact (optional), encrypted; shown only to those handling an
    # open rectification (selectors.rectification_contact).
    contact_name_cipher = models.TextField(blank=True, default="", editable=False)
    contact_phone_cipher = models.TextField(blank=True, default="", editable=False)
    real_name = models.BooleanField("实名评价", default=False)
    is_default = models.BooleanField("默认好评", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查评人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    excluded = models.BooleanField("不计入统计", default=False)
    excluded_reason = models.TextField("不计入理由", blank=True)
    excluded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField("评价时间", default=timezone.now)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "stage"],
                condition=Q(ticket__isnull=False),
                name="one_review_per_visit_stage",
            ),
            models.UniqueConstraint(
                fields=["case", "stage"],
                condition=Q(case__isnull=False),
                name="one_review_per_case_stage",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="review_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(kind="visit") | Q(ticket__isnull=False), name="visit_review_has_ticket"
            ),
            models.CheckConstraint(
                condition=~Q(kind="case") | Q(case__isnull=False), name="case_review_has_case"
            ),
        ]
        indexes = [
            models.Index(fields=["center", "created_at"]),
            models.Index(fields=["department", "created_at"]),
            models.Index(fields=["staff", "created_at"]),
            models.Index(fields=["window", "created_at"]),
            models.Index(fields=["matter", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.level_label}"

    @property
    def level_label(self) -> str:
        return scheme.LEVELS.get(self.level, "")

    @property
    def is_bad(self) -> bool:
        return scheme.is_bad(self.level)

    @property
    def reason_labels(self) -> list[str]:
        return scheme.reason_labels(self.reasons)

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_phone_cipher or self.contact_name_cipher)

    def set_contact(self, name: str, phone: str) -> None:
        self.contact_name_cipher = crypto.encrypt(name) if name else ""
        self.contact_phone_cipher = crypto.encrypt(phone) if phone else ""
        self.real_name = bool(name or phone)


class RectificationQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}

    def open(self):
        return self.filter(state__in=states.OPEN)


class Rectification(models.Model):
    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="rectification")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="rectifications")
    department = models.ForeignKey(
        "org.Department",
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        "状态",
        max_length=14,
        choices=list(states.LABELS.items()),
        default=states.OPENED,
        db_index=True,
    )
    contact_deadline = models.OneToOneField(
        Deadline, on_delete=models.PROTECT, related_name="+", verbose_name="联系时限"
    )
    rectify_deadline = models.OneToOneField(
        Deadline, on_delete=models.PROTECT, related_name="+", verbose_name="整改时限"
    )
    reviewer_token = models.CharField(max_length=32, unique=True)
    opened_at = models.DateTimeField(default=timezone.now)
    contacted_at = models.DateTimeField(null=True, blank=True)
    contact_note = models.TextField("联系情况", blank=True)
    report = models.TextField("整改情况", blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField("按时整改", null=True, blank=True)
    reviewer_accepts = models.BooleanField("评价人认可", null=True, blank=True)
    reviewer_comment = models.TextField("评价人意见", blank=True)
    reviewer_answered_at = models.DateTimeField(null=True, blank=True)
    check_note = models.TextField("核查意见", blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue = models.BooleanField("已超时", default=False, db_index=True)
    overdue_at = models.DateTimeField(null=True, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["center", "state"]),
            models.Index(fields=["department", "state"]),
        ]

    def __str__(self) -> str:
        return f"差评整改 #{self.pk}"

    @property
    def state_label(self) -> str:
        return states.LABELS.get(self.state, self.state)

    @property
    def is_open(self) -> bool:
        return self.state in states.OPEN


class RectificationEvent(StepEvent):
    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="events"
    )

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification} {self.action}"

    @property
    def label(self) -> str:
        return states.label(self.action)


class AppealQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "review__center", "department": "review__department"}


class Appeal(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待裁定"
        UPHELD = "upheld", "申诉成立"
        REJECTED = "rejected", "申诉不成立"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField("申诉理由与证据")
    evidence = models.ForeignKey(
        StoredFile,
        verbose_name="证据材料",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    decision = models.TextField("裁定理由", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = "差评申诉"
        verbose_name_plural = "差评申诉"
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(state="pending"),
                name="one_pending_appeal_per_review",
            )
        ]

    def __str__(self) -> str:
        return f"申诉 #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_upheld(self) -> bool:
        return self.state == self.State.UPHELD

    @property
    def is_rejected(self) -> bool:
        return self.state == self.State.REJECTED


class PadDevice(models.Model):
    """An evaluation pad paired to a window: it submits for the window's last finished
    visit, never with a staff session. Only the key's digest is kept."""

    window = models.ForeignKey("hall.Window", on_delete=models.PROTECT, related_name="pads")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "窗口评价器"
        verbose_name_plural = "窗口评价器"

    def __str__(self) -> str:
        return f"{self.window} 评价器"


from onewindow.evaluation.rollup_models import ReviewMonth  # noqa: E402, F401  (the monthly rollup)
