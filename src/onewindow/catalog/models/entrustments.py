"""Entrusted matters (委托事项, seed 二(一)1): a department entrusts a matter, or an item
of it, to a service center or a township / village point, by a document, from a date
(until a date or open-ended), until revoked. The center organises and supervises the
entrusted handling; intake at a point reads it (``cases``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onewindow.catalog.models.guides import Matter
from onewindow.org.models import Center, Department, ScopedQuerySet


class EntrustmentQuerySet(ScopedQuerySet):
    """Seen by whoever sees the receiving center or the entrusting department."""

    scope_lookups = {"center": "center", "department": "department"}

    def active_on(self, day: dt.date):
        """In force on ``day``: begun, not ended, not revoked (revoked from its date)."""
        return self.filter(start__lte=day).filter(
            Q(end__isnull=True) | Q(end__gte=day),
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
        )


class Entrustment(models.Model):
    """A department's entrustment of a matter to a center or point (委托)."""

    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="entrustments"
    )
    item = models.CharField(
        "委托子项", max_length=200, blank=True, help_text="只委托事项的部分办理项时填写。"
    )
    department = models.ForeignKey(
        Department, verbose_name="委托部门", on_delete=models.PROTECT, related_name="entrustments"
    )
    center = models.ForeignKey(
        Center,
        verbose_name="受托中心/代办点",
        on_delete=models.PROTECT,
        related_name="entrustments",
    )
    start = models.DateField("委托起始日期")
    end = models.DateField("委托截止日期", null=True, blank=True)
    document_number = models.CharField("委托文件文号", max_length=100)
    document_title = models.CharField("委托文件标题", max_length=200)
    document_file = models.ForeignKey(
        "files.StoredFile",
        verbose_name="委托文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EntrustmentQuerySet.as_manager()

    class Meta:
        verbose_name = "委托事项"
        verbose_name_plural = "委托事项"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="entrustment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | ~Q(revoke_reason=""),
                name="entrustment_revocation_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["matter", "center"], name="entrustment_matter_center")]

    def __str__(self) -> str:
        return f"{self.department.name}委托{self.center.name}办理“{self.matter.name}”"

    @property
    def last_day(self) -> dt.date | None:
        """The last day in force (the day before revocation, or the end), None: open."""
        days = [d for d in (self.end, self.revoked_on and self.revoked_on - dt.timedelta(1)) if d]
        return min(days) if days else None

    def active_on(self, day: dt.date) -> bool:
        last = self.last_day
        return self.start <= day and (last is None or day <= last)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None

    def status_on(self, day: dt.date) -> str:
        if self.revoked_on is not None and self.revoked_on <= day:
            return "已撤销"
        if self.start > day:
            return "未生效"
        if self.end is not None and self.end < day:
            return "已到期"
        return "有效"

    @property
    def status_today(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def tone(self) -> str:
        """How a badge shows today's status: ``ok`` in force, ``bad`` revoked, else warn."""
        if self.active_on(timezone.localdate()):
            return "ok"
        return "bad" if self.is_revoked else "warn"

    @property
    def sentence(self) -> str:
        """What the guide says (本事项由XX委托XX办理，依据…)."""
        what = f"“{self.item}”" if self.item else "本事项"
        return (
            f"{what}由{self.department.name}委托{self.center.name}办理，"
            f"依据《{self.document_title}》（{self.document_number}）。"
        )
