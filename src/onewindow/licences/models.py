"""The center's signing key and seal, and the licences it issues (R-MSG-2).

A ``CenterSigner`` holds one Ed25519 key pair per center: the public key in the clear,
the private key only encrypted with ``FIELD_ENCRYPTION_KEY`` (``core/crypto.py``, as the
identity numbers are), and the seal image kept by ``files`` like any upload.

A ``Licence`` keeps the canonical payload it was signed over (what the licence shows:
holder masked, matter, result, numbers, dates) and the signature. Verification rebuilds
the canonical bytes from the stored payload and checks the signature with the center's
public key, so a payload changed in the database no longer verifies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.cases.models import Case
from onewindow.files.models import StoredFile
from onewindow.org.models import Center, ScopedQuerySet


class CenterSigner(models.Model):
    center = models.OneToOneField(
        Center, verbose_name="中心", on_delete=models.PROTECT, related_name="signer"
    )
    key_id = models.CharField("密钥标识", max_length=32, unique=True)
    public_key = models.TextField("公钥（PEM）")
    private_key_cipher = models.TextField("私钥（密文）", editable=False)
    seal = models.ForeignKey(
        StoredFile, verbose_name="电子印章", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "中心签章"
        verbose_name_plural = "中心签章"

    def __str__(self) -> str:
        return f"{self.center} 签章 {self.key_id}"


class LicenceQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "case__center", "department": "case__department"}


class Licence(models.Model):
    class State(models.TextChoices):
        VALID = "valid", "有效"
        REVOKED = "revoked", "已撤销"
        REPLACED = "replaced", "已换发"

    case = models.ForeignKey(
        Case, verbose_name="办件", on_delete=models.PROTECT, related_name="licences"
    )
    signer = models.ForeignKey(
        CenterSigner, verbose_name="签章", on_delete=models.PROTECT, related_name="licences"
    )
    number = models.CharField("证照编号", max_length=40, unique=True)
    code = models.CharField("核验码", max_length=16, unique=True)
    title = models.CharField("证照名称", max_length=200)
    payload = models.JSONField("签名内容")
    signature = models.CharField("签名", max_length=200)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.VALID, db_index=True
    )
    issued_at = models.DateTimeField("签发时间", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销/换发时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("撤销/换发原因", max_length=200, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name="换发后的证照",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )

    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = "电子证照"
        verbose_name_plural = "电子证照"
        ordering = ["-issued_at", "-id"]
        constraints = [
            # one valid licence per case at a time: a new one replaces the old
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state="valid"),
                name="one_valid_licence_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="replaced") | models.Q(replaced_by__isnull=False),
                name="replaced_licence_names_its_successor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"
