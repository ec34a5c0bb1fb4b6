"""Uploaded files, kept outside the web root under generated names.

A ``StoredFile`` is only the bytes and what was checked about them (size, type by
content, digest). Who may read it is decided by what it is attached to (a case's
document, an applicant's file store, evidence of an appeal), never by its name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class StoredFile(models.Model):
    storage_name = models.CharField("存储名", max_length=120, unique=True, editable=False)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("摘要", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "文件"
        verbose_name_plural = "文件"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
