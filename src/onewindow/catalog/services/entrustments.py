"""Entrusted matters (委托事项, seed 二(一)1): recorded and revoked by the catalog's
administrators (``catalog.entrust``: the center administrator and the government
office) whose scope holds both the entrusting department and the receiving center.

The rules: only a department of the matter's line at its competent level may entrust
(a township or village matter is the county body's); the receiving center or point
lies in the department's region (the same region line, at its level or below); two
entrustments of the same matter (and item) to the same center never overlap in time.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import Entrustment, Matter
from onewindow.catalog.selectors.entrustments import can_entrust, competent_levels
from onewindow.core.audit import audit_record, snapshot
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.text import clean_text
from onewindow.org.models import Center, Department

FIELDS = [
    "matter",
    "item",
    "department",
    "center",
    "start",
    "end",
    "document_number",
    "document_title",
    "revoked_on",
    "revoke_reason",
]


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput("entrustment.invalid", message, {field: message})


def _check(matter: Matter, department: Department, center: Center) -> None:
    if matter.status != Matter.Status.ACTIVE:
        raise Conflict("matter.cancelled", "该事项已取消，不能委托。")
    if department.line_id != matter.line_id or department.region.level not in competent_levels(
        matter
    ):
        raise _invalid(
            "department",
            f"只有“{matter.name}”所属系统{matter.get_level_display()}权限的部门可以委托该事项。",
        )
    if not center.region.path.startswith(department.region.path):
        raise _invalid(
            "center", f"受托的中心或代办点须在{department.region.name}辖区内（同一区划条线）。"
        )


# An entrustment's dates are those of a government document: from the founding of the
# state to the end of this century (a date outside is a typing error, and a revocation on
# the first day the calendar has would leave no day before it to end on).
FIRST_DAY, LAST_DAY = dt.date(1949, 10, 1), dt.date(2100, 12, 31)


def _in_range(field: str, label: str, day: dt.date | None) -> None:
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise _invalid(field, f"{label}须在{FIRST_DAY.year}年至{LAST_DAY.year}年之间。")


def _overlapping(matter, center, item: str, start: dt.date, last: dt.date | None, exclude=None):
    """Entrustments of the same matter and item to the same center in force on some day
    of [start, last] (last None: open-ended)."""
    rows = for_update(Entrustment.objects).filter(matter=matter, center=center, item=item)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return [
        e
        for e in rows
        if (e.last_day is None or e.last_day >= max(start, e.start))
        and (last is None or e.start <= last)
    ]


@transaction.atomic
def entrustment_create(
    *,
    actor,
    matter: Matter,
    department: Department,
    center: Center,
    start: dt.date,
    document_number: str,
    document_title: str,
    end: dt.date | None = None,
    item: str = "",
    document_file=None,
) -> Entrustment:
    """Record that ``department`` entrusts ``matter`` (or ``item`` of it) to ``center``."""
    if not can_entrust(actor, department=department, center=center):
        raise Forbidden("entrustment.forbidden", "您无权为该部门或中心登记委托事项。")
    matter = for_update(Matter.objects).get(pk=matter.pk)
    _check(matter, department, center)
    item = clean_text(item, field="item", label="委托子项", limit=200, required=False)
    number = clean_text(document_number, field="document_number", label="委托文件文号", limit=100)
    title = clean_text(document_title, field="document_title", label="委托文件标题", limit=200)
    if start is None:
        raise _invalid("start", "请填写委托起始日期。")
    _in_range("start", "委托起始日期", start)
    _in_range("end", "委托截止日期", end)
    if end is not None and end < start:
        raise _invalid("end", "委托截止日期不能早于起始日期。")
    clash = _overlapping(matter, center, item, start, end)
    if clash:
        other = clash[0]
        until = other.last_day.isoformat() if other.last_day else "长期"
        raise Conflict(
            "entrustment.overlap",
            f"{center.name}已有“{matter.name}”的委托（{other.start.isoformat()}至{until}），"
            "委托期间不能重叠；请先撤销原委托或调整起止日期。",
        )
    entrustment = Entrustment.objects.create(
        matter=matter,
        item=item,
        department=department,
        center=center,
        start=start,
        end=end,
        document_number=number,
        document_title=title,
        document_file=document_file,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="entrustment.create",
        target=entrustment,
        center=center,
        department=department,
        after=snapshot(entrustment, FIELDS),
    )
    return entrustment


@transaction.atomic
def entrustment_revoke(
    *, actor, entrustment: Entrustment, on: dt.date | None = None, reason: str
) -> Entrustment:
    """Revoke from ``on`` (default today): no longer in force from that day."""
    entrustment = (
        for_update(Entrustment.objects)
        .select_related("center", "department", "matter")
        .get(pk=entrustment.pk)
    )
    if not can_entrust(actor, department=entrustment.department, center=entrustment.center):
        raise Forbidden("entrustment.forbidden", "您无权撤销该委托。")
    if entrustment.is_revoked:
        raise Conflict("entrustment.revoked", "该委托已撤销。")
    on = on or timezone.localdate(clock_now())
    reason = clean_text(
        reason, field="reason", label="撤销原因", limit=300, message="撤销委托须写明原因。"
    )
    _in_range("revoked_on", "撤销日期", on)
    if on < entrustment.start:
        raise _invalid("revoked_on", "撤销日期不能早于委托起始日期。")
    before = snapshot(entrustment, FIELDS)
    entrustment.revoked_on, entrustment.revoke_reason = on, reason
    entrustment.revoked_by = actor
    entrustment.save(update_fields=["revoked_on", "revoke_reason", "revoked_by"])
    audit_record(
        actor=actor,
        action="entrustment.revoke",
        target=entrustment,
        center=entrustment.center,
        department=entrustment.department,
        before=before,
        after=snapshot(entrustment, FIELDS),
        note=reason,
    )
    return entrustment
