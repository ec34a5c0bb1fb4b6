"""Citizen accounts (R-CIT-1): optional, real-name, apart from the staff's users.

- ``CitizenAccount``: phone + password (hashed as staff passwords are), the identity
  number checked by its check digit and held encrypted (``IdentityNumberFields``). It is
  not an ``AUTH_USER_MODEL`` row: a signed-in citizen is never ``request.user``, so no
  staff page lets them in (see ``portal/citizens/session.py``).
- ``PhoneCode``: a one-time code sent to a phone (claiming its affairs, resetting a
  password); ``portal/citizens/codes.py`` hands it to the senders registered there.
- ``ClaimedPhone``: a phone the account has proved with a code; the affairs done under
  that phone without an account (tickets, bookings, cases, complaints) are the account's.
- ``AccountInquiry``: a question the account asked online (网上咨询).
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone

from onewindow.complaints.models import Inquiry
from onewindow.core.models import IdentityNumberFields
from onewindow.core.pii import mask_phone


class CitizenAccount(IdentityNumberFields):
    phone = models.CharField("手机号", max_length=20, unique=True)
    name = models.CharField("姓名", max_length=50)
    password = models.CharField("密码", max_length=128)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_login = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "群众账户"
        verbose_name_plural = "群众账户"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=~models.Q(id_number_digest=""),
                name="one_citizen_account_per_identity_number",
            ),
        ]

    def __str__(self) -> str:
        return f"群众 {mask_phone(self.phone)}"

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)


class PhoneCode(models.Model):
    class Purpose(models.TextChoices):
        CLAIM = "claim", "认领事务"
        RESET = "reset", "重置密码"
        MESSAGES = "messages", "短信通知设置"

    phone = models.CharField("手机号", max_length=20, db_index=True)
    purpose = models.CharField("用途", max_length=10, choices=Purpose.choices)
    code = models.CharField("验证码", max_length=6)
    account = models.ForeignKey(
        CitizenAccount, null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "手机验证码"
        verbose_name_plural = "手机验证码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.phone[-4:]}"


class ClaimedPhone(models.Model):
    account = models.ForeignKey(
        CitizenAccount, on_delete=models.CASCADE, related_name="claimed_phones"
    )
    phone = models.CharField("手机号", max_length=20, unique=True)
    proven_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "已认领手机号"
        verbose_name_plural = "已认领手机号"

    def __str__(self) -> str:
        return f"{self.account} {self.phone[-4:]}"


class AccountInquiry(models.Model):
    account = models.ForeignKey(CitizenAccount, on_delete=models.CASCADE, related_name="inquiries")
    inquiry = models.OneToOneField(Inquiry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "群众网上咨询"
        verbose_name_plural = "群众网上咨询"

    def __str__(self) -> str:
        return f"{self.account} {self.inquiry}"
