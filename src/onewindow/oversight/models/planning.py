"""The roster a center sets for window planning (R-HALL-4): how many clerks are at the
windows in each half hour of a working day. Without one the plan takes the roster
from the window sign-ins of the past weeks."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from onewindow.org.models import Center, ScopedQuerySet


class RosterSlotQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class RosterSlot(models.Model):
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    start = models.TimeField("时段开始")
    clerks = models.PositiveSmallIntegerField("在岗窗口人员")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RosterSlotQuerySet.as_manager()

    class Meta:
        verbose_name = "窗口排班（半小时）"
        verbose_name_plural = verbose_name
        ordering = ["center", "start"]
        constraints = [models.UniqueConstraint(fields=["center", "start"], name="roster_slot_once")]

    def __str__(self) -> str:
        return f"{self.start:%H:%M} {self.clerks}人"
