"""Reads of the register of departments' separate halls (只进一扇门, seed 二(二)4): the
halls in the reader's scope, the departments a center administrator keeps (its own
level's), and the dashboard's figure for a node: halls still open, closed this year,
overdue against their plan, and the share of matters moved into the center (the entry
rate, read through the indicators' own definition)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from onewindow.core.errors import NotFound
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.org.models import Department
from onewindow.oversight.indicators import BY_CODE, Cell, rolled
from onewindow.oversight.indicators.sources import entry_rate, month_of
from onewindow.oversight.models import SeparateHall


def halls_for(*, scope) -> QuerySet[SeparateHall]:
    return SeparateHall.objects.visible_to(scope).select_related("department", "department__region")


def hall_get(*, scope, hall_id) -> SeparateHall:
    text = str(hall_id or "")
    found = halls_for(scope=scope).filter(pk=int(text)).first() if text.isdigit() else None
    if found is None or len(text) > 12:
        raise NotFound("separate_hall.not_found", "未找到该服务大厅。")
    return found


def kept_departments(actor) -> QuerySet[Department]:
    """The departments whose halls ``actor`` keeps: a center administrator, those of its
    center's own region (a county its county's); the superuser, all."""
    if actor.is_superuser:
        return Department.objects.all()
    profile = getattr(actor, "staff_profile", None)
    if not may(actor, "separate_hall.manage") or profile is None or not profile.center_id:
        return Department.objects.none()
    return Department.objects.visible_to(scope_for(actor)).filter(
        region_id=profile.center.region_id
    )


def can_keep(actor, hall: SeparateHall) -> bool:
    return kept_departments(actor).filter(pk=hall.department_id).exists()


@dataclass
class HallsFigure:
    """The 只进一扇门 figure of a part of the network on a day."""

    open: int
    closed_this_year: int
    overdue: int
    matters_still_outside: int
    entry: Cell

    @property
    def any(self) -> bool:
        return bool(self.open or self.closed_this_year or self.entry.figure.den)


def halls_figure(*, scope, departments: QuerySet[Department], day: dt.date) -> HallsFigure:
    """Counted over the halls of ``departments`` (already the node's, in scope)."""
    halls = list(
        halls_for(scope=scope)
        .filter(department__in=departments)
        .only("closed_on", "planned_close", "matters_count", "department_id")
    )
    still = [h for h in halls if h.open_on(day)]
    ids = list(departments.values_list("pk", flat=True))
    month = month_of(day)
    figures = {"entry_rate": entry_rate(ids, [month])} if ids else {}
    return HallsFigure(
        open=len(still),
        closed_this_year=sum(
            1 for h in halls if h.closed_on and h.closed_on.year == day.year and h.closed_on <= day
        ),
        overdue=sum(1 for h in still if h.overdue_on(day)),
        matters_still_outside=sum(h.matters_count for h in still),
        entry=Cell(BY_CODE["entry_rate"], rolled(figures, "entry_rate", ids, month)),
    )
