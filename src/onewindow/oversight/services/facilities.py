"""The hall's zones and facilities, the daily checklist, faults and their fix, and the
free services counted per day (R-HALL-8)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.core.text import clean_text
from onewindow.oversight.models import (
    Facility,
    FacilityCheck,
    FacilityCheckItem,
    FacilityFault,
    FacilityKind,
    FreeService,
    FreeServiceCount,
    HallZone,
)
from onewindow.oversight.services.duty import as_id, center_in_scope, require

MAX_FREE_SERVICES_A_DAY = 10_000


def _name(value, field: str, label: str, limit: int) -> str:
    return clean_text(value, field=field, label=label, limit=limit, code=f"facility.{field}")


@transaction.atomic
def hall_zone_add(*, actor, center_id, name: str) -> HallZone:
    require(actor, "facility.manage", "只有中心管理员可以维护大厅功能区。")
    center = center_in_scope(actor, center_id)
    name = _name(name, "name", "功能区名称", 50)
    if HallZone.objects.filter(center=center, name=name).exists():
        raise Conflict("facility.zone_exists", f"已有功能区“{name}”。")
    order = HallZone.objects.filter(center=center).count() + 1
    zone = HallZone.objects.create(center=center, name=name, order=order)
    audit_record(
        actor=actor, action="hall_zone.add", target=zone, center=center, after={"name": name}
    )
    return zone


@transaction.atomic
def facility_add(*, actor, zone_id, kind: str, name: str = "", quantity=1) -> Facility:
    require(actor, "facility.manage", "只有中心管理员可以维护便民设施。")
    zone = HallZone.objects.visible_to(scope_for(actor)).filter(pk=as_id(zone_id)).first()
    if zone is None:
        raise NotFound()
    if kind not in FacilityKind.values:
        raise InvalidInput("facility.kind", "请选择设施类别。", {"kind": "请选择设施类别。"})
    try:
        qty = int(quantity)
    except (TypeError, ValueError):
        qty = 0
    if not 1 <= qty <= 999:
        raise InvalidInput("facility.quantity", "数量应为1至999。", {"quantity": "1至999"})
    name = (
        clean_text(name, field="name", label="名称", limit=50, required=False)
        or FacilityKind(kind).label
    )
    facility = Facility.objects.create(
        center_id=zone.center_id, zone=zone, kind=kind, name=name, quantity=qty
    )
    audit_record(
        actor=actor,
        action="facility.add",
        target=facility,
        center=zone.center,
        after={"zone": zone.name, "kind": kind, "name": name, "quantity": qty},
    )
    return facility


def _open_fault(*, actor, facility: Facility, description: str, at) -> FacilityFault | None:
    if FacilityFault.objects.filter(facility=facility, fixed_at__isnull=True).exists():
        return None
    fault = FacilityFault.objects.create(
        center_id=facility.center_id,
        facility=facility,
        description=description,
        reported_at=at,
        reported_by=actor,
    )
    audit_record(
        actor=actor,
        action="facility_fault.report",
        target=fault,
        center=facility.center,
        after={"facility": str(facility), "description": description},
    )
    return fault


@transaction.atomic
def facility_check_record(
    *, actor, center_id, problems: dict, note: str = "", now=None
) -> FacilityCheck:
    """The day's checklist: every facility in use is checked; ``problems`` maps the id of
    each facility found wrong to what was wrong. Each wrong one is reported as a fault
    (unless one is already open). One checklist per center and day."""
    require(actor, "facility.check", "只有本中心工作人员可以登记设施检查。")
    center = center_in_scope(actor, center_id)
    at = clock.now(now)
    day = timezone.localdate(at)
    if FacilityCheck.objects.select_for_update().filter(center=center, day=day).exists():
        raise Conflict("facility.checked_today", f"{day:%Y-%m-%d}的设施检查已登记。")
    facilities = list(Facility.objects.filter(center=center, active=True).select_related("zone"))
    if not facilities:
        raise Conflict("facility.none", "本中心尚未登记便民设施，请先由中心管理员维护。")
    known = {f.pk for f in facilities}
    wrong: dict[int, str] = {}
    for key, text in (problems or {}).items():
        # isdigit() takes '²' and other digits int() refuses: only ASCII digits are ids
        pk = int(key) if str(key).isascii() and str(key).isdigit() else None
        if pk not in known:
            raise InvalidInput("facility.unknown", "检查单中有不属于本中心的设施。")
        wrong[pk] = clean_text(text, field=str(pk), label="设施存在的问题", limit=200)
    check = FacilityCheck.objects.create(
        center=center,
        day=day,
        checked_by=actor,
        checked_at=at,
        note=clean_text(note, field="note", label="备注", limit=200, required=False),
    )
    FacilityCheckItem.objects.bulk_create(
        FacilityCheckItem(daily=check, facility=f, ok=f.pk not in wrong, note=wrong.get(f.pk, ""))
        for f in facilities
    )
    for f in facilities:
        if f.pk in wrong:
            _open_fault(actor=actor, facility=f, description=wrong[f.pk], at=at)
    audit_record(
        actor=actor,
        action="facility_check.record",
        target=check,
        center=center,
        after={"checked": len(facilities), "wrong": len(wrong)},
    )
    return check


@transaction.atomic
def facility_fault_report(*, actor, facility_id, description: str, now=None) -> FacilityFault:
    require(actor, "facility.check", "只有本中心工作人员可以报修。")
    facility = Facility.objects.visible_to(scope_for(actor)).filter(pk=as_id(facility_id)).first()
    if facility is None:
        raise NotFound()
    Facility.objects.select_for_update().get(pk=facility.pk)
    fault = _open_fault(
        actor=actor,
        facility=facility,
        description=_name(description, "description", "故障情况", 200),
        at=clock.now(now),
    )
    if fault is None:
        raise Conflict("facility.fault_open", f"{facility}已有未修复的故障。")
    return fault


@transaction.atomic
def facility_fault_fix(*, actor, fault_id, fix_note: str, now=None) -> FacilityFault:
    require(actor, "facility.check", "只有本中心工作人员可以登记修复。")
    fault = FacilityFault.objects.visible_to(scope_for(actor)).filter(pk=as_id(fault_id)).first()
    if fault is None:
        raise NotFound()
    fault = FacilityFault.objects.select_for_update().get(pk=fault.pk)
    if fault.fixed_at is not None:
        raise Conflict("facility.fault_fixed", "该故障已修复。")
    at = clock.now(now)
    if at < fault.reported_at:
        raise InvalidInput("facility.fix_time", "修复时间不能早于报修时间。")
    fault.fixed_at, fault.fixed_by = at, actor
    fault.fix_note = _name(fix_note, "fix_note", "处理情况", 200)
    fault.save(update_fields=["fixed_at", "fixed_by", "fix_note"])
    audit_record(
        actor=actor,
        action="facility_fault.fix",
        target=fault,
        center=fault.center,
        after={"fix_note": fault.fix_note, "hours": round(fault.hours_to_fix, 2)},
    )
    return fault


@transaction.atomic
def free_service_add(
    *, actor, center_id, service: str, count=1, day: date | None = None, now=None
) -> FreeServiceCount:
    """Count free services given (打印、复印、邮寄、传真) for a day: a tap adds one."""
    require(actor, "facility.check", "只有本中心工作人员可以登记便民服务。")
    center = center_in_scope(actor, center_id)
    if service not in FreeService.values:
        raise InvalidInput("free_service.kind", "请选择服务项目。", {"service": "请选择服务项目"})
    try:
        n = int(count)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= MAX_FREE_SERVICES_A_DAY:
        raise InvalidInput("free_service.count", "次数应为1至10000。", {"count": "1至10000"})
    today = timezone.localdate(clock.now(now))
    day = day or today
    if day > today:
        raise InvalidInput("free_service.future", "不能登记未来日期。", {"day": "不能是未来日期"})
    row, _ = FreeServiceCount.objects.select_for_update().get_or_create(
        center=center, day=day, service=service
    )
    before = row.count
    FreeServiceCount.objects.filter(pk=row.pk).update(count=F("count") + n)
    row.refresh_from_db()
    audit_record(
        actor=actor,
        action="free_service.add",
        target=row,
        center=center,
        before={"count": before},
        after={"count": row.count, "day": day, "service": service},
    )
    return row
