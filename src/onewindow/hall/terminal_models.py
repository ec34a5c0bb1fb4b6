"""The self-service terminals a center has registered (R-HALL-7): a terminal is known by
a signed, revocable credential it receives once, at its enrollment, not by what its
browser says of itself (``hall/services/terminals.py``)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from onewindow.core.audit import TERMINAL_CODE
from onewindow.org.models import Center


class Terminal(models.Model):
    """One self-service terminal of a center. Its credential names it and its
    ``generation``: a new enrollment makes the older credentials worthless, a revocation
    stops all of them."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="terminals", verbose_name="服务中心"
    )
    code = models.CharField(
        "终端编号",
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^" + TERMINAL_CODE.pattern + r"\Z", "终端编号只能包含大写字母、数字和连字符。"
            )
        ],
    )
    place = models.CharField("安放位置", max_length=60, blank=True)
    generation = models.PositiveIntegerField("凭证代次", default=0)
    # the one-time enrollment code, kept only as its SHA-256 digest
    enrollment_digest = models.CharField(max_length=64, blank=True, db_index=True)
    enrollment_expires_at = models.DateTimeField("登记码有效期至", null=True, blank=True)
    enrolled_at = models.DateTimeField("登记时间", null=True, blank=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    revoked_reason = models.CharField("停用原因", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "自助终端"
        verbose_name_plural = verbose_name
        ordering = ["center", "code"]

    def __str__(self) -> str:
        return f"自助终端 {self.code}"

    @property
    def state_label(self) -> str:
        if self.revoked_at:
            return "已停用"
        return "已登记" if self.enrolled_at else "待登记"
