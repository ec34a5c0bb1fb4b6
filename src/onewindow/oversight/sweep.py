"""The window planning sweep, called by ``onewindow sweep`` (R-HALL-4): each working
day it computes the day's plan of every center with windows and categories and keeps
it in the shared cache (``caches["shared"]``: Redis when ``REDIS_URL`` is set, else
files under the data directory), so the web server's planning page opens at once on
the default target. A plan the sweep made for the same history, windows and roster is
kept, not redone."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from onewindow.core.calendar import calendar_for
from onewindow.core.scope import Scope
from onewindow.hall.models import ServiceCategory, Window
from onewindow.oversight.selectors import planning as sel


@dataclass
class PlanningSweepResult:
    planned: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"窗口调度：预先计算{len(self.planned)}个中心当日方案，"
            f"{len(self.kept)}个中心方案未变沿用，用时{self.seconds:.1f}秒。"
        )


def sweep(now: datetime | None = None) -> PlanningSweepResult:
    day = timezone.localdate(now or timezone.now())
    scope = Scope.all()
    started = time.perf_counter()
    result = PlanningSweepResult()
    with_windows = set(Window.objects.filter(is_active=True).values_list("center_id", flat=True))
    with_categories = set(
        ServiceCategory.objects.filter(is_active=True, needs_clerk=True).values_list(
            "center_id", flat=True
        )
    )
    for center in sel.planning_centers(scope=scope):
        if center.pk not in with_windows & with_categories:
            continue
        if not calendar_for(center=center).is_workday(day):
            continue
        _, fresh = sel.precompute(scope=scope, center_id=center.pk, day=day)
        (result.planned if fresh else result.kept).append(center.name)
    result.seconds = time.perf_counter() - started
    return result
