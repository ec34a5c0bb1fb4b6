"""The case (办件) and its steps: an application for one listing, pinned to the guide
version it was taken in under (R-CAT-9); its state follows ``cases/states.py``; its
clocks are core Deadlines. Every step is a ``CaseEvent``; its materials are
``Document``s; the one-time notice is a ``Correction``; deadline warnings, urgings and
special procedures are kept with it. Nothing is deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models.applicants import Applicant
from onewindow.cases.models.groupings import AssistedProject, BundleApplication
from onewindow.catalog.models import GuideVersion, Listing, Material, Matter
from onewindow.core.fields import ProtectedJSONField
from onewindow.core.models import Deadline, StepEvent
from onewindow.files.models import StoredFile
from onewindow.org.models import Center, Department, ScopedQuerySet

# The deadline flag a case shows (R-CASE-4), worked out in one place from the sweep's
# level, the state and the promised due date: a running clock past its due date reads
# 已超时 even before the sweep has flagged it; 临近时限 only while the case is open.
OVERDUE, WARNING = "overdue", "warning"


def deadline_flag(state: str, due, decided_at, warning_level: int, today) -> str:
    """``overdue``, ``warning`` or "" on ``today`` for a case in ``state`` whose promised
    deadline falls on ``due``; see ``overdue_q``. A case decided after its due date stays
    已超时."""
    late = due is not None and (
        (state in states.CLOCK_RUNNING and due < today)
        or (decided_at is not None and timezone.localdate(decided_at) > due)
    )
    if warning_level >= 2 or late:
        return OVERDUE
    if warning_level == 1 and state in states.OPEN:
        return WARNING
    return ""


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


def overdue_row_q(today) -> models.Q:
    """``overdue_q`` read on the case row alone, without the deadline: the row's ``due``
    is the promised deadline's due date as stored (none while it stands paused), kept by
    ``cases.services.clock`` in every step that moves the clock, so each clause is the
    same test on the same value. For counts over many cases (the dashboard)."""
    dated = models.Q(due__isnull=False)
    return models.Q(warning_level__gte=2) | (
        dated
        & (
            models.Q(state__in=states.CLOCK_RUNNING, due__lt=today)
            | models.Q(decided_at__isnull=False, due__lt=TruncDate("decided_at"))
        )
    )


def warned_row_q(today) -> models.Q:
    """``warned_q`` on the case row alone (see ``overdue_row_q``): the sweep's warning
    recorded on the case (level 1), the case open and not overdue."""
    return models.Q(warning_level=1, state__in=states.OPEN) & ~overdue_row_q(today)


def state_in(model, names) -> RawSQL:
    """``state IN (…)`` on ``model``'s table, the states written out in sorted order as
    a partial index's condition is: SQLite uses a partial index only for the same literal
    terms, never for bound parameters (PostgreSQL takes either)."""
    assert all(n.isidentifier() for n in names)
    listed = ", ".join(f"'{n}'" for n in sorted(names))
    column = f'"{model._meta.db_table}"."state"'
    return RawSQL(f"{column} IN ({listed})", (), output_field=models.BooleanField())


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
    # At a township or village point, a matter whose power lies with a department above
    # is decided at the point only under an entrustment in force at intake (受委托办理);
    # without one the point takes it in for that department (代办), which decides it.
    entrustment = models.ForeignKey(
        "catalog.Entrustment",
        verbose_name="委托依据",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
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
    form_data = ProtectedJSONField("申请表", default=dict, blank=True)
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
    # Indexed nowhere: the sweep raises it on the row in place (a HOT update on
    # PostgreSQL, no index touched); its next line lives in ``CaseLine``.
    warning_level = models.PositiveSmallIntegerField(
        "预警", default=0, help_text="0 正常，1 临近时限，2 已超时"
    )
    # The promised clock as the case row carries it (R-CASE-4), kept by
    # ``cases.services.clock`` in the same transaction as every step that moves it: the
    # due date (none while the clock is paused) and whether the clock runs. The next
    # line the sweep looks at is the case's ``CaseLine`` (``cases.models.lines``).
    due = models.DateField("承诺截止日", null=True, blank=True)
    clock_running = models.BooleanField("计时中", default=False)
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
            # A department's back-office queue in its order: due date (paused last),
            # acceptance, id.
            models.Index(
                fields=["department", "due", "accepted_at", "id"],
                name="case_department_queue_idx",
                condition=models.Q(state__in=sorted(states.BACK_QUEUE)),
            ),
            # The open cases of a center with their clock (the dashboard's running,
            # warned and overdue counts, ``cases.selectors.queues.running_counts``);
            # without the warning level, which the sweep changes in place.
            models.Index(
                fields=["center", "state", "due", "decided_at"],
                name="case_open_clock_counts_idx",
                condition=models.Q(state__in=states.LIST_GROUPS["open"]),
            ),
            # The open cases by the time they were received: the oldest one's month
            # (``cases.horizon``) is the first entry, a probe per month on a partitioned
            # install instead of a read of every open case.
            models.Index(
                fields=["received_at"],
                name="case_open_received_idx",
                condition=models.Q(state__in=sorted(states.OPEN)),
            ),
            # Online applications not yet taken in, by the day they count as accepted.
            models.Index(
                fields=["intake_due"],
                name="case_untaken_online_idx",
                condition=models.Q(
                    state__in=[states.INTAKE, states.PRE_REVIEW], deemed_accepted=False
                ),
            ),
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
        """``overdue``, ``warning`` or "" on ``today``; see ``deadline_flag``."""
        due = self.deadline.due if self.deadline_id and self.deadline else None
        return deadline_flag(self.state, due, self.decided_at, self.warning_level, today)

    @property
    def deadline_flag(self) -> str:
        return self.deadline_flag_on(timezone.localdate())


class CaseEvent(StepEvent):
    """One step of a case: who, when, what they wrote. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    note = models.TextField("意见/说明", blank=True)

    class Meta(StepEvent.Meta):
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

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
        indexes = [
            # The sweep: open notices by their date (R-CASE-2).
            models.Index(
                fields=["due"],
                name="correction_open_due_idx",
                condition=models.Q(state="open"),
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
