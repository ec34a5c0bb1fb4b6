"""Shared kernel models: accounts, the audit trail, the work calendar's data,
deadlines, API credentials."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from onewindow.core import crypto, idnumber


class User(AbstractUser):
    """An account: staff sign in with a staff number, citizens (later) with a phone."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class IdentityNumberFields(models.Model):
    """Encrypted identity number, keyed digest for look-up, masked form for display."""

    id_number_cipher = models.TextField("身份证号（密文）", blank=True, default="", editable=False)
    id_number_digest = models.CharField(
        "身份证号（检索摘要）", max_length=64, blank=True, default="", db_index=True, editable=False
    )
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True, default="")

    class Meta:
        abstract = True

    def set_id_number(self, raw: str) -> None:
        if not raw:
            self.id_number_cipher = self.id_number_digest = self.id_number_masked = ""
            return
        number = idnumber.validate(raw)
        self.id_number_cipher = crypto.encrypt(number)
        self.id_number_digest = crypto.lookup_digest(number)
        self.id_number_masked = idnumber.mask(number)

    def decrypted_id_number(self) -> str:
        """Only for services that log the view (``core.pii.reveal_id_number``)."""
        return crypto.decrypt(self.id_number_cipher)

    @staticmethod
    def id_number_lookup(raw: str) -> str:
        return crypto.lookup_digest(idnumber.validate(raw))


# --- append-only records ---------------------------------------------------------------


class AppendOnly(models.Model):
    """A record written once and never changed or deleted (histories, audit, records of
    false pledges): the ORM refuses both."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError(f"{self._meta.label} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.label} is append-only")


class StepEvent(AppendOnly):
    """One step in the life of a record (a case, a complaint, a rectification): the
    action, the states before and after, who took it (or the system's label), what they
    wrote, extra data, when. Each life keeps its own table with a foreign key to its
    record; the shape is this one."""

    action = models.CharField("操作", max_length=32)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class DailyCounter(models.Model):
    """The last number of a series (ticket, case, complaint, bundle application) for a
    key (a category, a center) on a day; locked to number (``core/numbering.py``)."""

    series = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "key", "day"], name="one_counter_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.key} {self.day} {self.last}"


# --- audit ----------------------------------------------------------------------------


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit events are append-only")

    def delete(self):
        raise PermissionError("audit events are append-only")

    def visible_to(self, scope):
        return self.filter(scope.q(center="center", department="department"))


class AuditEvent(AppendOnly):
    """One change: who did what to which record, where, before and after.

    Append-only. The ORM refuses updates and deletes; the database refuses updates
    (and on PostgreSQL deletes) with a trigger.
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("操作人（记录时）", max_length=100, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    # Read by (type, id) through the index in ``Meta`` (a record's history); searched
    # only by ``icontains`` beside other columns, which no index of their own serves.
    target_type = models.CharField("对象类型", max_length=64)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    center = models.ForeignKey(
        "org.Center",
        verbose_name="中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    client_ip = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"


# --- work calendar data ---------------------------------------------------------------


class CalendarYear(models.Model):
    """An official holiday schedule loaded for a year the package lacks (or corrects)."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField(
        "依据", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    loaded_at = models.DateTimeField("载入时间", default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="载入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """A day of a loaded schedule that differs from the weekend rule."""

    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="勾选：调休上班；不勾选：放假")
    name = models.CharField("名称", max_length=50, blank=True)

    class Meta:
        verbose_name = "节假日安排日"
        verbose_name_plural = "节假日安排日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.name}".strip()

    def clean(self):
        if self.year_id and self.date and self.date.year != self.year.year:
            raise ValidationError({"date": "日期不在该年度内。"})


class CalendarOverride(models.Model):
    """A local closure or extra working day, for the whole prefecture or a region."""

    date = models.DateField("日期")
    is_workday = models.BooleanField(
        "上班", default=False, help_text="不勾选：闭厅休息；勾选：加班办公"
    )
    reason = models.CharField("原因", max_length=200)
    region = models.ForeignKey(
        "org.Region",
        verbose_name="适用地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="留空表示全州适用；选定地区时适用于该地区及其下级。",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "本地工作日调整"
        verbose_name_plural = "本地工作日调整"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "region"], name="calendar_override_once"),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(region__isnull=True),
                name="calendar_override_once_global",
            ),
        ]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "休息"
        return f"{self.date} {kind}：{self.reason}"


class Deadline(models.Model):
    """A clock counted on the work calendar: a case's, a rectification's, a complaint's.

    Later apps hold a one-to-one link to it. ``due`` is stored so lists can filter
    and sort on it; ``provisional`` marks a due date that crosses a year whose
    official schedule is not loaded yet; loading it recomputes these.
    """

    class Unit(models.TextChoices):
        WORKING = "working", "工作日"
        NATURAL = "natural", "自然日"

    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("用途", max_length=64)
    start = models.DateField("起算日")
    days = models.PositiveIntegerField("时限")
    unit = models.CharField("单位", max_length=10, choices=Unit.choices, default=Unit.WORKING)
    due = models.DateField("截止日", null=True, blank=True, db_index=True)
    provisional = models.BooleanField("暂定", default=False, db_index=True)
    paused = models.BooleanField("暂停中", default=False)

    class Meta:
        verbose_name = "时限"
        verbose_name_plural = "时限"

    def __str__(self) -> str:
        return f"{self.purpose} {self.start}+{self.days}{self.get_unit_display()} → {self.due}"


class DeadlinePause(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    start = models.DateField("暂停起")
    end = models.DateField("暂停止", null=True, blank=True)
    reason = models.CharField("原因", max_length=200)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="deadline_pause_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.start} ~ {self.end or '…'} {self.reason}"


# --- API credentials ------------------------------------------------------------------


class ApiToken(models.Model):
    """A personal bearer token: acts as its user, within the user's scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "个人接口令牌"
        verbose_name_plural = "个人接口令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiClient(models.Model):
    """A machine integration (12345 hotline import, Open311) with its own key and region."""

    name = models.CharField("名称", max_length=100, unique=True)
    region = models.ForeignKey("org.Region", verbose_name="数据范围", on_delete=models.PROTECT)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接入系统"
        verbose_name_plural = "接入系统"

    def __str__(self) -> str:
        return self.name


# --- sweeps -----------------------------------------------------------------------------


class SweepMark(models.Model):
    """The watermark of one registered sweep (``core/sweeps.py``): when its last pass
    ran, and the settings it ran with (a sweep that finds them changed looks again at
    what they decide)."""

    name = models.CharField("巡检", max_length=40, unique=True)
    last_pass = models.DateTimeField("上次巡检时间")
    params = models.JSONField("巡检参数", default=dict, blank=True)

    class Meta:
        verbose_name = "巡检水位"
        verbose_name_plural = "巡检水位"

    def __str__(self) -> str:
        return f"{self.name} {self.last_pass:%Y-%m-%d %H:%M}"


class JobState(models.Model):
    """One periodic job of ``onewindow jobs`` (``core/jobs.py``): when it is next due, and
    who runs it now. A runner claims a due job with one conditional UPDATE of this row,
    so of several app servers running ``onewindow jobs`` exactly one runs each turn."""

    name = models.CharField("任务", max_length=40, unique=True)
    next_due = models.DateTimeField("下次运行时间")
    running_since = models.DateTimeField("本次开始", null=True, blank=True)
    holder = models.CharField("运行者", max_length=120, blank=True)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One run of a periodic job: who ran it, when, how it ended and what it printed."""

    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        OK = "ok", "成功"
        FAILED = "failed", "失败"

    name = models.CharField("任务", max_length=40)
    holder = models.CharField("运行者", max_length=120)
    due = models.DateTimeField("计划时间")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField("结果", max_length=10, choices=Status.choices)
    output = models.TextField("输出", blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"], name="core_jobrun_name_started")]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"
