"""The outbox (R-MSG-1): one row per message, written in the transaction of the event
that causes it, delivered by ``onewindow send-messages``; each attempt recorded; a
citizen's refusal and a person's WeChat openid."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.org.models import Center, ScopedQuerySet


class MessageQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class Message(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        WECHAT = "wechat", "微信模板消息"
        INAPP = "inapp", "站内消息"
        PROVINCE = "province", "省级平台推送"

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        PARKED = "parked", "发送失败已暂停"
        REFUSED = "refused", "对方已退订"

    key = models.CharField("幂等键", max_length=120, unique=True)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    template = models.CharField("模板", max_length=40)
    params = models.JSONField("参数", default=dict)
    body = models.TextField("正文")
    parts = models.PositiveSmallIntegerField("短信条数", default=1)
    phone = models.CharField("手机号", max_length=20, blank=True)
    openid = models.CharField("微信openid", max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inapp_messages",
    )
    center = models.ForeignKey(
        Center, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    urgent = models.BooleanField("紧急（不受免打扰时段限制）", default=False)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    failures = models.PositiveSmallIntegerField("连续失败次数", default=0)
    next_at = models.DateTimeField("下次发送时间", default=timezone.now)
    claimed_by = models.CharField("领取者", max_length=64, blank=True)
    claimed_until = models.DateTimeField("领取到期", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    sent_at = models.DateTimeField("送达网关时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    receipt = models.CharField("网关回执", max_length=80, blank=True)
    # a push to the provincial platform (R-MSG-3): the record it carries
    record_type = models.CharField("推送记录类型", max_length=8, blank=True, default="")
    record_id = models.PositiveBigIntegerField("推送记录编号", null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_at"],
                name="message_due",
                condition=models.Q(state="pending"),
            ),
            models.Index(fields=["center", "state"], name="message_center_state"),
            models.Index(fields=["user", "channel", "created_at"], name="message_inbox"),
            models.Index(
                fields=["record_type", "record_id"],
                name="message_record",
                condition=models.Q(channel="province"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.key}"


class Attempt(models.Model):
    """One delivery attempt: who tried, when, what the gateway answered."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveSmallIntegerField("第几次")
    worker = models.CharField("发送进程", max_length=64)
    at = models.DateTimeField("时间", default=timezone.now)
    ok = models.BooleanField("成功")
    answer = models.CharField("网关应答", max_length=300, blank=True)
    millis = models.PositiveIntegerField("耗时（毫秒）", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "发送记录"
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="attempt_once_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.message_id}#{self.number}"


class Refusal(models.Model):
    """A phone number that refused messages (a reply 退订/TD, or the toggle). Urgent
    messages of a visit in progress (a ticket being called) are still sent."""

    phone = models.CharField("手机号", max_length=20, unique=True)
    source = models.CharField(
        "来源", max_length=10, choices=[("reply", "短信回复退订"), ("toggle", "设置退订")]
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "退订"

    def __str__(self) -> str:
        return f"尾号{self.phone[-4:]}"


class WeChatBinding(models.Model):
    """A person's openid on the center's WeChat service account, found by phone."""

    phone = models.CharField("手机号", max_length=20, unique=True)
    openid = models.CharField("openid", max_length=64, unique=True)
    bound_at = models.DateTimeField("绑定时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "微信绑定"

    def __str__(self) -> str:
        return f"尾号{self.phone[-4:]}"
