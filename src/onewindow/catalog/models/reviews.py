"""Process changes: a new guide version through legality and final review (R-CAT-8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from onewindow.catalog.models.guides import GuideVersion, Matter
from onewindow.org.models import ScopedQuerySet


class ReviewState(models.TextChoices):
    DRAFT = "draft", "草稿"
    LEGALITY_REVIEW = "legality_review", "合法性审核中"
    FINAL_REVIEW = "final_review", "终审中"
    APPLIED = "applied", "已实施"
    RETURNED = "returned", "已退回"


class ProcessChangeQuerySet(ScopedQuerySet):
    scope_lookups = {"center": None, "department": "matter__department"}


class ProcessChange(models.Model):
    """A proposed guide version whose process differs from the current one (R-CAT-8)."""

    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="process_changes"
    )
    proposed = models.OneToOneField(
        GuideVersion,
        verbose_name="拟实施版本",
        on_delete=models.PROTECT,
        related_name="process_change",
    )
    base = models.ForeignKey(
        GuideVersion,
        verbose_name="原版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        "状态", max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    reason = models.TextField("优化说明")
    before = models.JSONField("优化前", default=dict)
    after = models.JSONField("优化后", default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    legality_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legality_at = models.DateTimeField(null=True, blank=True)
    legality_opinion = models.TextField("合法性审核意见", blank=True)
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    final_at = models.DateTimeField(null=True, blank=True)
    final_opinion = models.TextField("终审意见", blank=True)
    exception_accepted = models.BooleanField("认可压缩例外", default=False)

    objects = ProcessChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "流程再造"
        verbose_name_plural = "流程再造"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.matter.name} 流程再造（{self.get_state_display()}）"

    @property
    def in_legality_review(self) -> bool:
        return self.state == ReviewState.LEGALITY_REVIEW

    @property
    def in_final_review(self) -> bool:
        return self.state == ReviewState.FINAL_REVIEW

    @property
    def tone(self) -> str:
        """How a badge shows the state: ``ok`` applied, ``bad`` returned, else ``warn``."""
        return {ReviewState.APPLIED: "ok", ReviewState.RETURNED: "bad"}.get(self.state, "warn")
