"""只进一扇门 (seed 二(二)4): the register of departments' own separate service halls
still open, the matters still served there, the plan and date to close each and the
day it closed. A center administrator keeps its own level's (a county its county's)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from onewindow.org.models import Department, ScopedQuerySet


class SeparateHallQuerySet(ScopedQuerySet):
    """Seen through the department: its region's readers, and the department's own."""

    scope_lookups = {
        "center": None,
        "department": "department",
        "region_path": "department__region__path",
    }


class SeparateHall(models.Model):
    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.PROTECT, related_name="separate_halls"
    )
    name = models.CharField("大厅名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    matters_count = models.PositiveIntegerField("仍在大厅办理的事项数", default=0)
    matters_list = models.TextField("仍在大厅办理的事项", blank=True)
    reason = models.TextField("单独设立的原因")
    plan = models.TextField("撤并计划", blank=True)
    planned_close = models.DateField("计划撤并日期", null=True, blank=True)
    closed_on = models.DateField("实际撤并日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SeparateHallQuerySet.as_manager()

    class Meta:
        verbose_name = "部门单独设立的服务大厅"
        verbose_name_plural = verbose_name
        ordering = ["department__region__path", "department__line__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="one_hall_name_per_dept")
        ]

    def __str__(self) -> str:
        return f"{self.department.name}·{self.name}"

    def open_on(self, day: dt.date) -> bool:
        return self.closed_on is None or self.closed_on > day

    def overdue_on(self, day: dt.date) -> bool:
        """Still open after its planned closing date."""
        return self.open_on(day) and self.planned_close is not None and self.planned_close < day

    @property
    def is_open(self) -> bool:
        return self.open_on(timezone.localdate())

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        if not self.is_open:
            return "已撤并"
        return "逾期未撤并" if self.is_overdue else "仍在运行"

    @property
    def tone(self) -> str:
        if not self.is_open:
            return "ok"
        return "bad" if self.is_overdue else "warn"
