"""The applicant (申请人): a person or an enterprise, its basic information taken once
(一表申请), and its file store of materials reused in later cases (材料复用, R-CASE-6)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from onewindow.catalog.models import MaterialType
from onewindow.core.fields import ProtectedJSONField
from onewindow.core.models import IdentityNumberFields
from onewindow.files.models import StoredFile


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
    profile = ProtectedJSONField("基本信息", default=dict, blank=True)
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


class ApplicantDocument(models.Model):
    """A material in the applicant's file store, reused in later cases (材料复用)."""

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="documents")
    material_type = models.ForeignKey(
        MaterialType, verbose_name="通用材料", null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField("材料名称", max_length=200)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    source_case = models.ForeignKey(
        "Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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
