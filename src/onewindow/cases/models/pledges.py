"""Certification by pledge (告知承诺, R-CASE-5): a pledge given in place of a certificate
is verified after the decision (``PledgeCheck``); a false one is recorded against the
applicant (``FalsePledge``), never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.cases.models.applicants import Applicant
from onewindow.cases.models.case import Case, Document
from onewindow.catalog.models import Material
from onewindow.core.models import AppendOnly
from onewindow.org.models import ScopedQuerySet


class PledgeCheckQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "case__center", "department": "case__department"}


class PledgeCheck(models.Model):
    """Verification of a pledge given in place of a certificate (告知承诺核查)."""

    class State(models.TextChoices):
        PENDING = "pending", "待核查"
        TRUE = "true", "承诺属实"
        FALSE = "false", "虚假承诺"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pledge_checks")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="pledge_check")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("核查期限")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    note = models.TextField("核查情况", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PledgeCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "承诺核查"
        verbose_name_plural = "承诺核查"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.material}"


class FalsePledge(AppendOnly):
    """A false pledge recorded against the applicant (虚假承诺记录). Never deleted."""

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="false_pledges")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    pledge_check = models.OneToOneField(
        PledgeCheck, on_delete=models.PROTECT, related_name="record"
    )
    material_name = models.CharField("材料", max_length=200)
    note = models.TextField("情况")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "虚假承诺记录"
        verbose_name_plural = "虚假承诺记录"
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.applicant} {self.material_name}"
