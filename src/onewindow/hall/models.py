"""The hall (R-HALL-1..8): service categories, comprehensive windows and who sits at
them, clerk authorisations, the queue's tickets and day counters, appointments."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from onewindow.catalog.models import Bundle, Matter
from onewindow.core.models import IdentityNumberFields
from onewindow.hall import states
from onewindow.org.models import Center, CenterScopedQuerySet


class HallSettings(models.Model):
    """A center's queue rules."""

    class PriorityMode(models.TextChoices):
        STRICT = "strict", "优先号始终优先"
        EVERY_K = "every_k", "每叫k个优先号后叫一个普通号"

    center = models.OneToOneField(Center, on_delete=models.PROTECT, related_name="hall_settings")
    priority_mode = models.CharField(
        "优先规则", max_length=10, choices=PriorityMode.choices, default=PriorityMode.EVERY_K
    )
    priority_k = models.PositiveSmallIntegerField("k", default=3)
    aging_minutes = models.PositiveSmallIntegerField(
        "等候超时提升（分钟）",
        default=60,
        help_text="普通号等候超过该时间与优先号同等对待；0为不提升。",
    )
    recall_limit = models.PositiveSmallIntegerField(
        "重呼次数上限", default=3, help_text="超过后自动记为过号。"
    )
    grace_minutes = models.PositiveSmallIntegerField(
        "过号保留（分钟）", default=30, help_text="过号后在该时间内返回无需重新取号。"
    )
    undo_seconds = models.PositiveSmallIntegerField("叫错撤销时限（秒）", default=15)
    checkin_before_minutes = models.PositiveSmallIntegerField(
        "预约提前签到（分钟）", default=60, help_text="预约时段开始前多少分钟起可签到。"
    )
    checkin_after_minutes = models.PositiveSmallIntegerField(
        "预约迟到签到（分钟）",
        default=0,
        help_text="预约时段结束后仍可签到的分钟数；0为时段结束即不能签到。",
    )
    no_show_limit = models.PositiveSmallIntegerField(
        "爽约次数上限", default=3, help_text="统计期内爽约达到该次数暂停网上预约。"
    )
    no_show_window_days = models.PositiveSmallIntegerField("爽约统计期（天）", default=30)
    suspension_days = models.PositiveSmallIntegerField("暂停网上预约（天）", default=30)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "叫号规则"
        verbose_name_plural = "叫号规则"

    def __str__(self) -> str:
        return f"{self.center.name}叫号规则"


class HallSchedule(models.Model):
    """A center's opening hours: its periods, and when summer runs (R-HALL-2, R-HALL-6).
    The logic lives in ``hall.schedule`` (pure); ``hall.hours`` reads and writes it."""

    center = models.OneToOneField(Center, on_delete=models.PROTECT, related_name="hall_schedule")
    summer_start_month = models.PositiveSmallIntegerField("夏季起（月）", default=5)
    summer_start_day = models.PositiveSmallIntegerField("夏季起（日）", default=1)
    summer_end_month = models.PositiveSmallIntegerField("夏季止（月）", default=9)
    summer_end_day = models.PositiveSmallIntegerField("夏季止（日）", default=30)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "办公时间"
        verbose_name_plural = "办公时间"

    def __str__(self) -> str:
        return f"{self.center.name}办公时间"


class OpeningPeriod(models.Model):
    """One period of a schedule: a time of day on some weekdays in a season, regular
    office hours or extended service (错时延时) by some categories and windows."""

    class Season(models.TextChoices):
        ALL = "all", "全年"
        SUMMER = "summer", "夏季"
        WINTER = "winter", "冬季"

    schedule = models.ForeignKey(HallSchedule, on_delete=models.CASCADE, related_name="periods")
    season = models.CharField("季节", max_length=6, choices=Season.choices, default=Season.ALL)
    weekdays = models.CharField(
        "星期", max_length=7, default="01234", help_text="0为周一，6为周日。"
    )
    start = models.TimeField("开始")
    end = models.TimeField("结束")
    extended = models.BooleanField("错时延时服务", default=False)
    categories = models.ManyToManyField(
        "ServiceCategory", verbose_name="服务类别", blank=True, related_name="+"
    )
    windows = models.ManyToManyField(
        "Window", verbose_name="服务窗口", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "办公时段"
        verbose_name_plural = "办公时段"
        ordering = ["schedule", "extended", "weekdays", "season", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


class ServiceCategory(models.Model):
    """A queue people pick at the terminal (企业开办, 社保医保 …), mapped to matters."""

    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="service_categories"
    )
    letter = models.CharField(
        "号码字母",
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", "号码字母应为1-2个大写字母。")],
    )
    name = models.CharField("名称", max_length=50)
    description = models.CharField("说明", max_length=200, blank=True)
    matters = models.ManyToManyField(
        Matter, verbose_name="事项", blank=True, related_name="service_categories"
    )
    bundle = models.ForeignKey(
        Bundle,
        verbose_name="一件事",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    needs_clerk = models.BooleanField(
        "需窗口人员",
        default=True,
        help_text="自助类业务（打印、查询）不需要窗口人员，可24小时取用。",
    )

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "业务类别"
        verbose_name_plural = "业务类别"
        ordering = ["center", "order", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "letter"], name="category_letter_once_per_center"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class Window(models.Model):
    """A comprehensive window (R-HALL-1)."""

    class Scope(models.TextChoices):
        UNRESTRICTED = "unrestricted", "无差别综合窗口"
        DOMAIN = "domain", "分领域综合窗口"

    class Pace(models.TextChoices):
        INSTANT = "instant", "即收即办"
        DEADLINE = "deadline", "限时办结"

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", "综合窗口"
        PROXY = "proxy", "其他事务代办"
        BUNDLE = "bundle", "一件事窗口"
        DELIVERY = "delivery", "统一出件窗口"
        SINGLE = "single", "单业务窗口（需说明理由）"

    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="windows"
    )
    number = models.PositiveSmallIntegerField("窗口号")
    name = models.CharField("名称", max_length=50, blank=True)
    scope = models.CharField(
        "受理范围", max_length=14, choices=Scope.choices, default=Scope.UNRESTRICTED
    )
    pace = models.CharField(
        "办理时限类型", max_length=10, choices=Pace.choices, default=Pace.INSTANT
    )
    kind = models.CharField("类型", max_length=14, choices=Kind.choices, default=Kind.COMPREHENSIVE)
    domain = models.CharField("领域", max_length=50, blank=True)
    single_reason = models.CharField("设置单业务窗口的理由", max_length=200, blank=True)
    categories = models.ManyToManyField(
        ServiceCategory, verbose_name="服务类别", blank=True, related_name="windows"
    )
    is_active = models.BooleanField("启用", default=True)
    priority_streak = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = ["center", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "number"], name="window_number_once_per_center"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}号窗口" + (f"（{self.name}）" if self.name else "")

    def clean(self):
        errors = {}
        if self.scope == self.Scope.DOMAIN and not self.domain.strip():
            errors["domain"] = "分领域窗口须写明领域。"
        if self.kind == self.Kind.SINGLE and not self.single_reason.strip():
            errors["single_reason"] = "原则上不再设立单业务窗口；确需设立的须写明理由。"
        if errors:
            raise ValidationError(errors)


class WindowSession(models.Model):
    """A clerk signed in at a window. One open session per window and per clerk."""

    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="sessions")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="window_sessions"
    )
    signed_in_at = models.DateTimeField(default=timezone.now)
    signed_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "窗口签到"
        verbose_name_plural = "窗口签到"
        ordering = ["-signed_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["window"],
                condition=models.Q(signed_out_at__isnull=True),
                name="one_open_session_per_window",
            ),
            models.UniqueConstraint(
                fields=["clerk"],
                condition=models.Q(signed_out_at__isnull=True),
                name="one_open_session_per_clerk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clerk} @ {self.window}"


class Authorization(models.Model):
    """What a clerk may take in and decide on the spot (R-HALL-5)."""

    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authorizations"
    )
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="authorizations")
    may_accept = models.BooleanField("可受理", default=True)
    may_decide = models.BooleanField("可当场办结", default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "窗口授权"
        verbose_name_plural = "窗口授权"
        constraints = [
            models.UniqueConstraint(fields=["clerk", "matter"], name="one_authorization_per_matter")
        ]

    def __str__(self) -> str:
        return f"{self.clerk} · {self.matter}"


class Ticket(IdentityNumberFields):
    class Channel(models.TextChoices):
        TERMINAL = "terminal", "自助终端"
        PORTAL = "portal", "网上取号"
        APPOINTMENT = "appointment", "预约签到"
        WINDOW = "window", "窗口代取"
        MOBILE = "mobile", "手机"

    class PriorityReason(models.TextChoices):
        NONE = "", "无"
        ELDERLY = "elderly", "老年人"
        DISABLED = "disabled", "残疾人"
        MILITARY = "military", "军人及军属"
        PREGNANT = "pregnant", "孕妇"
        OTHER = "other", "其他特殊困难"

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="tickets")
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name="取号类别",
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text="号码按取号类别编排，转移后不变。",
    )
    queue = models.ForeignKey(
        ServiceCategory,
        verbose_name="当前队列",
        on_delete=models.PROTECT,
        related_name="queued_tickets",
        help_text="转移到其他类别后在该队列等候。",
    )
    day = models.DateField("日期")
    number = models.PositiveIntegerField("序号")
    code = models.CharField("号码", max_length=8)
    state = models.CharField(
        "状态", max_length=10, default=states.WAITING, choices=list(states.STATE_LABELS.items())
    )
    channel = models.CharField(
        "取号渠道", max_length=12, choices=Channel.choices, default=Channel.TERMINAL
    )
    priority_reason = models.CharField(
        "绿色通道", max_length=10, choices=PriorityReason.choices, blank=True, default=""
    )
    priority_note = models.CharField("绿色通道说明", max_length=100, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    appointment = models.OneToOneField(
        "Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    appointment_at = models.DateTimeField("预约时间", null=True, blank=True)
    window = models.ForeignKey(
        Window,
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_tickets",
    )
    target_window = models.ForeignKey(
        Window,
        verbose_name="指定窗口",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("到达时间", default=timezone.now, db_index=True)
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    served_at = models.DateTimeField("开始办理", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    no_show_at = models.DateTimeField("过号时间", null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField("重呼次数", default=0)
    transfer_count = models.PositiveSmallIntegerField("转移次数", default=0)
    call_count = models.PositiveSmallIntegerField("叫号次数", default=0)
    wait_seconds = models.PositiveIntegerField("等候时长（秒）", null=True, blank=True)
    service_seconds = models.PositiveIntegerField("办理时长（秒）", null=True, blank=True)
    served_window = models.ForeignKey(
        Window,
        verbose_name="办结窗口",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_ref = models.CharField(
        "办件编号",
        max_length=40,
        blank=True,
        help_text="在窗口收件的，关联的办件编号（一次一评）。",
    )

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "排队号"
        verbose_name_plural = "排队号"
        ordering = ["-day", "category", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "day", "number"], name="ticket_number_once"
            ),
            models.UniqueConstraint(
                fields=["window"],
                condition=models.Q(state__in=sorted(states.HELD)),
                name="a_window_holds_one_ticket",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=sorted(states.HELD)) | models.Q(window__isnull=False),
                name="held_ticket_has_a_window",
            ),
        ]
        indexes = [
            # The head of each queue, by arrival (R-HALL-2: calling reads only the heads;
            # its prefix serves the counts of a center's day by state).
            models.Index(
                fields=["center", "day", "state", "queue", "issued_at", "id"],
                name="ticket_queue_head",
            ),
            # Checked-in appointments of a queue by their time: few rows, kept apart.
            models.Index(
                fields=["center", "day", "state", "queue", "appointment_at", "id"],
                name="ticket_queue_appointment",
                condition=models.Q(appointment_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_priority(self) -> bool:
        return bool(self.priority_reason)

    @property
    def state_label(self) -> str:
        return states.STATE_LABELS.get(self.state, self.state)


class AppointmentSlot(models.Model):
    """Bookable capacity of a category on a day and time (R-HALL-6)."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="appointment_slots")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="slots")
    day = models.DateField("日期")
    start = models.TimeField("开始")
    end = models.TimeField("结束")
    capacity = models.PositiveSmallIntegerField("可约人数")
    booked = models.PositiveSmallIntegerField("已约人数", default=0)
    extended = models.BooleanField("错时延时", default=False)
    duty_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="值班人员"
    )

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["day", "start", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "day", "start"], name="slot_once"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.day} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def remaining(self) -> int:
        return self.capacity - self.booked


class Appointment(IdentityNumberFields):
    class State(models.TextChoices):
        BOOKED = "booked", "已预约"
        CHECKED_IN = "checked_in", "已签到"
        CANCELLED = "cancelled", "已取消"
        NO_SHOW = "no_show", "爽约"

    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    matter = models.ForeignKey(
        Matter, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号", max_length=20)
    person_key = models.CharField(
        max_length=64,
        db_index=True,
        help_text="one booking per person per category per day: phone or ID digest",
    )
    code = models.CharField("预约码", max_length=12, unique=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.BOOKED)
    channel = models.CharField("渠道", max_length=12, default="portal")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["-day", "slot__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_key", "category", "day"],
                condition=models.Q(state__in=["booked", "checked_in"]),
                name="one_booking_per_person_category_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BookingSuspension(models.Model):
    """Online booking suspended for a person after repeated no-shows (R-HALL-6)."""

    person_key = models.CharField(max_length=64, db_index=True)
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(
        "暂停起",
        null=True,
        blank=True,
        help_text="此前（含当日）的爽约已计入本次暂停，不再重复计算。",
    )
    until = models.DateField("暂停至")
    reason = models.CharField("原因", max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "预约暂停"
        verbose_name_plural = "预约暂停"

    def __str__(self) -> str:
        return f"{self.person_key[:8]}… 至 {self.until}"


class HomeVisit(models.Model):
    """Door-to-door service (上门服务, R-HALL-6)."""

    class State(models.TextChoices):
        REQUESTED = "requested", "已申请"
        ASSIGNED = "assigned", "已派员"
        VISITED = "visited", "已上门"
        MAILED = "mailed", "结果已寄出"
        CANCELLED = "cancelled", "已取消"

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="home_visits")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("联系人", max_length=50)
    phone = models.CharField("电话", max_length=20)
    address = models.CharField("上门地址", max_length=200)
    note = models.TextField("需求说明", blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.REQUESTED)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上门人员",
    )
    visit_on = models.DateField("上门日期", null=True, blank=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    tracking_number = models.CharField("邮寄单号", max_length=40, blank=True)
    mailed_at = models.DateTimeField("寄出时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "上门服务"
        verbose_name_plural = "上门服务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.matter} · {self.name}"


from onewindow.hall.count_models import TicketDayCount  # noqa: E402, F401  (today's counts)
from onewindow.hall.rollup_models import TicketMonth  # noqa: E402, F401  (the monthly rollup)
from onewindow.hall.terminal_models import Terminal  # noqa: E402, F401  (self-service terminals)
